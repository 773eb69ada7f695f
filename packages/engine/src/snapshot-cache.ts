import type { SnapshotSlots } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from './stored-snapshot';

export type { Snapshot } from './stored-snapshot';

/** Why a durable snapshot was not used or not written. Never a command's failure: the log is the truth. */
export interface SnapshotProblem {
  readonly streamId: string;
  /**
   * `load`: the slot could not be read; `ignored`: it was read and is not this stream's fold; `save`: a write failed.
   */
  readonly phase: 'load' | 'ignored' | 'save';
  readonly message: string;
}

export interface SnapshotCounts {
  /** Durable snapshots a load started from (the tail folded after them). */
  readonly used: number;
  readonly saved: number;
  readonly loadFailures: number;
  /** Stale or foreign: another fold version, beyond the head, another history, a changed byte. */
  readonly ignored: number;
  readonly saveFailures: number;
}

export interface SnapshotCacheOptions {
  /** Streams whose latest state is kept in memory (default 10,000). */
  readonly maxStreams?: number;
  /** Durable slots; memory only without them. */
  readonly durable?: SnapshotSlots;
  /** A snapshot is persisted when a stream has moved this many events past its last persisted one (default 100). */
  readonly every?: number;
  /** The chain hash of a stream's event at a revision (a save binds the state to it). */
  readonly hashAt: (streamId: string, revision: number) => Promise<string | undefined>;
  readonly onProblem?: (problem: SnapshotProblem) => void;
}

/**
 * The latest folded state per stream, tagged with the fold's version: a command loads the cached
 * state and folds only the events after it, so its cost stays flat as a stream grows. Bounded: the
 * least recently used stream is dropped first. With durable slots, a stream's state is also saved
 * every `every` events, off the command's path (a save never delays or fails a command), so a new
 * process folds at most that many events of a stream.
 */
export class SnapshotCache {
  private readonly entries = new Map<string, Snapshot<unknown>>();
  private readonly persistedAt = new Map<string, number>();
  private readonly saving = new Map<string, Promise<void>>();
  private readonly counts = { used: 0, saved: 0, loadFailures: 0, ignored: 0, saveFailures: 0 };
  private readonly maxStreams: number;
  private readonly every: number;

  constructor(private readonly options: SnapshotCacheOptions) {
    this.maxStreams = options.maxStreams ?? 10_000;
    this.every = options.every ?? 100;
    if (!Number.isSafeInteger(this.every) || this.every < 1)
      throw new RangeError(`snapshotEvery must be a positive integer, got ${options.every}`);
  }

  /** The state kept in memory (this process folded it). */
  get<S>(streamId: string, foldVersion: number): Snapshot<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined || entry.foldVersion !== foldVersion) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as Snapshot<S>;
  }

  /**
   * The durable snapshot, decoded, if it is of this fold. The caller must still see the event at its
   * revision carry its chain hash (`confirm` / `reject`) before deciding anything on it.
   */
  async loadDurable<S>(streamId: string, foldVersion: number): Promise<(Snapshot<S> & { hash: string }) | undefined> {
    const { durable } = this.options;
    if (durable === undefined) return undefined;
    let stored;
    try {
      stored = await durable.load(streamId);
    } catch (error) {
      this.counts.loadFailures += 1;
      this.report({ streamId, phase: 'load', message: (error as Error).message });
      return undefined;
    }
    if (stored === undefined) return undefined;
    const decoded = decodeSnapshot<S>(stored, { streamId, foldVersion });
    if (E.isLeft(decoded)) return this.reject(streamId, decoded.left);
    return decoded.right;
  }

  /** The durable snapshot matched the log: record where it stands so the next save is `every` later. */
  confirm(streamId: string, revision: number): void {
    this.counts.used += 1;
    this.persistedAt.set(streamId, revision);
  }

  /** The durable snapshot is not this stream's fold: the load folds from the first event instead. */
  reject(streamId: string, why: string): undefined {
    this.counts.ignored += 1;
    this.report({ streamId, phase: 'ignored', message: `snapshot ignored: ${why}` });
    return undefined;
  }

  put<S>(streamId: string, snapshot: Snapshot<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, snapshot);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
    if (this.options.durable && snapshot.revision - (this.persistedAt.get(streamId) ?? -1) >= this.every)
      this.save(streamId, snapshot);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }

  snapshotCounts(): SnapshotCounts {
    return { ...this.counts };
  }

  /** Resolves when every save started so far has finished (before closing the store). */
  async settled(): Promise<void> {
    while (this.saving.size > 0) await Promise.all(this.saving.values());
  }

  // One save in flight per stream, so an older state never lands after a newer one; a crossing
  // while one is in flight is skipped and the next one saves a later state. A failed save is
  // retried only `every` events later, so a broken slot costs one attempt per `every` events.
  private save(streamId: string, snapshot: Snapshot<unknown>): void {
    if (this.saving.has(streamId)) return;
    this.persistedAt.set(streamId, snapshot.revision);
    const saving = this.write(streamId, snapshot).finally(() => this.saving.delete(streamId));
    this.saving.set(streamId, saving);
  }

  private async write(streamId: string, snapshot: Snapshot<unknown>): Promise<void> {
    try {
      // After the command has answered: serializing and writing are not the command's latency.
      await new Promise((resolve) => setImmediate(resolve));
      const hash = snapshot.hash ?? (await this.options.hashAt(streamId, snapshot.revision));
      if (hash === undefined) throw new Error(`no event at revision ${snapshot.revision} to bind the snapshot to`);
      await this.options.durable!.save(encodeSnapshot(streamId, { ...snapshot, hash }));
      this.counts.saved += 1;
    } catch (error) {
      this.counts.saveFailures += 1;
      this.report({ streamId, phase: 'save', message: (error as Error).message });
    }
  }

  private report(problem: SnapshotProblem): void {
    try {
      this.options.onProblem?.(problem);
    } catch {
      // A reporting hook that throws must not turn a cache problem into a command failure.
    }
  }
}
