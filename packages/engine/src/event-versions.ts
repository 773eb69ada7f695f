import type { JsonObject } from '@ballast/domain';

/**
 * Schema versions of the events Ballast writes, per aggregate kind and event type (1 unless
 * listed). A type's version goes up when its stored shape changes; events already written keep
 * theirs and are upcast on every read by the steps below, never rewritten (the hash chain covers
 * the stored bytes).
 */
const CURRENT: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  // v2 (transfers): the payee is paid by a transfer whose debit leg this is.
  treasury: { EscrowReleased: 2 },
  // v2 (transfers): a stake and a premium arrive as credit legs; a payout leaves as a debit leg.
  pool: { MemberJoined: 2, PremiumCollected: 2, ClaimPaid: 2 },
};

/** One step: what a stored event of `version` becomes in the next version's (or a read-only type's) shape. */
interface Upcast {
  readonly kind: string;
  readonly type: string;
  readonly version: number;
  readonly apply: (data: JsonObject) => { readonly type: string; readonly version: number; readonly data: JsonObject };
}

/**
 * Money that crossed aggregates with one leg before transfers existed cannot be given the
 * transfer it never had: those events become read-only `Legacy…` types that fold exactly as
 * before and that the ledger books as unproven external flows (reported by the audit).
 */
const toLegacy = (kind: string, type: string): Upcast => ({
  kind,
  type,
  version: 1,
  apply: (data) => ({ type: `Legacy${type}`, version: 2, data }),
});

const UPCASTS: readonly Upcast[] = [
  toLegacy('treasury', 'EscrowReleased'),
  toLegacy('pool', 'MemberJoined'),
  toLegacy('pool', 'PremiumCollected'),
  toLegacy('pool', 'ClaimPaid'),
];

/** Types that exist only as the result of an upcast: never written, and refused if found stored under that name. */
export const READ_ONLY_TYPES: ReadonlySet<string> = new Set(UPCASTS.map((u) => u.apply({}).type));

export const schemaVersionOf = (kind: string, type: string): number => CURRENT[kind]?.[type] ?? 1;

export type UpcastResult =
  | { readonly ok: true; readonly type: string; readonly data: JsonObject }
  | { readonly ok: false; readonly message: string };

/**
 * Applies upcast steps until the event is in today's shape; a version from a newer Ballast, or one with no path, is
 * refused.
 */
export const upcast = (
  kind: string,
  stored: { readonly type: string; readonly version: number; readonly data: JsonObject },
): UpcastResult => {
  if (READ_ONLY_TYPES.has(stored.type))
    return { ok: false, message: `${stored.type} is a read-only type: it is never stored under that name` };
  // Almost every event read is already in today's shape: answer without the loop's steps.
  if (stored.version === schemaVersionOf(kind, stored.type)) return { ok: true, type: stored.type, data: stored.data };
  let { type, version, data } = stored;
  for (;;) {
    const current = schemaVersionOf(kind, type);
    if (version === current || (READ_ONLY_TYPES.has(type) && version > 1)) return { ok: true, type, data };
    if (version > current)
      return {
        ok: false,
        message: `${type} schema version ${version} was written by a newer Ballast (this one reads up to ${current})`,
      };
    const step = UPCASTS.find((u) => u.kind === kind && u.type === type && u.version === version);
    if (!step) return { ok: false, message: `${type} schema version ${version} is unknown to this Ballast` };
    ({ type, version, data } = step.apply(data));
  }
};
