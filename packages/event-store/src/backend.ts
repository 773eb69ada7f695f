import type { RecordedEvent } from '@ballast/domain';
import type { Observable } from 'rxjs';
import type { AppendResultEither } from './append-errors';
import type { ValidAppend } from './append-input';
import type { AppendResult, SnapshotSlots, StreamHead } from './port';
import type { StoredRow } from './stored-row';

export type Awaitable<T> = T | Promise<T>;

/**
 * What an adapter implements: durable writes of validated appends and paged reads of stored rows.
 * Everything an adapter need not differ in (validation, paging, subscriptions, verification) lives
 * once in the store facade, so every adapter behaves the same by construction.
 */
export interface StoreBackend {
  readonly description: string;
  readonly writable: boolean;
  /** Applies planAppend atomically; resolves only once the result is durable. */
  write(input: ValidAppend): Promise<AppendResultEither>;
  /** Up to `limit` rows of a stream from `fromRevision` (inclusive) in the given direction. */
  streamPage(
    streamId: string,
    fromRevision: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Awaitable<readonly StoredRow[]>;
  /** Up to `limit` rows at or after `fromPosition`, in global order. */
  allPage(fromPosition: number, limit: number): Awaitable<readonly StoredRow[]>;
  /**
   * Up to `limit` stream heads whose id sorts after `afterStreamId`, in id order, from a head index
   * kept beside the events. A backend without one (EventStoreDB: a stream's head is its last event)
   * leaves it out, and verify reads the head of each stream it walked instead.
   */
  headsPage?(afterStreamId: string, limit: number): Awaitable<readonly StreamHead[]>;
  streamHead(streamId: string): Awaitable<StreamHead | undefined>;
  commandResult(commandId: string): Awaitable<AppendResult | undefined>;
  headPosition(): Awaitable<number>;
  /**
   * Durable snapshot slots, if the backend keeps them. Called with checked input only (the facade
   * validates ids, numbers and sizes); never part of allPage, headsPage or verify.
   */
  readonly snapshots?: SnapshotSlots;
  /** Emits after each commit in this process; a backend that sees other writers also emits on a poll. */
  readonly committed$: Observable<unknown>;
  /**
   * A backend whose server pushes new events (EventStoreDB) subscribes natively; the rest get the
   * shared catch-up-then-live loop over allPage and committed$. Either way: from a position, every
   * event once, in order, completing when the store closes.
   */
  subscribe?(fromPosition: number): Observable<RecordedEvent>;
  close(): Promise<void>;
}
