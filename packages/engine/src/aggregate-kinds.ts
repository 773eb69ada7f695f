import {
  type Decider,
  type EscrowCommand,
  EscrowCommandCodec,
  escrowDecider,
  type EscrowEvent,
  EscrowEventCodec,
  type EscrowState,
  type PoolCommand,
  PoolCommandCodec,
  poolDecider,
  type PoolEvent,
  PoolEventCodec,
  type PoolState,
  type Rejection,
  type TreasuryAccount,
  type TreasuryCommand,
  TreasuryCommandCodec,
  treasuryDecider,
  type TreasuryEvent,
  TreasuryEventCodec,
} from '@ballast/domain';
import type * as t from 'io-ts';

/**
 * Everything the engine needs to know about one kind of aggregate: its stream category, its
 * decider, the codecs at its boundaries, and the version of its fold (bumped when evolve changes,
 * so cached snapshots of the old fold are thrown away).
 */
export interface AggregateKind<C extends { type: string }, E extends { type: string; at: number }, S> {
  readonly category: string;
  readonly decider: Decider<C, E, S, Rejection<string, E>>;
  readonly commandCodec: t.Type<C, unknown, unknown>;
  readonly eventCodec: t.Type<E, unknown, unknown>;
  readonly foldVersion: number;
}

export const TREASURY: AggregateKind<TreasuryCommand, TreasuryEvent, TreasuryAccount> = {
  category: 'treasury',
  decider: treasuryDecider,
  commandCodec: TreasuryCommandCodec as t.Type<TreasuryCommand, unknown, unknown>,
  eventCodec: TreasuryEventCodec as t.Type<TreasuryEvent, unknown, unknown>,
  foldVersion: 1,
};

export const POOL: AggregateKind<PoolCommand, PoolEvent, PoolState> = {
  category: 'pool',
  decider: poolDecider,
  commandCodec: PoolCommandCodec as t.Type<PoolCommand, unknown, unknown>,
  eventCodec: PoolEventCodec as t.Type<PoolEvent, unknown, unknown>,
  foldVersion: 1,
};

export const ESCROW: AggregateKind<EscrowCommand, EscrowEvent, EscrowState> = {
  category: 'escrow',
  decider: escrowDecider,
  commandCodec: EscrowCommandCodec as t.Type<EscrowCommand, unknown, unknown>,
  eventCodec: EscrowEventCodec as t.Type<EscrowEvent, unknown, unknown>,
  foldVersion: 1,
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = AggregateKind<any, any, any>;
export const KINDS: readonly AnyKind[] = [TREASURY, POOL, ESCROW];

// Each kind's stream prefix, built once: kindOfStream runs for every event an audit or a read model reads.
const PREFIXES: readonly (readonly [string, AnyKind])[] = KINDS.map((k) => [`${k.category}-`, k]);

export const kindOfStream = (streamId: string): AnyKind | undefined => {
  for (const [prefix, kind] of PREFIXES) if (streamId.startsWith(prefix)) return kind;
  return undefined;
};
export const streamIdOf = (kind: AnyKind, id: string): string => `${kind.category}-${id}`;
