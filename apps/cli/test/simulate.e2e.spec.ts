import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
// decimal.js, as the domain configures it (40 significant digits): exact for every amount here.
import { Decimal } from '@ballast/domain';
import { runCli } from '../src/run-cli';
import { poolConfigJson } from '../src/simulation/pool-config-json';
import { readRunMarker } from '../src/simulation/run-marker';
import { openMemoryStore, openSqliteStore } from '@ballast/event-store';
import { auditStore } from '@ballast/engine';
import { reportHtml } from '../src/simulation/report-html';
import { runSimulation } from '../src/simulation/run-simulation';
import { DEFAULT_SIMULATION } from '../src/simulation/simulation-types';
import { summaryTable } from '../src/simulation/summary-table';

const markerOf = async (db: string, seed: number) => {
  const store = openSqliteStore(db);
  try {
    return await readRunMarker(store, seed);
  } finally {
    await store.close();
  }
};

const capture = () => {
  const lines: string[] = [];
  const errors: string[] = [];
  return { io: { out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) }, lines, errors };
};
const simulate = async (...args: string[]) => {
  const c = capture();
  const code = await runCli(['simulate', ...args], c.io);
  return { code, out: c.lines.join('\n'), err: c.errors.join('\n') };
};

interface SummaryJson {
  readonly options: { readonly scenario: string };
  readonly agents: readonly {
    readonly agentId: string;
    readonly start: string;
    readonly end: string;
    readonly cover: string;
    readonly pnl: Readonly<Record<string, string>>;
  }[];
  readonly pool: {
    readonly poolId: string;
    readonly fundingRatio: string;
    readonly coverage: string;
    readonly minFundingRatio: string;
    readonly underfunded: boolean;
    readonly claimsFiled: number;
    readonly claimsPaid: number;
    readonly claimsRejected: number;
  };
  readonly warnings: readonly string[];
  readonly refusals: Readonly<Record<string, number>>;
  readonly claims: readonly {
    readonly claimId: string;
    readonly claimant: string;
    readonly amount: string;
    readonly status: string;
    readonly payout: string;
  }[];
  readonly breakers: readonly {
    readonly at: string;
    readonly agentId: string;
    readonly type: string;
    readonly from: string;
    readonly to: string;
    readonly reason: string;
  }[];
}

/** The cells of the report's table whose caption starts with `caption`, row by row (header first). */
const tableOf = (html: string, caption: string): string[][] => {
  const at = html.indexOf(`<caption>${caption.replace(/&/g, '&amp;')}`);
  if (at < 0) throw new Error(`no table captioned ${caption}`);
  const body = html.slice(at, html.indexOf('</table>', at));
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => c[1]!.replace(/&amp;/g, '&')),
  );
};

const PNL_KEYS = [
  'casino',
  'trading',
  'funding',
  'escrowPaid',
  'escrowFees',
  'escrowEarned',
  'premiums',
  'stakes',
  'payouts',
  'referrals',
  'revaluation',
  'yield',
  'withdrawals',
  'otherTransfers',
  'depositsAfterStart',
  'unrealized',
];

const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

