import { sleep } from './soak-serve';
import { sseMessages } from './sse-text';

/** mulberry32: a 32-bit seeded generator, so a soak's schedule replays from its seed. */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export interface FollowerOptions {
  readonly url: () => string;
  readonly key: string;
  /** `/v1/events/stream`, `/v1/treasuries/ID/events/stream`, `/v1/read-models/NAME/stream`. */
  readonly path: string;
  /** The SSE event that carries values: `event`, or `state` for a read model. */
  readonly eventName: string;
  /**
   * How long the next connection is held before the follower itself drops it (it reconnects at once
   * with Last-Event-ID); undefined: held until the server ends it.
   */
  readonly holdMs: () => number | undefined;
  /** What the data says its id is (an event's position or revision, a view's position), to check the `id:`. */
  readonly idInData: (data: unknown) => number;
}

/**
 * A client of one live stream that never lets go: it reconnects after the server ends the stream, dies,
 * or refuses while starting, and now and then drops the connection itself; each reconnect sends the id
 * of its last complete message as Last-Event-ID. It keeps every id it received, in order, as received:
 * nothing is filtered here, so a gap or a duplicate the server sends is seen.
 */
export class SseFollower {
  /** Every value's id, in the order received, across all connections. */
  readonly ids: number[] = [];
  /** For each connection that delivered a value: the index in `ids` of its first one. */
  readonly connectionStarts: number[] = [];
  /** Values whose data names another id than the SSE `id:` line. */
  readonly mismatched: number[] = [];
  /** The last value's data. */
  lastData: unknown;
  connects = 0;
  /** Connections this follower dropped itself. */
  drops = 0;
  closings = 0;
  resumes = 0;
  readonly refused: number[] = [];
  /** How each attempt to connect ended, with the time (ms since start): for a failure's message. */
  readonly history: string[] = [];
  private readonly startedAt = Date.now();
  private stopping = false;
  private readonly stopped = new AbortController();
  private done: Promise<void> = Promise.resolve();

  constructor(private readonly o: FollowerOptions) {}

  last(): number | undefined {
    return this.ids.at(-1);
  }

  start(): void {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    await this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const connection = new AbortController();
      const onStop = () => connection.abort();
      this.stopped.signal.addEventListener('abort', onStop, { once: true });
      const holdMs = this.o.holdMs();
      const timer =
        holdMs === undefined
          ? undefined
          : setTimeout(() => {
              this.drops++;
              connection.abort();
            }, holdMs);
      const at = Date.now() - this.startedAt;
      try {
        const how = await this.connect(connection.signal);
        this.history.push(`${at}: ${how} at ${Date.now() - this.startedAt}`);
      } catch (error) {
        // The server died, or this follower let go: resume from the last complete message.
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
        if (cause !== 'ECONNREFUSED')
          this.history.push(`${at}: ${cause} at ${Date.now() - this.startedAt} (last ${this.last()})`);
      } finally {
        clearTimeout(timer);
        this.stopped.signal.removeEventListener('abort', onStop);
      }
      if (!this.stopping) await sleep(20);
    }
  }

  private async connect(signal: AbortSignal): Promise<string> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.o.key}`, accept: 'text/event-stream' };
    const last = this.last();
    if (last !== undefined) headers['last-event-id'] = String(last);
    const response = await fetch(`${this.o.url()}${this.o.path}`, { headers, signal });
    if (response.status !== 200) {
      this.refused.push(response.status);
      await response.body?.cancel();
      return `refused ${response.status}`;
    }
    this.connects++;
    let first = true;
    for await (const message of sseMessages(response.body!)) {
      if (message.event === this.o.eventName) {
        const id = Number(message.id);
        const data = JSON.parse(message.data) as unknown;
        if (this.o.idInData(data) !== id) this.mismatched.push(id);
        if (first) this.connectionStarts.push(this.ids.length);
        first = false;
        this.ids.push(id);
        this.lastData = data;
      } else if (message.event === 'closing') this.closings++;
      else if (message.event === 'resume') this.resumes++;
    }
    return `ended (last ${this.last()})`;
  }
}

/** Where `ids` is not exactly `from, from + 1, …, to`: the first few differences, empty when none. */
export const gapsAndDuplicates = (ids: readonly number[], from: number, to: number): string[] => {
  const out: string[] = [];
  for (let i = 0; i < ids.length && out.length < 5; i++)
    if (ids[i] !== from + i) out.push(`#${i}: got ${ids[i]}, expected ${from + i} (previous ${ids[i - 1]})`);
  if (ids.length !== to - from + 1) out.push(`${ids.length} ids, expected ${to - from + 1} (${from}..${to})`);
  return out;
};

/** Where `ids` does not go up at every step: the first few places, empty when it always does. */
export const notIncreasing = (ids: readonly number[]): string[] =>
  ids.flatMap((id, i) => (i > 0 && id <= ids[i - 1]! ? [`#${i}: ${ids[i - 1]} then ${id}`] : [])).slice(0, 5);
