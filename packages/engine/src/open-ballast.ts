import type { EscrowState, PoolState, TreasuryAccount } from '@ballast/domain';
import type { EventStore } from '@ballast/event-store';
import type * as E from 'fp-ts/Either';
import { type AnyKind, ESCROW, POOL, streamIdOf, TREASURY } from './aggregate-kinds';
import type { EventContext } from './event-mapping';
import { type Clock, type CommandFailure, type Committed, executeCommand } from './execute-command';
import { type Loaded, loadAggregate } from './load-aggregate';
import { SnapshotCache, type SnapshotStore } from './snapshot-cache';

export interface AggregateFacade<S> {
  /** Decides and appends one command (JSON without `at`: the engine's clock stamps it). */
  execute(id: string, command: unknown, context: EventContext): Promise<E.Either<CommandFailure, Committed>>;
  /** The current state and revision (snapshot plus tail). */
  load(id: string): Promise<Loaded<S>>;
}

export interface Ballast {
  readonly store: EventStore;
  readonly treasuries: AggregateFacade<TreasuryAccount>;
  readonly pools: AggregateFacade<PoolState>;
  readonly escrows: AggregateFacade<EscrowState>;
}

export interface BallastOptions {
  readonly store: EventStore;
  /** Event time for every command; inject a virtual clock to replay a run exactly. */
  readonly clock: Clock;
  /** Streams whose latest state is kept in memory (default 10,000). */
  readonly snapshotCacheSize?: number;
  /** Where snapshots persist across restarts (e.g. `openSqliteSnapshots`); memory only without it. */
  readonly snapshots?: SnapshotStore;
  /** Persist a stream's snapshot every this many events (default 100). */
  readonly snapshotEvery?: number;
}

/** The engine facade over a store: one entry per aggregate kind, sharing one snapshot cache. */
export const openBallast = ({ store, clock, snapshotCacheSize, snapshots, snapshotEvery }: BallastOptions): Ballast => {
  const cache = new SnapshotCache(snapshotCacheSize, snapshots, snapshotEvery);
  const deps = { store, cache, clock };
  const facade = <S>(kind: AnyKind): AggregateFacade<S> => ({
    execute: (id, command, context) => executeCommand(deps, kind, streamIdOf(kind, id), command, context),
    load: (id) => loadAggregate<S>(store, kind, streamIdOf(kind, id), cache),
  });
  return { store, treasuries: facade<TreasuryAccount>(TREASURY), pools: facade<PoolState>(POOL), escrows: facade<EscrowState>(ESCROW) };
};

/** Wall time, for production. Simulations pass a virtual clock instead. */
export const systemClock: Clock = { now: () => Date.now() };
