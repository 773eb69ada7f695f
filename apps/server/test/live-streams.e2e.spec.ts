import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { openMemoryStore } from '@ballast/event-store';
import { get, type IncomingMessage } from 'node:http';
import { LiveStreams } from '../src/live-streams';
import { startTestServer, type TestServer } from './server-fixture';
import { parseSse as parseSseText } from './sse-text';

const config = TreasuryConfigCodec.encode(agentPreset());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SseMessage {
  readonly id?: string;
  readonly event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly data: any;
}

/** Complete messages out of text, their data parsed as JSON where it is JSON; returns the rest. */
const parseSse = (text: string): { messages: SseMessage[]; rest: string } => {
  const { messages, rest } = parseSseText(text);
  return {
    rest,
    messages: messages.map((m) => {
      try {
        return { ...m, data: JSON.parse(m.data) as unknown };
      } catch {
        return m; // not JSON: kept as text
      }
    }),
  };
};

/** A fetch-based live-stream reader that keeps every message and can wait for one. */
class Stream {
  readonly messages: SseMessage[] = [];
  status = 0;
  ended = false;
  private readonly abort = new AbortController();
  private done: Promise<void> = Promise.resolve();

  static async open(url: string, key: string, headers: Record<string, string> = {}): Promise<Stream> {
    const stream = new Stream();
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream', ...headers },
      signal: stream.abort.signal,
    });
    stream.status = response.status;
    if (response.status !== 200) {
      stream.messages.push({ event: 'http', data: await response.json() });
      stream.ended = true;
      return stream;
    }
    stream.done = (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body! as unknown as AsyncIterable<Uint8Array>) {
          const parsed = parseSse(buffer + decoder.decode(chunk, { stream: true }));
          stream.messages.push(...parsed.messages);
          buffer = parsed.rest;
        }
      } catch {
        // aborted
      }
      stream.ended = true;
    })();
    return stream;
  }

  events(): SseMessage[] {
    return this.messages.filter((m) => m.event === 'event');
  }

  async until(predicate: (s: Stream) => boolean, ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!predicate(this)) {
      if (Date.now() > deadline)
        throw new Error(`stream: condition not met in ${ms} ms; got ${JSON.stringify(this.messages).slice(-500)}`);
      await sleep(10);
    }
  }

  async close(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

const deposit = (s: TestServer, id: string, key: string, amount: string) =>
  s.call('POST', `/v1/treasuries/${id}/commands`, { key, body: { type: 'Deposit', amount } });

describe('live streams over SSE', () => {
  let s: TestServer;
  let ops: string;
  let agent1: string;
  let agent2: string;
  const streams: Stream[] = [];
  const open = async (path: string, key: string, headers: Record<string, string> = {}) => {
    const stream = await Stream.open(`${s.url}${path}`, key, headers);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    s = await startTestServer();
    ops = s.operatorKey;
    agent1 = (await s.keyFor('agent-1', 'agent')).key;
    agent2 = (await s.keyFor('agent-2', 'agent')).key;
    for (const id of ['agent-1', 'agent-2'])
      expect(
        (await s.call('POST', `/v1/treasuries/${id}/commands`, { key: ops, body: { type: 'OpenTreasury', config } }))
          .status,
      ).toBe(201);
    expect((await deposit(s, 'agent-1', agent1, '100')).status).toBe(201);
  });
  afterAll(async () => {
    await Promise.all(streams.map((stream) => stream.close()));
    await s?.close();
  });

  it('refuses agents the whole log and other agents’ treasuries (403), and a bad Last-Event-ID (400)', async () => {
    const log = await open('/v1/events/stream', agent1);
    expect(log.status).toBe(403);
    expect(log.messages[0]!.data).toMatchObject({
      code: 'FORBIDDEN',
      details: { principal: 'agent-1', role: 'agent' },
    });
    expect((await open('/v1/treasuries/agent-2/events/stream', agent1)).status).toBe(403);
    // Nor a treasury that does not exist: the same 403, nothing to probe.
    expect((await open('/v1/treasuries/nobody/events/stream', agent1)).status).toBe(403);
    expect((await open('/v1/read-models/treasury-overview/stream', agent2)).status).toBe(403);

    for (const bad of ['abc', '-1', '1.5', '9999999999999999']) {
      const refused = await open('/v1/events/stream', ops, { 'last-event-id': bad });
      expect({ bad, status: refused.status }).toEqual({ bad, status: 400 });
      expect(refused.messages[0]!.data).toMatchObject({ code: 'INVALID_INPUT' });
    }
    const badAfter = await open('/v1/treasuries/agent-1/events/stream?after=x', agent1);
    expect(badAfter.status).toBe(400);
  });

  it('an agent follows its own treasury: ids are revisions, live, and resumable with Last-Event-ID', async () => {
    const own = await open('/v1/treasuries/agent-1/events/stream', agent1);
    expect(own.status).toBe(200);
    const stored = (await s.events()).filter((e) => e.streamId === 'treasury-agent-1');
    await own.until((x) => x.events().length >= stored.length);
    expect(own.events().map((m) => m.id)).toEqual(stored.map((e) => String(e.revision)));
    expect(own.events().map((m) => m.data.type)).toEqual(stored.map((e) => e.type));
    // Another treasury's events never show up here.
    expect((await deposit(s, 'agent-2', agent2, '7')).status).toBe(201);
    const sent = await deposit(s, 'agent-1', agent1, '25');
    expect(sent.status).toBe(201);
    await own.until((x) => x.events().at(-1)?.id === String(sent.body.revision));
    expect(own.events().every((m) => m.data.streamId === 'treasury-agent-1')).toBe(true);
    expect(own.events().map((m) => Number(m.id))).toEqual(own.events().map((_, i) => i));

    // Resumed after revision 0: everything after it, nothing before.
    const resumed = await open('/v1/treasuries/agent-1/events/stream', agent1, { 'last-event-id': '0' });
    await resumed.until((x) => x.events().at(-1)?.id === String(sent.body.revision));
    expect(resumed.events().map((m) => m.id)).toEqual(
      own
        .events()
        .slice(1)
        .map((m) => m.id),
    );
  });

  it('a read-model stream sends the current state first, then the new state after a command', async () => {
    const overview = await open('/v1/read-models/treasury-overview/stream', ops);
    expect(overview.status).toBe(200);
    await overview.until((x) => x.messages.length >= 1);
    const first = overview.messages[0]!;
    expect(first).toMatchObject({ event: 'state', data: { name: 'treasury-overview', position: expect.any(Number) } });
    expect(first.id).toBe(String(first.data.position));
    const sent = await deposit(s, 'agent-2', agent2, '1234');
    expect(sent.status).toBe(201);
    await overview.until((x) => Number(x.messages.at(-1)?.id) >= sent.body.position);
    const latest = overview.messages.at(-1)!;
    expect(latest.data.position).toBeGreaterThanOrEqual(sent.body.position);
    expect(JSON.stringify(latest.data.state)).not.toEqual(JSON.stringify(first.data.state));
    expect(JSON.stringify(latest.data.state)).toContain('1241');
  });

  it('a read-model stream resumed with Last-Event-ID sends no view the client has, only newer ones', async () => {
    const overview = await open('/v1/read-models/treasury-overview/stream', ops);
    await overview.until((x) => x.messages.length >= 1);
    const had = overview.messages.at(-1)!.id!;
    await overview.close();
    // Found by the soak (soak.e2e.spec.ts): a reconnect got the view at its Last-Event-ID once more.
    const resumed = await open('/v1/read-models/treasury-overview/stream', ops, { 'last-event-id': had });
    expect(resumed.status).toBe(200);
    await sleep(300);
    expect(resumed.messages).toEqual([]);
    const sent = await deposit(s, 'agent-2', agent2, '5');
    await resumed.until((x) => Number(x.messages.at(-1)?.id) >= sent.body.position);
    expect(resumed.messages.every((m) => Number(m.id) > Number(had))).toBe(true);
    // An id beyond the head is from another history (a store made afresh): the view now comes at once.
    const elsewhere = await open('/v1/read-models/treasury-overview/stream', ops, { 'last-event-id': '999999999' });
    await elsewhere.until((x) => x.messages.length >= 1);
    expect(Number(elsewhere.messages[0]!.id)).toBeGreaterThanOrEqual(sent.body.position);
    expect((await open('/v1/read-models/treasury-overview/stream', ops, { 'last-event-id': 'x' })).status).toBe(400);
  });

  it('close ends every open stream (the log ones with `closing`) and resolves promptly', async () => {
    const log = await open('/v1/events/stream', ops);
    const own = await open('/v1/treasuries/agent-1/events/stream', agent1);
    const overview = await open('/v1/read-models/treasury-overview/stream', ops);
    const head = await s.head();
    await log.until((x) => x.events().at(-1)?.id === String(head));
    await own.until((x) => x.events().length > 0);
    await overview.until((x) => x.messages.length > 0);
    expect(log.events().map((m) => Number(m.id))).toEqual(Array.from({ length: head }, (_, i) => i + 1));

    const started = Date.now();
    await s.close();
    const closeMs = Date.now() - started;
    expect(closeMs).toBeLessThan(5000);
    for (const stream of [log, own, overview]) {
      await stream.until((x) => x.ended, 2000);
      expect(stream.messages.at(-1)).toMatchObject({ event: 'closing' });
    }
    process.stdout.write(`live-streams: close with 3 open streams took ${closeMs} ms\n`);
  });
});

