import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '@ballast/event-store';
import { runCli } from '../src/run-cli';

const ROOT = join(__dirname, '..', '..', '..');
const KEY = 'sk-test-never-print-me';
const ENV = ['BALLAST_LLM_URL', 'BALLAST_LLM_MODEL', 'BALLAST_LLM_KEY'] as const;

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  return { code, out, err };
};

/**
 * `ballast backtest --advisor llm` against a Chat Completions endpoint on loopback (never a real
 * model): the first answer keeps the risk rules, the second breaks the 40% volatile cap, the third
 * is not JSON, and so on in turn.
 */
describe('ballast backtest --advisor llm', () => {
  let server: Server;
  let url = '';
  let asked = 0;
  const bodies: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'ballast-advisor-'));
  const market = join(dir, 'market.csv');

  beforeAll(async () => {
    // Nine days of the shipped synthetic year.
    const lines = readFileSync(join(ROOT, 'examples', 'market-synthetic.csv'), 'utf8').split('\n');
    writeFileSync(market, lines.slice(0, 10).join('\n') + '\n');
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8') + (req.headers.authorization ?? ''));
        const turn = asked++ % 3;
        const content =
          turn === 0
            ? JSON.stringify({
                target: { baseYield: '0.6', BTC: '0.1', ETH: '0.05', USDC: '0.25' },
                confidence: 0.6,
                reasons: ['stay light until fear turns'],
              })
            : turn === 1
              ? JSON.stringify({
                  target: { baseYield: '0.6', BTC: '0.3', ETH: '0.2', USDC: '0' },
                  confidence: 0.9,
                  reasons: ['all in'],
                })
              : 'not json at all';
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { content } }] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  });
  afterEach(() => ENV.forEach((name) => delete process.env[name]));
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each answer as advice, refused or failed, trades on what was recorded, never prints the key', async () => {
    Object.assign(process.env, { BALLAST_LLM_URL: url, BALLAST_LLM_MODEL: 'test-model', BALLAST_LLM_KEY: KEY });
    const db = join(dir, 'advised.db');
    const run = await cli('backtest', '--market', market, '--out', join(dir, 'out'), '--db', db, '--advisor', 'llm');
    expect(run.err).toEqual([]);
    expect(run.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(dir, 'out', 'backtest.json'), 'utf8'));
    expect(summary.advisor).toMatchObject({ name: 'llm:test-model', advised: 3, refused: 3, failed: 3 });
    expect(summary.advisor.firstFailure).toMatch(/LLM_BAD_ANSWER/);
    expect(summary.refusals.ADVICE_OUT_OF_BOUNDS).toBe(3);
    expect(run.out.find((l) => l.startsWith('advisor'))).toMatch(/llm:test-model: 3 recorded, 3 refused .* 3 failed/);
    expect([...run.out, ...run.err, readFileSync(join(dir, 'out', 'backtest.json'), 'utf8')].join('\n')).not.toContain(
      KEY,
    );
    // The model saw each reading; the key went only in the Authorization header.
    expect(bodies).toHaveLength(9);
    expect(bodies.every((b) => b.endsWith(`Bearer ${KEY}`) && b.split(KEY).length === 2)).toBe(true);
    const store = openSqliteStore(db);
    const types: string[] = [];
    for await (const e of store.readAll()) types.push(e.type);
    await store.close();
    expect(types.filter((t) => t === 'AdviceRecorded')).toHaveLength(3);
    expect(types.filter((t) => t === 'SignalIssued')).toHaveLength(9);
  }, 60_000);

  it('without the endpoint configured, or half of it, is a usage error naming what is missing', async () => {
    const none = await cli('backtest', '--market', market, '--out', join(dir, 'none'), '--advisor', 'llm');
    expect(none.code).toBe(2);
    expect(none.err.join('\n')).toMatch(/BALLAST_LLM_URL, BALLAST_LLM_MODEL, BALLAST_LLM_KEY/);
    process.env.BALLAST_LLM_KEY = KEY;
    const half = await cli('backtest', '--market', market, '--out', join(dir, 'half'), '--advisor', 'llm');
    expect(half.code).toBe(2);
    expect(half.err.join('\n')).toMatch(/BALLAST_LLM_URL, BALLAST_LLM_MODEL/);
    expect(half.err.join('\n')).not.toContain(KEY);
    const bad = await cli('backtest', '--market', market, '--advisor', 'oracle');
    expect([bad.code, bad.err.join('\n')]).toEqual([2, expect.stringMatching(/--advisor must be rules or llm/)]);
  });
});
