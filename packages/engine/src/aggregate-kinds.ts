import {
  AccessCommandCodec,
  accessDecider,
  type AccessEvent,
  AccessEventCodec,
  type Decider,
  EscrowCommandCodec,
  escrowDecider,
  type EscrowEvent,
  EscrowEventCodec,
  type OmitEach,
  PoolCommandCodec,
  poolDecider,
  type PoolEvent,
  PoolEventCodec,
  type Rejection,
  TreasuryCommandCodec,
  treasuryDecider,
  type TreasuryEvent,
  TreasuryEventCodec,
} from '@ballast/domain';
import type * as t from 'io-ts';

/**
 * Everything the engine needs to know about one kind of aggregate: its stream category, the name of
 * its facade on `Ballast`, its decider, the codecs at its boundaries (`W` is the command's wire form,
 * what a typed caller passes), and the version of its fold (bumped when evolve changes, so cached
 * snapshots of the old fold are thrown away).
 */
export interface AggregateKind<C extends { type: string }, E extends { type: string; at: number }, S, W = unknown> {
  readonly category: string;
  readonly facade: string;
  readonly decider: Decider<C, E, S, Rejection<string, E>>;
  readonly commandCodec: t.Type<C, W, unknown>;
  readonly eventCodec: t.Type<E, unknown, unknown>;
  readonly foldVersion: number;
  /**
   * The command field that names the aggregate itself (`poolId`, `escrowId`), where commands carry
   * one: it must be the id the command is sent to, or the aggregate would record a second name.
   */
  readonly idField?: string;
}

// Literal category and facade names, so the registry's keys and Ballast's facades are derived types.
const aggregateKind = <
  Cat extends string,
  F extends string,
  C extends { type: string },
  E extends { type: string; at: number },
  S,
  W,
>(
  kind: AggregateKind<C, E, S, W> & { readonly category: Cat; readonly facade: F },
) => kind;

export const TREASURY = aggregateKind({
  category: 'treasury',
  facade: 'treasuries',
  decider: treasuryDecider,
  commandCodec: TreasuryCommandCodec,
  eventCodec: TreasuryEventCodec as t.Type<TreasuryEvent, unknown, unknown>,
  foldVersion: 1,
});

export const POOL = aggregateKind({
  category: 'pool',
  facade: 'pools',
  decider: poolDecider,
  commandCodec: PoolCommandCodec,
  eventCodec: PoolEventCodec as t.Type<PoolEvent, unknown, unknown>,
  foldVersion: 1,
  idField: 'poolId',
});

export const ESCROW = aggregateKind({
  category: 'escrow',
  facade: 'escrows',
  decider: escrowDecider,
  commandCodec: EscrowCommandCodec,
  eventCodec: EscrowEventCodec as t.Type<EscrowEvent, unknown, unknown>,
  foldVersion: 1,
  idField: 'escrowId',
});

/** API keys (one stream, `access-keys`): who may call `ballast serve`, as hashes, never secrets. */
export const ACCESS = aggregateKind({
  category: 'access',
  facade: 'access',
  decider: accessDecider,
  commandCodec: AccessCommandCodec,
  eventCodec: AccessEventCodec as t.Type<AccessEvent, unknown, unknown>,
  foldVersion: 1,
});

/**
 * The one list of aggregate kinds, keyed by category: Ballast's facades, the kinds a reaction may
 * name, the domain events read models see and the streams the audit checks are all derived from it.
 * A new kind is added here and nowhere else.
 */
export const AGGREGATE_KINDS = { treasury: TREASURY, pool: POOL, escrow: ESCROW, access: ACCESS } as const;
export type KindName = keyof typeof AGGREGATE_KINDS;
type KindOf<K extends KindName> = (typeof AGGREGATE_KINDS)[K];

/**
 * A command as a typed caller writes it: the codec's wire form (decimal strings, ms numbers) without `at`, which the
 * engine's clock stamps. For treasury, pool and escrow the same types as @ballast/domain's `CommandInputs`, which
 * @ballast/client uses (packages/client/test/commands.type-test.ts checks they agree).
 */
export type CommandInput<K extends KindName> = OmitEach<t.OutputOf<KindOf<K>['commandCodec']>, 'at'>;
export type CommandOfKind<K extends KindName> = t.TypeOf<KindOf<K>['commandCodec']>;
export type EventOfKind<K extends KindName> = t.TypeOf<KindOf<K>['eventCodec']>;
export type StateOfKind<K extends KindName> = KindOf<K>['decider']['initialState'];
/** The facade name (`treasuries`, …) of each kind. */
export type FacadeName<K extends KindName = KindName> = KindOf<K>['facade'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = AggregateKind<any, any, any, any>;
export const KINDS: readonly AnyKind[] = Object.values(AGGREGATE_KINDS);

// Each kind's stream prefix, built once: kindOfStream runs for every event an audit or a read model reads.
const PREFIXES: readonly (readonly [string, AnyKind])[] = KINDS.map((k) => [`${k.category}-`, k]);

export const kindOfStream = (streamId: string): AnyKind | undefined => {
  for (const [prefix, kind] of PREFIXES) if (streamId.startsWith(prefix)) return kind;
  return undefined;
};
export const streamIdOf = (kind: AnyKind, id: string): string => `${kind.category}-${id}`;
/** The registry name of a kind found by `kindOfStream` (its category). */
export const kindName = (kind: AnyKind): KindName => kind.category as KindName;
