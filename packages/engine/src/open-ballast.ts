import type { EventStore, SnapshotSlots } from '@ballast/event-store';
import type * as E from 'fp-ts/Either';
import {
  AGGREGATE_KINDS,
  type AnyKind,
  type CommandInput,
  type FacadeName,
  type KindName,
  type StateOfKind,
  streamIdOf,
} from './aggregate-kinds';
import type { EventContext } from './event-mapping';
import { type Clock, type CommandFailure, type Committed, executeCommand } from './execute-command';
import { type Loaded, loadAggregate } from './load-aggregate';
import { SnapshotCache, type SnapshotCounts, type SnapshotProblem } from './snapshot-cache';

export interface AggregateFacade<S, C = unknown> {
  /**
   * Decides and appends one command, typed as the codec's wire form without `at` (the engine's clock
   * stamps it). It is still decoded at run time: a type says what a caller meant, the codec checks
   * what arrived.
   */
  execute(id: string, command: C, context: EventContext): Promise<E.Either<CommandFailure, Committed>>;
  /** `execute` for a command of unknown shape (parsed JSON from outside): the codec alone checks it. */
  executeJson(id: string, command: unknown, context: EventContext): Promise<E.Either<CommandFailure, Committed>>;
  /** The current state and revision (snapshot plus tail). */
  load(id: string): Promise<Loaded<S>>;
}

export interface SnapshotStatus {
  /** False when the engine keeps snapshots in memory only. */
  readonly durable: boolean;
  counts(): SnapshotCounts;
  /** Resolves when every snapshot save started so far has finished: await it before closing the store. */
  settled(): Promise<void>;
}

/** The facade of one registered kind: its state, its typed commands. */
export type FacadeOf<K extends KindName> = AggregateFacade<StateOfKind<K>, CommandInput<K>>;

/** One facade per registered aggregate kind, named by the registry (`treasuries`, `pools`, …). */
export type Facades = { readonly [K in KindName as FacadeName<K>]: FacadeOf<K> };

export interface Ballast extends Facades {
  readonly store: EventStore;
  readonly snapshots: SnapshotStatus;
}

export interface BallastOptions {
  readonly store: EventStore;
  /** Event time for every command; inject a virtual clock to replay a run exactly. */
  readonly clock: Clock;
  /** Streams whose latest state is kept in memory (default 10,000). */
  readonly snapshotCacheSize?: number;
  /**
   * Where snapshots persist across restarts. Default: the store's own slots (`store.snapshots`: the
   * SQLite file, an EventStoreDB stream); `false` keeps them in memory only.
   */
  readonly snapshots?: SnapshotSlots | false;
  /** Persist a stream's snapshot every this many events (default 100). */
  readonly snapshotEvery?: number;
  /** Told of every snapshot ignored on load or failed to save (also counted in `snapshots.counts()`). */
  readonly onSnapshotProblem?: (problem: SnapshotProblem) => void;
}

const hashAt =
  (store: EventStore) =>
  async (streamId: string, revision: number): Promise<string | undefined> => {
    for await (const event of store.readStream(streamId, { from: revision, maxCount: 1 }))
      return event.revision === revision ? event.hash : undefined;
    return undefined;
  };

/**
 * Commands for one stream run one at a time within this engine: racing each other in the same
 * process would only make all but one lose the append, reload and decide again (and, with enough
 * callers, run out of retries on a hot stream such as a pool's or the API keys'). Other processes
 * still race and are settled by the expected revision, as before.
 */
const perStreamQueue = () => {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(streamId: string, task: () => Promise<T>): Promise<T> => {
    const before = tails.get(streamId);
    const result = before === undefined ? task() : before.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(streamId, tail);
    void tail.then(() => {
      if (tails.get(streamId) === tail) tails.delete(streamId);
    });
    return result;
  };
};

/** The engine facade over a store: one entry per aggregate kind, sharing one snapshot cache. */
export const openBallast = ({
  store,
  clock,
  snapshotCacheSize,
  snapshots,
  snapshotEvery,
  onSnapshotProblem,
}: BallastOptions): Ballast => {
  const durable = snapshots === false ? undefined : (snapshots ?? store.snapshots);
  const cache = new SnapshotCache({
    ...(snapshotCacheSize === undefined ? {} : { maxStreams: snapshotCacheSize }),
    ...(durable === undefined ? {} : { durable }),
    ...(snapshotEvery === undefined ? {} : { every: snapshotEvery }),
    ...(onSnapshotProblem === undefined ? {} : { onProblem: onSnapshotProblem }),
    hashAt: hashAt(store),
  });
  const deps = { store, cache, clock };
  const oneAtATime = perStreamQueue();
  const run = (kind: AnyKind, id: string, command: unknown, context: EventContext) => {
    const streamId = streamIdOf(kind, id);
    return oneAtATime(streamId, () => executeCommand(deps, kind, streamId, command, context));
  };
  const facade = (kind: AnyKind): AggregateFacade<unknown> => ({
    execute: (id, command, context) => run(kind, id, command, context),
    executeJson: (id, command, context) => run(kind, id, command, context),
    load: (id) => loadAggregate(store, kind, streamIdOf(kind, id), cache),
  });
  // The registry is the list of facades; their types come from the same registry (Facades).
  const facades = Object.fromEntries(
    Object.values(AGGREGATE_KINDS).map((kind) => [kind.facade, facade(kind)]),
  ) as unknown as Facades;
  return {
    ...facades,
    store,
    snapshots: { durable: durable !== undefined, counts: () => cache.snapshotCounts(), settled: () => cache.settled() },
  };
};

/** Wall time, for production. Simulations pass a virtual clock instead. */
export const systemClock: Clock = { now: () => Date.now() };
