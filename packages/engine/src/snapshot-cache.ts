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

export class SnapshotCache {
  private readonly entries = new Map<string, Snapshot<unknown>>();

  constructor(private readonly maxStreams = 10_000) {}

  get<S>(streamId: string, foldVersion: number): Snapshot<S> | undefined {
    const entry = this.entries.get(streamId);
    if (entry === undefined || entry.foldVersion !== foldVersion) return undefined;
    this.entries.delete(streamId);
    this.entries.set(streamId, entry);
    return entry as Snapshot<S>;
  }

  put<S>(streamId: string, snapshot: Snapshot<S>): void {
    this.entries.delete(streamId);
    this.entries.set(streamId, snapshot);
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(streamId: string): void {
    this.entries.delete(streamId);
  }
}
