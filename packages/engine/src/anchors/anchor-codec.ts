import * as t from 'io-ts';
import { strict } from '@ballast/domain';

/** The format tag every anchor carries; a later format gets a new tag and is decoded beside this one. */
export const ANCHOR_FORMAT = 'ballast-anchor/1';

const pattern = (name: string, re: RegExp, what: string) =>
  new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && re.test(u),
    (u, c) => (typeof u === 'string' && re.test(u) ? t.success(u) : t.failure(u, c, `expected ${what}`)),
    t.identity,
  );

const Hex64 = pattern('Hex64', /^[0-9a-f]{64}$/, '64 lowercase hex digits (a sha256)');
const KeyId = pattern('KeyId', /^[0-9a-f]{16}$/, '16 lowercase hex digits (a key id)');
const Base64 = pattern('Base64', /^[A-Za-z0-9+/]{86}==$/, 'an Ed25519 signature in base64 (88 characters)');
const IsoTime = pattern('IsoTime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, 'an ISO-8601 UTC time');
const Count = new t.Type<number, number, unknown>(
  'Count',
  (u): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
  (u, c) =>
    Number.isSafeInteger(u) && (u as number) >= 0 ? t.success(u as number) : t.failure(u, c, 'expected an integer ≥ 0'),
  t.identity,
);

/**
 * What an anchor's signature covers: how far the log went (events in global order, and the store's
 * head position), every stream's head at that point (by their Merkle root), and the audit's total
 * digest of the state folded from those events.
 */
const statementFields = {
  format: t.literal(ANCHOR_FORMAT),
  createdAt: IsoTime,
  events: Count,
  headPosition: Count,
  streams: Count,
  headsRoot: Hex64,
  auditDigest: Hex64,
  keyId: KeyId,
};
export const AnchorStatementCodec = strict(statementFields, {}, 'AnchorStatement');
export type AnchorStatement = t.TypeOf<typeof AnchorStatementCodec>;

/** One stream's head: its id, the revision of its last event and that event's chain hash. */
export const AnchorHeadCodec = t.tuple([t.string, Count, Hex64], 'AnchorHead');
export type AnchorHead = t.TypeOf<typeof AnchorHeadCodec>;

/**
 * One line of an anchor file: the statement, its Ed25519 signature, and the heads themselves (not
 * signed directly: they must hash to the signed root), so a difference can be named by stream.
 */
export const AnchorCodec = strict(
  {
    ...statementFields,
    signature: Base64,
    heads: t.array(AnchorHeadCodec),
  },
  {},
  'Anchor',
);
export type Anchor = t.TypeOf<typeof AnchorCodec>;
