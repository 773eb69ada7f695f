/**
 * The latest folded state per stream, tagged with the fold's version: a command loads the cached
 * state and folds only the events after it, so its cost stays flat as a stream grows. A snapshot
 * of another fold version is ignored (rebuilt from the first event). Bounded: the least recently
 * used stream is dropped first.
 */
export interface Snapshot<S> {
  readonly revision: number;
  readonly foldVersion: number;
  readonly state: S;
}

/** Durable snapshots, so a restarted engine also starts from a recent state rather than revision 0. */
export interface SnapshotStore {
  load(streamId: string): Snapshot<unknown> | undefined;
  save(streamId: string, snapshot: Snapshot<unknown>): void;
}

export class SnapshotCache {
  private readonly entries = new Map<string, Snapshot<unknown>>();
  private readonly persistedAt = new Map<string, number>();

  /**
   * @param every a snapshot is persisted when a stream has moved this many events past its last
   *   persisted one (default 100)
   */
  constructor(
    private readonly maxStreams = 10_000,
    private readonly durable?: SnapshotStore,
    private readonly every = 100,
  ) {}

  get<S>(streamId: string, foldVersion: number): Snapshot<S> | undefined {
    let entry = this.entries.get(streamId);
    if (entry === undefined && this.durable) {
      entry = this.durable.load(streamId);
      if (entry) this.persistedAt.set(streamId, entry.revision);
    }
    if (entry === undefined || entry.foldVersion !== foldVersion) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as Snapshot<S>;
  }

  put<S>(streamId: string, snapshot: Snapshot<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, snapshot);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
    if (this.durable && snapshot.revision - (this.persistedAt.get(streamId) ?? -1) >= this.every) {
      this.durable.save(streamId, snapshot);
      this.persistedAt.set(streamId, snapshot.revision);
    }
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}
