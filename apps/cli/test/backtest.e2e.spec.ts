import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/run-cli';

const ROOT = join(__dirname, '..', '..', '..');
const MARKET = join(ROOT, 'examples', 'market-synthetic.csv');

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  return { code, out, err };
};

describe('ballast backtest', () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-backtest-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('replays the shipped synthetic market: a report beside both benchmarks, the same digest every run', async () => {
    const [a, b] = [temp(), temp()];
    const first = await cli('backtest', '--market', MARKET, '--out', a);
    expect(first.err).toEqual([]);
    expect(first.code).toBe(0);
    expect(first.out[0]).toBe('days      360 (2025-01-01 to 2025-12-26)');
    expect(first.out.find((l) => l.startsWith('base only'))).toMatch(/→ 425543\.24 \(6\.39%\)/);
    const summary = JSON.parse(readFileSync(join(a, 'backtest.json'), 'utf8'));
    expect(summary).toMatchObject({ signals: 360, start: '400000.00', marketFile: 'market-synthetic.csv' });
    expect(summary.marketSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(summary.swaps).toBeGreaterThan(100);
    expect(summary.approvals).toBeGreaterThan(0);
    expect(new Set(summary.days.map((d: { phase: string }) => d.phase))).toEqual(
      new Set(['accumulation', 'euphoria', 'top', 'bear']),
    );
    // Every swap is listed with its fill, and every change of mode with the reasons the signal gave.
    expect(summary.trades).toHaveLength(summary.swaps);
    // Approvals are the held swaps' and the held venue deposits' (the first day deploys 240,000 in three).
    const approvedSwaps = summary.trades.filter((t: { approved: boolean }) => t.approved).length;
    expect(approvedSwaps).toBeGreaterThan(0);
    expect(approvedSwaps).toBeLessThan(summary.approvals);
    // The base sleeve earns in its three venues; each kind of decision is tallied with its 7-day outcome.
    expect(summary.venues.map((v: { kind: string }) => v.kind).sort()).toEqual([
      'fixed-term',
      'lending',
      'liquidity-pool',
    ]);
    expect(Number(summary.yieldEarned)).toBeGreaterThan(10_000);
    expect(summary.decisions.map((d: { kind: string }) => d.kind)).toEqual(
      expect.arrayContaining(['signal:hedge', 'swap:buy:BTC', 'swap:sell:ETH']),
    );
    for (const d of summary.decisions) expect(d.right + d.wrong + d.flat + d.pending + d.dropped).toBe(d.decisions);
    expect(summary.turns[0].reasons.length).toBeGreaterThan(0);
    const html = readFileSync(join(a, 'backtest.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('<caption style="text-align: left; font-weight: bold">Trades</caption>');
    expect(html).toContain('Decisions and what the market did 7 days later');
    // The README shows this run as printed, less the line naming this test's folder.
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\n\`\`\`\n${first.out.filter((l) => !l.startsWith('wrote')).join('\n')}\n\`\`\`\n`);
    const second = await cli('backtest', '--market', MARKET, '--out', b);
    expect(second.out.find((l) => l.startsWith('audit'))).toBe(first.out.find((l) => l.startsWith('audit')));
    expect(readFileSync(join(b, 'backtest.json'), 'utf8')).toBe(readFileSync(join(a, 'backtest.json'), 'utf8'));
  }, 60_000);

  it('a file with bad rows is refused by line number and nothing is run or written', async () => {
    const dir = temp();
    const file = join(dir, 'bad.csv');
    writeFileSync(
      file,
      'date,btc_price,eth_price,mvrv_z,funding_rate,fear_greed\n2026-01-01,1,1,1,0,101\n2026-01-0x,1,1,1,0,1\n',
    );
    const r = await cli('backtest', '--market', file, '--out', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/bad\.csv:2: fearGreed: fear & greed must be/);
    expect(r.err[1]).toMatch(/bad\.csv:3: date "2026-01-0x" is not a UTC date/);
    expect(r.err[2]).toContain('nothing was run');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a missing file, a store that exists and a missing --market are refused', async () => {
    const dir = temp();
    expect((await cli('backtest', '--market', join(dir, 'none.csv'))).code).toBe(3);
    writeFileSync(join(dir, 'taken.db'), '');
    const taken = await cli('backtest', '--market', MARKET, '--db', join(dir, 'taken.db'), '--out', join(dir, 'o'));
    expect(taken.code).toBe(3);
    expect(taken.err[0]).toContain('exists');
    expect((await cli('backtest')).code).toBe(2);
    // An output folder that cannot be made is refused before anything runs, leaving no store behind.
    writeFileSync(join(dir, 'a-file'), '');
    const blocked = await cli(
      'backtest',
      '--market',
      MARKET,
      '--out',
      join(dir, 'a-file'),
      '--db',
      join(dir, 'run.db'),
    );
    expect(blocked.code).toBe(3);
    expect(existsSync(join(dir, 'run.db'))).toBe(false);
  });
});