describe('a stalled live-stream client', () => {
  /** Enough bytes of events that neither the server's socket buffer nor the client's can take them all. */
  const FILLER_EVENTS = 4000;
  const FILLER_BYTES = 4000;

  /** Opens the log stream with node's http client and never reads it: the socket buffers fill and stay full. */
  const stall = (url: string, key: string): Promise<IncomingMessage> =>
    new Promise((resolve, reject) => {
      const request = get(
        `${url}/v1/events/stream`,
        { headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' } },
        (response) => {
          response.pause();
          resolve(response);
        },
      );
      request.on('error', reject);
    });

  /** Reads what the server left in the buffers, up to the end of the response. */
  const drain = (response: IncomingMessage, ms: number): Promise<{ text: string; ended: boolean }> =>
    new Promise((resolve) => {
      let text = '';
      const timer = setTimeout(() => resolve({ text, ended: false }), ms);
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.once('end', () => {
        clearTimeout(timer);
        resolve({ text, ended: true });
      });
      response.resume();
    });

  it('is sent `resume` with the id of the last event it was given and let go; close is still prompt', async () => {
    const s = await startTestServer({ limits: { sseStallMs: 500 } });
    try {
      // Thousands of events, appended straight into the server's store (one stream no aggregate reads).
      const padding = 'x'.repeat(FILLER_BYTES);
      for (let batch = 0; batch < FILLER_EVENTS / 500; batch++) {
        const appended = await s.store.append(
          'filler-1',
          Array.from({ length: 500 }, (_, i) => ({
            type: 'Filler',
            version: 1,
            data: { n: batch * 500 + i, padding },
          })),
          { expectedRevision: 'any', commandId: `filler-${batch}` },
        );
        expect(appended._tag).toBe('Right');
      }
      const head = await s.head();

      const slow = await stall(s.url, s.operatorKey);
      expect(slow.statusCode).toBe(200);
      // A second one that never reads at all, still connected when the server closes.
      const stuck = await stall(s.url, s.operatorKey);
      await sleep(2000);
      const { text, ended } = await drain(slow, 5000);
      expect(ended).toBe(true);
      const { messages } = parseSse(text);
      const events = messages.filter((m) => m.event === 'event');
      const last = messages.at(-1)!;
      expect(last).toMatchObject({ event: 'resume', data: { reason: 'too far behind' } });
      // What it was given is 1..N in order, N short of the head; `resume` names N (Last-Event-ID would too).
      expect(events.map((m) => Number(m.id))).toEqual(events.map((_, i) => i + 1));
      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThan(head);
      expect(last.data.after).toBe(events.length);

      const started = Date.now();
      await s.close();
      const closeMs = Date.now() - started;
      expect(closeMs).toBeLessThan(5000);
      stuck.destroy();
      process.stdout.write(
        `live-streams: stalled client got ${events.length} of ${head} events (${text.length} bytes) then resume; ` +
          `close with a stuck client took ${closeMs} ms\n`,
      );
    } finally {
      await s.close();
    }
  }, 30_000);
});

describe('LiveStreams wake-ups', () => {
  it('a wait that times out leaves no subscriber behind (an idle stream polls every second)', async () => {
    const store = openMemoryStore();
    const live = await LiveStreams.start(store);
    try {
      for (let i = 0; i < 20; i++) await live.appendedFrom(live.head() + 1, 1);
      expect(live.hasWaiters()).toBe(false);
      // A wait an append ends leaves none either.
      const woken = live.appendedFrom(1, 10_000);
      expect(live.hasWaiters()).toBe(true);
      await store.append('filler-1', [{ type: 'Filler', version: 1, data: {} }], {
        expectedRevision: 'any',
        commandId: 'filler-0',
      });
      await woken;
      expect(live.head()).toBe(1);
      expect(live.hasWaiters()).toBe(false);
    } finally {
      live.closeAll();
      await store.close();
    }
  });

  it('serves the recent events it holds, exactly the log from a cursor, and sends older cursors to the store', async () => {
    const store = openMemoryStore();
    await store.append('before', [{ type: 'Filler', version: 1, data: {} }], {
      expectedRevision: 'any',
      commandId: 'b',
    });
    const live = await LiveStreams.start(store, { recent: 5 });
    try {
      for (let i = 0; i < 12; i++) {
        await store.append(`s-${i % 3}`, [{ type: 'Filler', version: 1, data: { i } }], {
          expectedRevision: 'any',
          commandId: `f-${i}`,
        });
        await live.appendedFrom(i + 2, 1000);
      }
      // Positions 2..13 were delivered; the 11th (position 12) was more than twice 5, so it kept the
      // last 5 (8..12), and 13 came after: 8..13, everything after 7.
      expect(live.head()).toBe(13);
      expect(live.recent(7, 100)).toBeUndefined();
      const fromStore: number[] = [];
      for await (const e of store.readAll({ fromPosition: 8 })) fromStore.push(e.position);
      expect(live.recent(8, 100)!.map((e) => e.position)).toEqual(fromStore);
      expect(fromStore).toEqual([8, 9, 10, 11, 12, 13]);
      expect(live.recent(11, 2)!.map((e) => e.position)).toEqual([11, 12]);
      // Past the head: covered, nothing yet (the caller waits for an append, it does not read the store).
      expect(live.recent(14, 100)).toEqual([]);
      // The position before the tail began (the store's head at start) is never served from memory.
      expect(live.recent(1, 100)).toBeUndefined();
      expect(live.json(live.recent(13, 1)![0]!)).toBe(JSON.stringify(live.recent(13, 1)![0]));
    } finally {
      live.closeAll();
      await store.close();
    }
  });

  it('shares the subscription: from the store before the tail began, from memory after, every event once', async () => {
    const store = openMemoryStore();
    const append = (i: number) =>
      store.append(`s-${i % 4}`, [{ type: 'Filler', version: 1, data: { i } }], {
        expectedRevision: 'any',
        commandId: `g-${i}`,
      });
    for (let i = 0; i < 30; i++) await append(i);
    const live = await LiveStreams.start(store, { recent: 8 });
    const shared = live.sharing(store);
    const seen: number[] = [];
    const subscription = shared.subscribe({ fromPosition: 0 }).subscribe((e) => seen.push(e.position));
    try {
      const caughtUp = async (n: number) => {
        for (let tries = 0; seen.length < n && tries < 200; tries++) await new Promise((r) => setTimeout(r, 5));
      };
      await caughtUp(30);
      // One at a time, each taken before the next: the live edge, served from memory.
      for (let i = 30; i < 60; i++) {
        await append(i);
        await caughtUp(i + 1);
      }
      expect(seen).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      // Everything else is the store's own.
      expect(await shared.headPosition()).toBe(60);
    } finally {
      subscription.unsubscribe();
      live.closeAll();
      await store.close();
    }
  });
});
