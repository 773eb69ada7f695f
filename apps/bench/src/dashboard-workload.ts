import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { chromium } from 'playwright-core';
import { median, percentile } from './measure';
import { runCli, startServerChild } from './server-process';
import type { WorkloadResult } from './workload';

/**
 * Issue 17's figure: "the page must load in under a second with 10 agents and a 90-day history".
 * `ballast simulate` fills a store once (10 agents, 90 days, seed 42; not measured), `ballast serve`
 * serves it in a child process, and Debian's Chromium (playwright-core) loads /dashboard `loads`
 * times, each in a fresh browser context (empty cache, the operator's key put in the tab's
 * sessionStorage before the page runs, as after connecting). One load is the time from navigation
 * start to the treasuries table holding a row for every treasury, read in the page
 * (performance.now() when a MutationObserver first sees them all); one warm-up load is not counted.
 * The store lives on tmpfs when there is one: the simulation fsyncs every command.
 */

const AGENTS = 10;
const DAYS = 90;
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
const KEY_ITEM = 'ballast.dashboard.key';

/** Runs in the page before its scripts: notes when table#treasuries first has `rows` rows. */
const observer = (key: string, rows: number) => `
sessionStorage.setItem(${JSON.stringify(KEY_ITEM)}, ${JSON.stringify(key)});
new MutationObserver((_, self) => {
  if (document.querySelectorAll('table#treasuries tr[data-treasury]').length >= ${rows}) {
    window.__treasuriesRendered = performance.now();
    self.disconnect();
  }
}).observe(document, { childList: true, subtree: true });`;

export interface DashboardLoads {
  readonly results: WorkloadResult[];
  readonly notes: string[];
}

export const dashboardWorkload = async (options: {
  readonly loads: number;
  readonly log: (line: string) => void;
}): Promise<DashboardLoads> => {
  const { loads, log } = options;
  if (CHROMIUM === undefined) {
    const note = 'dashboard group: no Chromium (/usr/bin/chromium; apt-get install chromium): not measured';
    log(note);
    return { results: [], notes: [note] };
  }
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ballast-bench-dashboard-'));
  try {
    const db = join(dir, 'sim.db');
    const t0 = performance.now();
    await runCli([
      'simulate',
      '--agents',
      String(AGENTS),
      '--days',
      String(DAYS),
      '--fresh',
      '--db',
      db,
      '--out',
      join(dir, 'out'),
    ]);
    const key = (
      await runCli(['keys', '--db', db, '--create', '--principal', 'ops', '--role', 'operator', '--key-only'])
    ).trim();
    const server = await startServerChild(db);
    const fillSeconds = (performance.now() - t0) / 1000;
    try {
      const overview = (await (
        await fetch(`${server.url}/v1/read-models/treasury-overview`, { headers: { authorization: `Bearer ${key}` } })
      ).json()) as { position: number; state: unknown[] };
      const rows = overview.state.length;
      log(
        `  store: ${AGENTS} agents, ${DAYS} days simulated, ${rows} treasuries, ${overview.position.toLocaleString('en-US')} events ` +
          `(simulated and served in ${fillSeconds.toFixed(0)} s, not measured)`,
      );
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      const version = browser.version();
      const samples: number[] = [];
      const wall: number[] = [];
      try {
        for (let i = 0; i <= loads; i++) {
          const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
          await context.addInitScript({ content: observer(key, rows) });
          const page = await context.newPage();
          const start = performance.now();
          await page.goto(`${server.url}/dashboard`);
          // A function, not a string: the page's CSP forbids eval, which a string predicate would need.
          const rendered = await page.waitForFunction(
            () => (globalThis as { __treasuriesRendered?: number }).__treasuriesRendered,
            undefined,
            { timeout: 30_000 },
          );
          const took = Number(await rendered.jsonValue());
          const elapsed = performance.now() - start;
          await context.close();
          if (i === 0) continue; // warm-up: the browser's first page
          samples.push(took);
          wall.push(elapsed);
        }
      } finally {
        await browser.close();
      }
      const p50 = median(samples);
      const p90 = percentile(samples, 90);
      log(
        `  /dashboard, navigation start → treasuries table rendered (${rows} rows), ${loads} loads: ` +
          `median ${p50.toFixed(0)} ms, p90 ${p90.toFixed(0)} ms (as the test driver saw it: median ${median(wall).toFixed(0)} ms)`,
      );
      const result = (id: string, title: string, value: number): WorkloadResult => ({
        id,
        title,
        unit: 'ms',
        medians: { ballast: value },
        samples: { ballast: samples },
        ratios: {},
        target: '< 1 s (issue 17)',
        met: value < 1000,
        note:
          `${AGENTS} agents, ${DAYS} days simulated (seed 42), ${rows} treasuries, ${overview.position} events; ` +
          `Chromium ${version}; ${loads} loads in fresh contexts after one warm-up; ` +
          'navigation start to a row for every treasury in table#treasuries',
      });
      return {
        results: [
          result('dashboard-load-p50', `dashboard load, ${AGENTS} agents × ${DAYS} days, median`, p50),
          result('dashboard-load-p90', `dashboard load, ${AGENTS} agents × ${DAYS} days, p90`, p90),
        ],
        notes: [],
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
