import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  defiPreset,
  MarketSnapshotCodec,
  type MarketSnapshot,
  type TreasuryAccount,
  TreasuryConfigCodec,
} from '@ballast/domain';
import { type Ballast, openBallast } from '@ballast/engine';
import { type EventStore, openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { llmAdvisor, llmAdvisorFromEnv, llmAdvisorName } from '../src/advisors/llm-advisor';
import { adviseAndRecord, advisorInputFor } from '../src/advisors/record-advice';

const KEY = 'sk-test-7f3a9c-do-not-leak';
const MODEL = 'gpt-test/mini 1';
const T0 = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TREASURY = 'llm-advised';

interface Seen {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly body: string;
}

/** A Chat Completions endpoint on loopback: answers as the current test says, keeps every request it got. */
const fakeModel = () => {
  const seen: Seen[] = [];
  let answer: (res: ServerResponse) => void = () => undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      answer(res);
    });
  });
  return {
    seen,
    listen: () =>
      new Promise<string>((resolve) =>
        server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`)),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
    /** The model's message content, wrapped the way Chat Completions returns it. */
    says: (content: string) => {
      answer = (res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', choices: [{ message: { content } }] }));
      };
    },
    replies: (status: number, body: string) => {
      answer = (res) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body);
      };
    },
    hangs: () => {
      answer = () => undefined;
    },
  };
};

describe('the language-model advisor: asked over HTTP, recorded as events, judged by the risk rules', () => {
  const model = fakeModel();
  let baseUrl = '';
  let dir = '';
  let store: EventStore;
  let ballast: Ballast;
  let now = T0 - 2 * DAY;
  let n = 0;
  const snapshot: MarketSnapshot = E.getOrElseW(() => {
    throw new Error('bad snapshot');
  })(
    MarketSnapshotCodec.decode({
      observedAt: T0,
      btcPrice: '97123.45',
      ethPrice: '3456.78',
      mvrvZ: '2.41',
      fundingRate: '0.0003',
      fearGreed: '31',
      source: 'test-feed',
    }),
  );
  const context = () => ({ commandId: `advice-${n++}`, actor: TREASURY });
  const send = async (command: Record<string, unknown>) => {
    const out = await ballast.treasuries.execute(TREASURY, command as never, context());
    if (E.isLeft(out)) throw new Error(out.left.message);
  };
  // What the advisor is shown: the treasury as it was before this reading (the last signal's phase).
  let before: TreasuryAccount;
  const input = async () => advisorInputFor(before, snapshot, now);
  const advisor = (timeoutMs?: number) =>
    llmAdvisor({ baseUrl, model: MODEL, apiKey: KEY, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  const answer = (target: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    JSON.stringify({ target, confidence: 0.7, reasons: ['fear at 31 with cool funding: lean into BTC'], ...extra });

  beforeAll(async () => {
    baseUrl = await model.listen();
    dir = mkdtempSync(join(tmpdir(), 'ballast-llm-'));
    store = openSqliteStore(join(dir, 'ballast.db'));
    ballast = openBallast({ store, clock: { now: () => now } });
    await send({ type: 'OpenTreasury', config: TreasuryConfigCodec.encode(defiPreset()) });
    await send({ type: 'Deposit', amount: '100000' });
    // The day before, MVRV at 4: euphoria, the phase the advisor is told came last.
    now = T0 - DAY + HOUR;
    await send({
      type: 'RecordMarket',
      snapshot: { ...MarketSnapshotCodec.encode(snapshot), observedAt: T0 - DAY, mvrvZ: '4' },
    });
    before = (await ballast.treasuries.load(TREASURY)).state;
    now = T0 + HOUR;
    await send({ type: 'RecordMarket', snapshot: MarketSnapshotCodec.encode(snapshot) });
  });
  afterAll(async () => {
    await model.close();
    await ballast.snapshots.settled();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a sensible answer is recorded as AdviceRecorded; the request carries the reading, the key only in its header', async () => {
    model.says(answer({ baseYield: '0.6', BTC: 0.2, ETH: '0.1', USDC: 0.1 }));
    const out = await adviseAndRecord(ballast, TREASURY, advisor(), await input(), context());
    expect(out).toMatchObject({ outcome: 'recorded', advisor: 'llm:gpt-test-mini-1' });
    if (out.outcome !== 'recorded') throw new Error('not recorded');
    expect(out.events).toMatchObject([
      {
        type: 'AdviceRecorded',
        advisor: 'llm:gpt-test-mini-1',
        observedAt: T0,
        reasons: ['fear at 31 with cool funding: lean into BTC'],
      },
    ]);
    const recorded = out.events[0] as unknown as { target: Record<string, { toFixed(): string }>; confidence: object };
    expect(Object.fromEntries(Object.entries(recorded.target).map(([k, v]) => [k, v.toFixed()]))).toEqual({
      baseYield: '0.6',
      BTC: '0.2',
      ETH: '0.1',
      USDC: '0.1',
    });
    // What the store holds is what was sent: the advice, on the reading it was about.
    const last = [];
    for await (const e of store.readStream(`treasury-${TREASURY}`, {
      from: 'end',
      direction: 'backwards',
      maxCount: 1,
    }))
      last.push(e);
    expect(last[0]).toMatchObject({
      type: 'AdviceRecorded',
      data: { advisor: 'llm:gpt-test-mini-1', confidence: '0.7' },
    });

    expect(model.seen).toHaveLength(1);
    const request = model.seen[0]!;
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.authorization).toBe(`Bearer ${KEY}`);
    expect(request.body).not.toContain(KEY);
    const body = JSON.parse(request.body);
    expect(body).toMatchObject({ model: MODEL, response_format: { type: 'json_object' } });
    const user = JSON.parse(body.messages[1].content);
    expect(user.reading).toMatchObject({ btcPrice: '97123.45', mvrvZ: '2.41', fearGreed: '31', source: 'test-feed' });
    expect(user.policy).toMatchObject({ volatileCap: '0.4', positionCap: '0.25', baseYield: '0.6' });
    expect(user.previousPhase).toBe('euphoria');
  });

  it('an answer breaking the 40% volatile cap is refused ADVICE_OUT_OF_BOUNDS, and the refusal is recorded', async () => {
    model.says(answer({ baseYield: '0.5', BTC: '0.25', ETH: '0.25', USDC: '0' }));
    const out = await adviseAndRecord(ballast, TREASURY, advisor(), await input(), context());
    expect(out).toMatchObject({ outcome: 'refused', code: 'ADVICE_OUT_OF_BOUNDS' });
    if (out.outcome !== 'refused') throw new Error('not refused');
    expect(out.message).toContain('volatile 0.5 is above the cap of 0.4');
    expect(out.recorded).toMatchObject([
      { type: 'CommandRejected', code: 'ADVICE_OUT_OF_BOUNDS', subject: 'advice:llm:gpt-test-mini-1' },
    ]);
  });

  it.each([
    ['not JSON', 'Sure! Here is my advice: buy BTC', /answer is not JSON: "Sure! Here is my advice/],
    [
      'a missing field',
      JSON.stringify({ target: { baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' } }),
      /confidence/,
    ],
    [
      'a field it does not know',
      answer({ baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' }, { mood: 'bullish' }),
      /mood/,
    ],
    ['a target out of range', answer({ baseYield: '0.6', BTC: '-0.2', ETH: '0.1', USDC: '0.5' }), /target\.BTC/],
  ])('an answer with %s is a clear error and nothing is appended', async (_what, content, message) => {
    model.says(content);
    const head = await store.headPosition();
    const out = await adviseAndRecord(ballast, TREASURY, advisor(), await input(), context());
    expect(out).toMatchObject({ outcome: 'failed', code: 'LLM_BAD_ANSWER' });
    if (out.outcome !== 'failed') throw new Error('not failed');
    expect(out.message).toMatch(message);
    expect(out.message).not.toContain(KEY);
    expect(await store.headPosition()).toBe(head);
  });

  it('a server that never answers is a timeout, and nothing is appended', async () => {
    model.hangs();
    const head = await store.headPosition();
    const started = Date.now();
    const out = await adviseAndRecord(ballast, TREASURY, advisor(150), await input(), context());
    expect(out).toMatchObject({ outcome: 'failed', code: 'LLM_TIMEOUT' });
    if (out.outcome !== 'failed') throw new Error('not failed');
    expect(out.message).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions within 150 ms/);
    expect(out.message).not.toContain(KEY);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await store.headPosition()).toBe(head);
  });

  it('an HTTP error, or an answer past the size limit, is a clear error that never shows the key', async () => {
    const head = await store.headPosition();
    // An endpoint that echoes the request's credentials back in its error.
    model.replies(401, JSON.stringify({ error: { message: `invalid api key ${KEY}` } }));
    const denied = await adviseAndRecord(ballast, TREASURY, advisor(), await input(), context());
    expect(denied).toMatchObject({ outcome: 'failed', code: 'LLM_HTTP' });
    if (denied.outcome !== 'failed') throw new Error('not failed');
    expect(denied.message).toMatch(/HTTP 401: .*invalid api key \[redacted\]/);
    expect(denied.message).not.toContain(KEY);
    model.says(
      answer({ baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' }, { reasons: ['x'.repeat(100 * 1024)] }),
    );
    const large = await adviseAndRecord(ballast, TREASURY, advisor(), await input(), context());
    expect(large).toMatchObject({ outcome: 'failed', code: 'LLM_TOO_LARGE' });
    expect(await store.headPosition()).toBe(head);
  });

  it('a reading too old to act on is not sent: no advice, nothing asked', async () => {
    const asked = model.seen.length;
    const stale = { ...(await input()), now: T0 + 2 * DAY };
    const out = await adviseAndRecord(ballast, TREASURY, advisor(), stale, context());
    expect(out).toEqual({ outcome: 'silent', advisor: 'llm:gpt-test-mini-1' });
    expect(model.seen).toHaveLength(asked);
  });

  it('off by default: no environment, no advisor; a half-set one names what is missing, never the key', () => {
    expect(llmAdvisorFromEnv({})).toBeUndefined();
    expect(() => llmAdvisorFromEnv({ BALLAST_LLM_KEY: KEY })).toThrow(
      'the language-model advisor needs BALLAST_LLM_URL, BALLAST_LLM_MODEL set as well',
    );
    const advisor = llmAdvisorFromEnv({ BALLAST_LLM_URL: baseUrl, BALLAST_LLM_MODEL: MODEL, BALLAST_LLM_KEY: KEY });
    expect(advisor?.name).toBe('llm:gpt-test-mini-1');
    expect(llmAdvisorName('x'.repeat(100))).toHaveLength(64);
  });
});