describe('ballast simulate', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-sim-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is deterministic: the same seed and flags give a byte-identical summary and the same audit digest, on either store', async () => {
    const a = await simulate('--days', '6', '--seed', '7', '--store', 'memory', '--out', join(dir, 'a'));
    const b = await simulate('--days', '6', '--seed', '7', '--db', join(dir, 'b.db'), '--out', join(dir, 'b'));
    const c = await simulate('--days', '6', '--seed', '8', '--store', 'memory', '--out', join(dir, 'c'));
    expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
    const summary = (name: string) => readFileSync(join(dir, name, 'summary.json'), 'utf8');
    expect(summary('b')).toBe(summary('a'));
    expect(summary('c')).not.toBe(summary('a'));
    const digest = (out: string) => /digest ([0-9a-f]{64})/.exec(out)![1];
    expect(digest(b.out)).toBe(digest(a.out));
    expect(JSON.parse(summary('a'))).toMatchObject({
      options: { seed: 7, days: 6, agents: 5 },
      audit: { ok: true },
      agents: [{ agentId: 'agent-1', start: '1000.00' }, {}, {}, {}, {}],
    });
    expect(a.out).toMatch(/agent-5 +1000\.00/);
  }, 120_000);

  it('refuses an existing store without --fresh and leaves it untouched; --fresh moves it to a backup, never deletes it', async () => {
    const stores = join(dir, 'stores');
    mkdirSync(stores);
    const db = join(stores, 'existing.db');
    const made = await simulate('--days', '1', '--db', db, '--out', join(dir, 'e1'));
    expect(made.code).toBe(0);
    const first = readFileSync(db);
    const again = await simulate('--days', '1', '--db', db, '--out', join(dir, 'e2'));
    expect(again.code).toBe(2);
    expect(again.err).toContain('already holds a store');
    expect(readFileSync(db).equals(first)).toBe(true);
    const fresh = await simulate('--days', '1', '--db', db, '--fresh', '--out', join(dir, 'e3'));
    expect(fresh.code).toBe(0);
    expect(fresh.out).toContain(`kept the earlier store as ${join(stores, 'existing.backup-1.db')}`);
    expect(JSON.parse(readFileSync(join(dir, 'e3', 'summary.json'), 'utf8')).audit.ok).toBe(true);
    expect(readFileSync(join(stores, 'existing.backup-1.db')).equals(first)).toBe(true);
    // The backup is the first run's store as it was: it audits to the first run's digest.
    const backup = openSqliteStore(join(stores, 'existing.backup-1.db'));
    try {
      expect((await auditStore(backup)).totalDigest).toBe(/digest ([0-9a-f]{64})/.exec(made.out)![1]);
    } finally {
      await backup.close();
    }
    // The counter goes one past the highest backup, so an earlier one is never overwritten.
    const second = readFileSync(db);
    writeFileSync(join(stores, 'existing.backup-7.db'), 'an older backup');
    expect((await simulate('--days', '1', '--db', db, '--fresh', '--out', join(dir, 'e4'))).code).toBe(0);
    expect(readFileSync(join(stores, 'existing.backup-8.db')).equals(second)).toBe(true);
    expect(readFileSync(join(stores, 'existing.backup-7.db'), 'utf8')).toBe('an older backup');
    expect(
      readdirSync(stores)
        .filter((f) => !f.endsWith('.lock'))
        .sort(),
    ).toEqual(['existing.backup-1.db', 'existing.backup-7.db', 'existing.backup-8.db', 'existing.db']);
  }, 120_000);

  it('writes to a store named by its seed under ./data, never ./data/ballast.db, and records that the run completed', async () => {
    const cwd = join(dir, 'cwd');
    mkdirSync(join(cwd, 'data'), { recursive: true });
    // A store written by the README's library examples: the simulation must not touch it.
    writeFileSync(join(cwd, 'data', 'ballast.db'), "a user's store");
    const cli = join(__dirname, '..', 'src', 'main.ts');
    // tsx by its path: `--import tsx` would be looked up from the working directory, outside the workspace.
    const tsx = pathToFileURL(require.resolve('tsx')).href;
    const run = () =>
      spawnSync(process.execPath, ['--import', tsx, cli, 'simulate', '--fresh', '--days', '1', '--seed', '5'], {
        encoding: 'utf8',
        cwd,
      });
    for (const attempt of [1, 2]) {
      const r = run();
      expect({ attempt, status: r.status, stderr: r.stderr }).toEqual({ attempt, status: 0, stderr: '' });
      expect(r.stdout).toContain('seed 5, ./data/sim-seed-5.db');
    }
    expect(readFileSync(join(cwd, 'data', 'ballast.db'), 'utf8')).toBe("a user's store");
    expect(
      readdirSync(join(cwd, 'data'))
        .filter((f) => !f.endsWith('.lock'))
        .sort(),
    ).toEqual(['ballast.db', 'sim-seed-5.backup-1.db', 'sim-seed-5.db']);
    expect(await markerOf(join(cwd, 'data', 'sim-seed-5.db'), 5)).toEqual({
      complete: true,
      hoursRun: 24,
      totalHours: 24,
    });
    expect(JSON.parse(readFileSync(join(cwd, 'out', 'summary.json'), 'utf8')).run).toEqual({
      complete: true,
      hoursRun: 24,
      totalHours: 24,
    });
  }, 120_000);

  it('stops cleanly on Ctrl-C: events so far kept (and verify), run marked incomplete, partial summary written', async () => {
    const db = join(dir, 'interrupted.db');
    const out = join(dir, 'interrupted');
    const cli = join(__dirname, '..', 'src', 'main.ts');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', cli, 'simulate', '--days', '90', '--db', db, '--out', out],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    // Interrupt once the first ten days have been simulated (a full run takes far longer than that).
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (/day +10\/90/.test(stdout)) resolve();
      });
      child.on('exit', () => reject(new Error(`exited before day 10: ${stdout}${stderr}`)));
    });
    const interruptedAt = Date.now();
    child.kill('SIGINT');
    const end = await exited;
    expect({ code: end.code, signal: end.signal }).toEqual({ code: 130, signal: null });
    // Generous: the hour in progress ends, then the partial run is summarised and audited.
    expect(end.at - interruptedAt).toBeLessThan(20_000);
    expect(stderr).toContain('stopping at the end of this hour');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.run).toMatchObject({ complete: false, totalHours: 2160 });
    expect(summary.run.hoursRun).toBeGreaterThanOrEqual(240);
    expect(summary.run.hoursRun).toBeLessThan(2160);
    expect(summary.audit.ok).toBe(true);
    expect(stdout).toMatch(/audit: ok, .* \(of an INCOMPLETE run: \d+ of 2160 hours\)/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Incomplete run: stopped after hour');
    const verify = spawnSync(process.execPath, ['--import', 'tsx', cli, 'audit', '--db', db], { encoding: 'utf8' });
    expect(verify.status).toBe(0);
    // The audit on its own says the run is incomplete, read from the marker the stop appended.
    expect(verify.stdout).toMatch(
      new RegExp(`run +INCOMPLETE: simulation-42 stopped by SIGINT after hour ${summary.run.hoursRun} of 2160`),
    );
    expect(await markerOf(db, 42)).toEqual({
      complete: false,
      hoursRun: summary.run.hoursRun,
      totalHours: 2160,
      stoppedBy: 'SIGINT',
    });
  }, 180_000);

  it('explains bad flags', async () => {
    for (const [args, message] of [
      [['--days', '0'], '--days must be an integer'],
      [['--kelly', 'double'], '--kelly must be full, half or quarter'],
      [['--lottery', 'maybe'], '--lottery must be on or off'],
      [['--bet-cap', '2'], '--bet-cap must be a decimal'],
      [['--store', 'postgres'], '--store must be sqlite, memory or an esdb:// connection string'],
      [['--store', 'memory', '--out', __filename], `--out ${__filename} cannot be a directory`],
      [['--scenario', 'panic'], '--scenario must be normal or stress, got panic'],
    ] as const) {
      const r = await simulate(...args);
      expect([r.code, r.err]).toEqual([2, expect.stringContaining(message)]);
    }
  });

  // Seed 11 leaves the pool below its 20% minimum after six days (two claims paid); seed 7 pays none.
  const runs = new Map<number, Promise<{ code: number; out: string; err: string; summary: SummaryJson }>>();
  const sixDays = (seed: number) => {
    if (!runs.has(seed)) {
      const out = join(dir, `pnl-${seed}`);
      runs.set(
        seed,
        simulate('--days', '6', '--seed', String(seed), '--store', 'memory', '--out', out).then((r) => ({
          ...r,
          summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryJson,
        })),
      );
    }
    return runs.get(seed)!;
  };

  it("summary.json: every agent's P&L by source adds up exactly, start + Σ sources = end", async () => {
    for (const seed of [11, 7]) {
      const { code, err, summary } = await sixDays(seed);
      // A P&L that does not reconcile throws inside the run: the message is on stderr.
      expect({ seed, code, err }).toEqual({ seed, code: 0, err: '' });
      for (const a of summary.agents) {
        expect(Object.keys(a.pnl).sort()).toEqual([...PNL_KEYS].sort());
        const total = Object.values(a.pnl).reduce((n, v) => n.plus(new Decimal(v)), new Decimal(0));
        expect({ agent: a.agentId, seed, reconciled: new Decimal(a.start).plus(total).toFixed() }).toEqual({
          agent: a.agentId,
          seed,
          reconciled: new Decimal(a.end).toFixed(),
        });
        // Every agent staked $100 to join the pool and gambled; nothing was deposited after the start.
        expect([a.pnl.stakes, a.pnl.depositsAfterStart]).toEqual(['-100.00', '0.00']);
        expect(new Decimal(a.pnl.casino!).isZero()).toBe(false);
      }
      // Money moved between agents (escrow jobs) and into the pool (stakes): a source for some, a cost for others.
      expect(summary.agents.some((a) => new Decimal(a.pnl.escrowEarned!).gt(0))).toBe(true);
    }
  }, 120_000);

  it("prints the P&L by source with an exact check per agent, and each agent's cover", async () => {
    const { out, summary } = await sixDays(7);
    const lines = out.split('\n');
    const title = lines.indexOf('P&L by source (cents shown; the check is exact):');
    expect(title).toBeGreaterThan(0);
    expect(lines[title + 1]).toMatch(
      /^agent +casino +trading +funding +escrow paid +escrow earned +fees +premiums +stakes +payouts +referrals +other +unrealized +start \+ Σ = end$/,
    );
    for (const [i, a] of summary.agents.entries()) {
      expect(lines[title + 3 + i]).toMatch(new RegExp(`^${a.agentId} .* -100\\.00 .* ok$`));
      expect(out).toMatch(new RegExp(`^${a.agentId} .* ${a.cover}$`, 'm'));
    }
    const pool = lines.findIndex((l) => l.startsWith('pool main:'));
    for (const line of lines.slice(title, pool + 1)) expect(line.length).toBeLessThanOrEqual(160);
  }, 120_000);

  it('warns when the pool ends below its minimum funding ratio, and only then', async () => {
    const minimum = new Decimal((poolConfigJson() as { minFundingRatio: string }).minFundingRatio);
    const low = await sixDays(11);
    expect(low.summary.pool).toMatchObject({ poolId: 'main', underfunded: true, minFundingRatio: minimum.toFixed() });
    expect(new Decimal(low.summary.pool.fundingRatio).lt(minimum)).toBe(true);
    expect(low.out).toContain('warning: pool main is underfunded: funding ratio 19.9% < minimum 20%');
    expect(low.out).toMatch(/^pool main: .*funding ratio 19\.9% \(minimum 20%, underfunded\)/m);
    // The same warning, word for word, in summary.json and at the top of the report.
    expect(low.summary.warnings).toEqual(['pool main is underfunded: funding ratio 19.9% < minimum 20%']);
    expect(readFileSync(join(dir, 'pnl-11', 'report.html'), 'utf8')).toMatch(
      /<h2 id="warnings">Warnings<\/h2><ul class="warnings"><li>pool main is underfunded: funding ratio 19\.9% &lt; minimum 20%<\/li><\/ul>/,
    );

    const healthy = await sixDays(7);
    expect(healthy.summary.pool.underfunded).toBe(false);
    expect(new Decimal(healthy.summary.pool.fundingRatio).gte(minimum)).toBe(true);
    expect(healthy.out).not.toContain('warning: pool');
    expect(healthy.summary.warnings).toEqual([]);
    expect(readFileSync(join(dir, 'pnl-7', 'report.html'), 'utf8')).not.toContain('Warnings</h2>');
    expect(healthy.out).toMatch(/^pool main: .*\(minimum 20%, funded\)/m);
  }, 120_000);

  it("report: P&L by source (the summary's figures), refusals by code, claims and breaker trips in tables", async () => {
    const { summary } = await sixDays(11);
    const html = readFileSync(join(dir, 'pnl-11', 'report.html'), 'utf8');
    const pnl = tableOf(html, 'P&L by source');
    expect(pnl[0]!.slice(0, 3)).toEqual(['agent', 'casino', 'trading']);
    for (const [i, a] of summary.agents.entries()) {
      const row = pnl[i + 1]!;
      expect(row[0]).toBe(a.agentId);
      expect([row[1], row[2], row[8]]).toEqual([
        new Decimal(a.pnl.casino!).toFixed(2),
        new Decimal(a.pnl.trading!).toFixed(2),
        new Decimal(a.pnl.stakes!).toFixed(2),
      ]);
      expect(row[row.length - 1]).toBe('ok');
    }
    const refusals = tableOf(html, 'Refused commands by rejection code');
    // Seed 11 sends no refused command in six days (the stress run below does, and its table is checked there).
    expect(summary.refusals).toEqual({});
    expect(refusals).toEqual([['code', 'count'], ['no command was refused']]);
    const claims = tableOf(html, 'Claims on the pool');
    expect(claims.length - 1).toBe(summary.pool.claimsFiled);
    expect(claims.slice(1)).toEqual(
      summary.claims.map((c) => [c.claimId, c.claimant, expect.any(String), c.amount, c.status, c.payout || '-']),
    );
    expect(summary.claims.filter((c) => c.status === 'paid')).toHaveLength(summary.pool.claimsPaid);
    // Seed 11 trips no breaker in six days of the normal scenario: the table says so.
    expect(summary.breakers).toEqual([]);
    expect(tableOf(html, 'Breaker trips')).toEqual([
      ['agent', 'time (UTC)', 'breaker', 'desk', 'from', 'to', 'reason'],
      ['no breaker tripped'],
    ]);
  }, 120_000);

  // Ten days of the stress scenario: crash days 2, 5 and 8 (and 10's start is not one), a bad counterparty, a dishonest
  // bloc.
  let stressRun: Promise<{ code: number; out: string; summary: SummaryJson; html: string }> | undefined;
  const stress = () =>
    (stressRun ??= (async () => {
      const out = join(dir, 'stress');
      const r = await simulate('--days', '10', '--scenario', 'stress', '--store', 'memory', '--out', out);
      return {
        ...r,
        summary: JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as SummaryJson,
        html: readFileSync(join(out, 'report.html'), 'utf8'),
      };
    })());

  it('--scenario stress trips breakers: summary.json, breaker table (ISO time, from/to, reason), drawdown chart markers', async () => {
    const { code, summary, html } = await stress();
    expect(code).toBe(0);
    expect(summary.options.scenario).toBe('stress');
    expect(summary.breakers.length).toBeGreaterThan(0);
    const rows = tableOf(html, 'Breaker trips').slice(1);
    expect(rows).toEqual(
      summary.breakers.map((b) => [b.agentId, b.at, b.type, expect.any(String), b.from, b.to, b.reason]),
    );
    for (const b of summary.breakers) {
      expect(b.at).toMatch(/^2026-01-\d\dT\d\d:00:00\.000Z$/);
      expect(b.from).not.toBe(b.to);
      expect(b.reason).toMatch(/\d+\.\d%/);
    }
    expect(html.match(/<circle [^>]*><title>agent-\d: \w+ at 2026-/g)).toHaveLength(summary.breakers.length);
    // The claims chart's y ticks sit at 0, half the maximum and the maximum: the middle one is labelled
    // with its value (1.5 of 3), not rounded to a count that belongs elsewhere on the axis.
    expect(summary.pool.claimsFiled).toBeGreaterThan(0);
    const claimsChart = /aria-label="Claims">(.*?)<\/svg>/s.exec(html)![1]!;
    const yTicks = [
      ...claimsChart.matchAll(/<text x="\d+" y="[\d.]+" text-anchor="end" font-size="10">([^<]*)<\/text>/g),
    ].map((m) => Number(m[1]));
    expect(yTicks).toHaveLength(3);
    expect(yTicks[1]).toBe((yTicks[0]! + yTicks[2]!) / 2);
    // The breakers refuse what follows a trip; the refusals table counts them by code.
    expect(Object.keys(summary.refusals).some((c) => /HALTED|PAUSED/.test(c))).toBe(true);
    expect(tableOf(html, 'Refused commands by rejection code').slice(1)).toEqual(
      Object.entries(summary.refusals).map(([c, n]) => [c, String(n)]),
    );
  }, 120_000);

  it('the default scenario is normal and as before: stress changes the run, normal does not', async () => {
    const normal = await sixDays(7);
    expect(normal.summary.options.scenario).toBe('normal');
    const out = join(dir, 'normal-explicit');
    const explicit = await simulate(
      '--days',
      '6',
      '--seed',
      '7',
      '--scenario',
      'normal',
      '--store',
      'memory',
      '--out',
      out,
    );
    expect(readFileSync(join(out, 'summary.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'pnl-7', 'summary.json'), 'utf8'),
    );
    expect(/digest ([0-9a-f]{64})/.exec(explicit.out)![1]).toBe(/digest ([0-9a-f]{64})/.exec(normal.out)![1]);
  }, 120_000);

  const browserTest = chromium ? it : process.env.CI ? it : it.skip;
  browserTest(
    'writes a report whose SVG charts (with time axes), tables and breaker markers render in headless Chromium',
    async () => {
      if (!chromium) throw new Error('Chromium is required for this test in CI (.ci/run installs the Debian package)');
      const { code, summary } = await stress();
      expect(code).toBe(0);
      const html = join(dir, 'stress', 'report.html');
      const dom = execFileSync(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--user-data-dir=${join(dir, 'chromium-profile')}`,
          '--dump-dom',
          `file://${html}`,
        ],
        { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const rendered = /data-charts-rendered="(\d+)"/.exec(dom);
      const total = /data-charts="(\d+)"/.exec(dom);
      // Five bucket charts, drawdown, reserve, funding ratio and claims: all laid out with a size.
      expect([Number(rendered?.[1]), Number(total?.[1])]).toEqual([9, 9]);
      expect(dom).toContain('Treasury value by bucket');
      // Every chart has a laid-out time axis (day ticks, titled) and a titled y axis.
      expect(/data-time-axes="(\d+)"/.exec(dom)?.[1]).toBe('9');
      // The tables, found by their accessible names (captions) as the browser computed them.
      expect(/data-tables="([^"]*)"/.exec(dom)?.[1]?.split('|')).toEqual(
        expect.arrayContaining([
          'P&amp;L by source, per agent (rounded to cents; summary.json has them exact)',
          'Refused commands by rejection code',
          'Claims on the pool',
          'Breaker trips',
        ]),
      );
      expect(/data-breaker-markers="(\d+)"/.exec(dom)?.[1]).toBe(String(summary.breakers.length));
    },
    120_000,
  );

  it('runs DeFi treasuries beside the agents: in the summary, the table and the report, and the store audits', async () => {
    const store = openMemoryStore();
    try {
      const result = await runSimulation(store, { ...DEFAULT_SIMULATION, days: 3, agents: 2, defi: 2 });
      expect(result.agents.map((a) => a.agentId)).toEqual(['agent-1', 'agent-2']);
      expect(result.defi?.map((d) => d.treasuryId)).toEqual(['defi-1', 'defi-2']);
      for (const d of result.defi!) {
        // One reading a day, each with its signal; the $400,000 sleeve trades and swaps above $50,000 wait for the operator.
        expect(d).toMatchObject({ start: '400000.00', signals: 3, status: 'ACTIVE' });
        expect(d.swaps).toBeGreaterThan(0);
        expect(d.approvals).toBeGreaterThan(0);
        expect(d.mode).not.toBe('');
        expect(new Decimal(d.end).minus(d.start).div(d.start).toFixed(4)).toBe(d.return);
        // The base sleeve is in the simulated venues from day one, earning; three days are too few to judge a decision.
        expect(new Decimal(d.yield).gt(0)).toBe(true);
        expect(d.decisionsJudged).toBe(0);
      }
      expect(result.series[0]?.defi).toEqual({ 'defi-1': expect.any(Number), 'defi-2': expect.any(Number) });
      const table = summaryTable(result).join('\n');
      expect(table).toMatch(
        /^defi-1 +400000\.00 +\d+\.\d\d +-?\d+\.\d\d% +\d+\.\d\d +\w+ +\w+ +3 +\d+ +\d+ +(-|\d+ of \d+) +ACTIVE$/m,
      );
      const audit = await auditStore(store);
      expect(audit.ok).toBe(true);
      const html = reportHtml(result, audit.totalDigest);
      const rows = tableOf(html, 'DeFi treasuries on a synthetic market cycle');
      expect(rows[0]).toEqual([
        'defi treasury',
        'start',
        'end',
        'return',
        'yield',
        'phase',
        'mode',
        'signals',
        'swaps',
        'approvals',
        'right at 7 d',
        'status',
      ]);
      expect(rows.slice(1).map((r) => r[0])).toEqual(['defi-1', 'defi-2']);
      expect(html).toContain('DeFi treasuries: equity');
    } finally {
      await store.close();
    }
  }, 120_000);

  it('summary.json of a --defi 2 run has the DeFi treasuries and their equity per sample; one without has neither', async () => {
    const out = join(dir, 'defi-2');
    const r = await simulate('--days', '2', '--agents', '2', '--defi', '2', '--store', 'memory', '--out', out);
    expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as {
      readonly options: { readonly defi?: number };
      readonly defi: readonly { readonly treasuryId: string; readonly start: string; readonly yield: string }[];
      readonly series: readonly { readonly hour: number; readonly defi: Readonly<Record<string, number>> }[];
    };
    expect(summary.options.defi).toBe(2);
    expect(summary.defi.map((d) => [d.treasuryId, d.start])).toEqual([
      ['defi-1', '400000.00'],
      ['defi-2', '400000.00'],
    ]);
    // Every sample of the run (each 6 hours), with each treasury's equity.
    expect(summary.series.map((p) => p.hour)).toEqual([6, 12, 18, 24, 30, 36, 42, 48]);
    for (const p of summary.series) expect(Object.keys(p.defi)).toEqual(['defi-1', 'defi-2']);
    // Each treasury's venues quote from a seed of their own: the same market, a different yield.
    expect(summary.defi[0]!.yield).not.toBe(summary.defi[1]!.yield);
    // Out of range or not a number: bad usage, and no store or report is written.
    for (const bad of ['21', 'two']) {
      const refused = await simulate(
        '--days',
        '2',
        '--defi',
        bad,
        '--store',
        'memory',
        '--out',
        join(dir, `defi-${bad}`),
      );
      expect({ code: refused.code, err: refused.err }).toEqual({ code: 2, err: expect.stringContaining('--defi') });
      expect(existsSync(join(dir, `defi-${bad}`, 'summary.json'))).toBe(false);
    }
    const none = join(dir, 'defi-0');
    expect((await simulate('--days', '2', '--agents', '2', '--store', 'memory', '--out', none)).code).toBe(0);
    const without = JSON.parse(readFileSync(join(none, 'summary.json'), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(without)).not.toContain('defi');
    expect(Object.keys(without)).not.toContain('series');
  }, 120_000);

  it('runs as `pnpm start` would, from the repository root', () => {
    const out = join(dir, 'start');
    const run = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(__dirname, '..', 'src', 'main.ts'),
        'simulate',
        '--fresh',
        '--days',
        '2',
        '--db',
        join(dir, 'start.db'),
        '--out',
        out,
      ],
      { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('audit: ok');
  }, 60_000);
});
