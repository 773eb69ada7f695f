/**
 * The state behind the protocol test double: a list of records with byte-offset positions and a
 * per-stream index. It mimics the parts of EventStoreDB's behaviour the adapter relies on, as
 * documented for servers 20+: sparse log positions (commit = prepare for each event), 0-based
 * stream revisions, optimistic concurrency, idempotent retries by event id, and system records
 * that a Ballast reader must skip. It is not a database: nothing is durable, nothing is scavenged.
 */
export interface LogRecord {
  readonly position: number;
  readonly stream: string;
  readonly revision: number;
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
  /** .NET ticks (100 ns) since the Unix epoch, as the server sends them. */
  readonly created: bigint;
}

export interface ProposedEvent {
  readonly id: string;
  readonly type: string;
  readonly contentType: string;
  readonly data: Uint8Array;
  readonly metadata: Uint8Array;
}

export type Expected =
  | { readonly kind: 'any' }
  | { readonly kind: 'no_stream' }
  | { readonly kind: 'stream_exists' }
  | { readonly kind: 'revision'; readonly revision: number };

export type AppendOutcome =
  | {
      readonly ok: true;
      readonly currentRevision: number;
      /** Absent for an idempotent retry, as the server does. */ readonly position?: number;
    }
  | { readonly ok: false; readonly currentRevision: number | undefined };

/** EventStoreDB's default MaxAppendSize. */
export const MAX_APPEND_SIZE = 1024 * 1024;

/** A failure to inject into the next matching append: lose it, or apply it and lose the reply. */
export type AppendFault = 'drop' | 'lose-reply';

export class ProtocolLog {
  readonly records: LogRecord[] = [];
  /** Consulted on every append; tests set it to make the network fail at a chosen step. */
  fault: ((stream: string, types: readonly string[]) => AppendFault | undefined) | undefined;
  /**
   * Every Read and Append call served, in order, with its stream (`$all` for reads of $all): what tests count round
   * trips by.
   */
  readonly calls: { readonly op: 'read' | 'append'; readonly stream: string }[] = [];
  /** The stream-name prefixes each $all subscription asked the server to filter on (empty: none). */
  readonly subscriptionFilters: string[][] = [];
  private readonly streams = new Map<string, number[]>();
  private readonly starts = new Set<number>();
  private next = 0;
  private readonly listeners = new Set<() => void>();

  constructor() {
    // A fresh server's log starts with its own records; Ballast readers must step over them.
    this.writeSystem('$epoch-information', '$epoch-information');
    this.writeSystem('$settings', '$settings');
  }

  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The offset just past the last record: where the next one will go. */
  get end(): number {
    return this.next;
  }

  /** Whether a position names the start of a record (or the end of the log). */
  isBoundary(position: number): boolean {
    return position === 0 || position >= this.next || this.starts.has(position);
  }

  /** Rewrites a record in place, as someone with access to the server's files could. */
  tamper(index: number, change: Partial<Pick<LogRecord, 'data' | 'metadata'>>): void {
    this.records[index] = { ...this.records[index]!, ...change };
  }

  /** Records `from` (inclusive) to `to` (exclusive) by revision, without copying the whole stream. */
  streamSlice(name: string, from: number, to: number): readonly LogRecord[] {
    return (this.streams.get(name) ?? []).slice(Math.max(0, from), Math.max(0, to)).map((i) => this.records[i]!);
  }

  streamLength(name: string): number | undefined {
    return this.streams.get(name)?.length;
  }

  /** The index of the first record at or after a position (records are in position order). */
  indexAt(position: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.records[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  append(stream: string, expected: Expected, events: readonly ProposedEvent[]): AppendOutcome | 'too_large' {
    const size = events.reduce((n, e) => n + e.data.length + e.metadata.length, 0);
    if (size > MAX_APPEND_SIZE) return 'too_large';
    const current = (this.streamLength(stream) ?? 0) - 1;
    const idempotent = this.idempotent(stream, current, expected, events);
    if (idempotent !== undefined) return { ok: true, currentRevision: idempotent };
    const fits =
      expected.kind === 'any' ||
      (expected.kind === 'no_stream' && current < 0) ||
      (expected.kind === 'stream_exists' && current >= 0) ||
      (expected.kind === 'revision' && expected.revision === current);
    if (!fits) return { ok: false, currentRevision: current < 0 ? undefined : current };
    if (events.length === 0) return { ok: true, currentRevision: current, position: this.next };
    let position = 0;
    for (const [i, e] of events.entries()) position = this.write({ stream, revision: current + 1 + i, ...e });
    for (const listener of [...this.listeners]) listener();
    return { ok: true, currentRevision: current + events.length, position };
  }

  /**
   * The server's duplicate check, as EventStoreDB documents it ("Optimistic concurrency and
   * idempotence", EventStore/documentation docs/clients/dotnet/21.2/appending/
   * optimistic-concurrency-and-idempotence.md): with an expected revision below the current one, the
   * ids of the events after the expected revision are compared with the append's: all equal is an
   * acknowledged retry that writes nothing; none or only some equal is WrongExpectedVersion. With an
   * expected revision equal to the current one the events are simply written (no id check). With
   * `any` the check is best effort on the server (a cache of recent ids); here it is exact. The
   * EventStoreDB adapter relies only on the exact-revision case (no_stream is revision -1).
   */
  private idempotent(
    stream: string,
    current: number,
    expected: Expected,
    events: readonly ProposedEvent[],
  ): number | undefined {
    if (events.length === 0) return undefined;
    const sameIds = (from: number) => {
      const written = this.streamSlice(stream, from, from + events.length);
      return written.length === events.length && events.every((e, i) => written[i]!.id === e.id);
    };
    const after = expected.kind === 'revision' ? expected.revision : expected.kind === 'no_stream' ? -1 : undefined;
    if (after !== undefined) return sameIds(after + 1) ? after + events.length : undefined;
    // With `any` the server remembers recent ids; a whole batch seen before is a retry.
    const firstAt = this.streamSlice(stream, 0, current + 1).findIndex((r) => r.id === events[0]!.id);
    return firstAt >= 0 && sameIds(firstAt) ? firstAt + events.length - 1 : undefined;
  }

  private writeSystem(stream: string, type: string): void {
    const revision = this.streamLength(stream) ?? 0;
    this.write({
      stream,
      revision,
      id: '00000000-0000-4000-8000-00000000000' + (this.records.length % 10),
      type,
      contentType: 'application/json',
      data: Buffer.from('{}'),
      metadata: new Uint8Array(),
    });
  }

  private write(fields: Omit<LogRecord, 'position' | 'created'>): number {
    const position = this.next;
    const record: LogRecord = { ...fields, position, created: BigInt(Date.now()) * 10_000n };
    this.records.push(record);
    this.starts.add(position);
    const index = this.streams.get(fields.stream) ?? [];
    index.push(this.records.length - 1);
    this.streams.set(fields.stream, index);
    // A record's size on disk: a fixed header plus its variable parts, so positions are sparse.
    this.next +=
      88 +
      Buffer.byteLength(fields.stream) +
      Buffer.byteLength(fields.type) +
      fields.data.length +
      fields.metadata.length;
    return position;
  }
}
