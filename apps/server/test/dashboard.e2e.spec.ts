import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import {
  chromiumPath,
  connect,
  launchChromium,
  openTab,
  textNow,
  waitUntil,
  type DashboardTab,
} from './dashboard-browser';
import { startDashboardServer, type DashboardServer } from './dashboard-fixture';

/**
 * The operator's dashboard (issue 17) in a real browser: playwright-core driving Debian's Chromium
 * against a real server on loopback over a store the simulation filled (3 agents, 4 days, the
 * stress scenario, one DeFi treasury). Selectors are the shared contract's (#key, #whoami, #notice,
 * nav#tabs [data-view], table#treasuries tr[data-treasury] [data-field=status], buttons by name).
 *
 * Test artifacts, kept after the run for a person to look at, in out/dashboard-screenshots/ (git-ignored
 * with out/): every view at 1280×800 and 390×844 as <view>-<width>x<height>.png, an agent's page as
 * agent-forbidden-1280x800.png, and live-timings.json (ms from the API's answer to the page showing it).
 */
const SCREENSHOTS = join(__dirname, '..', '..', '..', 'out', 'dashboard-screenshots');
const VIEWS: readonly [id: string, selector: string][] = [
  ['treasuries', 'table#treasuries'],
  ['pools', 'table#pools'],
  ['escrows', 'table#escrows'],
  ['approvals', 'table#approvals'],
  ['defi', 'section#defi'],
  ['alerts', 'ul#alerts'],
  ['events', 'table#events'],
];
/**
 * The agents end this run ACTIVE (the simulated operator resumes a halt after three days; defi-1 ends PAUSED),
 * so the tests halt the treasuries they need themselves, with an operator's command through the API.
 */
const SIMULATION = { agents: 3, days: 4, scenario: 'stress', defi: 1, seed: 42 } as const;

// Without Chromium the browser tests are skipped on a laptop and fail in CI, as simulate.e2e.spec.ts does.
const browserTest = chromiumPath ? it : process.env.CI ? it : it.skip;

const row = (id: string) => `table#treasuries tr[data-treasury="${id}"]`;
const statusOf = (id: string) => `${row(id)} [data-field="status"]`;

describe('the operator dashboard in a real browser', () => {
  let s: DashboardServer;
  let browser: Browser | undefined;
  const tabs: DashboardTab[] = [];
  /** How long the page took to show what the API had answered (written beside the screenshots). */
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    [s, browser] = await Promise.all([
      startDashboardServer(SIMULATION),
      chromiumPath === undefined ? Promise.resolve(undefined) : launchChromium(),
    ]);
  }, 90_000);
  afterEach(async () => {
    await Promise.all(tabs.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    if (Object.keys(timings).length > 0)
      writeFileSync(join(SCREENSHOTS, 'live-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
    await browser?.close();
    await s?.close();
  });

  const tab = async (viewport?: { width: number; height: number }) => {
    if (browser === undefined) throw new Error('Chromium is required (.ci/run installs the Debian package)');
    const t = await openTab(browser, viewport);
    tabs.push(t);
    return t;
  };
  /** A tab connected with `key`, once the page says who it is. */
  const connected = async (key: string, expectWho: string, viewport?: { width: number; height: number }) => {
    const t = await tab(viewport);
    await connect(t, s.url, key);
    await waitUntil(
      '#whoami',
      () => textNow(t.page, '#whoami'),
      (w) => w === expectWho,
      5_000,
    );
    return t;
  };
  const riskStatus = async (id: string): Promise<string> => {
    const answer = await s.call('GET', `/v1/treasuries/${id}`, { key: s.operatorKey });
    expect(answer.status).toBe(200);
    return answer.body.state.risk.status;
  };
  /**
   * The operator marks the treasury's buckets at 0, one by one, until the drawdown breaker halts it:
   * a real command through the API (RecordValuation), as a bad price feed would do it.
   */
  const halt = async (id: string) => {
    for (const bucket of ['trading', 'casino', 'reserve']) {
      if ((await riskStatus(id)) === 'HALTED') return;
      const answer = await s.call('POST', `/v1/treasuries/${id}/commands`, {
        key: s.operatorKey,
        body: { type: 'RecordValuation', bucket, value: '0' },
      });
      expect(answer.status).toBe(201);
    }
    expect(await riskStatus(id)).toBe('HALTED');
  };

  it("serves the dashboard's files without a key, under a CSP, and nothing outside its folder; every data call needs a key", async () => {
    for (const path of ['/dashboard', '/dashboard/js/app.js', '/dashboard/js/api.js', '/dashboard/style.css']) {
      const answer = await s.call('GET', path);
      expect({ path, status: answer.status }).toEqual({ path, status: 200 });
      const csp = answer.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
    }
    expect((await s.call('GET', '/dashboard/vendor/uplot.min.js')).status).toBe(200);
    for (const path of [
      '/dashboard/..%2Fsrc%2Findex.ts',
      '/dashboard/..%2Fpackage.json',
      '/dashboard/tsconfig.json',
      '/dashboard/globals.d.ts',
      '/dashboard/js/nothing-here.js',
    ])
      expect({ path, status: (await s.call('GET', path)).status }).toEqual({ path, status: 404 });
    for (const path of [
      '/v1/whoami',
      '/v1/read-models',
      '/v1/read-models/treasury-overview',
      '/v1/read-models/risk-board/stream',
      '/v1/events?from=0&limit=10',
      '/v1/events/stream',
      '/v1/treasuries/agent-1',
    ])
      expect({ path, status: (await s.call('GET', path)).status }).toEqual({ path, status: 401 });
    const command = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      body: { type: 'ResumeRisk', operator: 'ops' },
    });
    expect(command.status).toBe(401);
  });

  browserTest(
    'loads, connects with an operator key, and shows every simulated treasury with no console error or CSP violation',
    async () => {
      const t = await connected(s.operatorKey, 'ops (operator)');
      await t.page.locator('table#treasuries').waitFor({ timeout: 5_000 });
      for (const id of s.treasuries) await t.page.locator(row(id)).waitFor({ timeout: 5_000 });
      expect(s.treasuries).toEqual(['agent-1', 'agent-2', 'agent-3', 'defi-1']);
      for (const id of s.treasuries) expect(await textNow(t.page, statusOf(id))).toMatch(/^(ACTIVE|PAUSED|HALTED)/);
      // Tabs by the contract, each with an accessible name.
      for (const [id] of VIEWS)
        await t.page.locator(`nav#tabs [role=tab][data-view="${id}"]`).waitFor({ timeout: 1_000 });
      expect(await t.page.locator('#notice.refused').count()).toBe(0);
      // The Alerts tab counts what needs an operator while another view is shown (defi-1 ends the run PAUSED).
      await waitUntil(
        'the Alerts tab shows a count on the Treasuries view',
        () => textNow(t.page, 'nav#tabs [data-view="alerts"]'),
        (text) => /\d+/.test(text),
        5_000,
      );
      expect({ console: t.consoleErrors, page: t.pageErrors, csp: t.cspViolations }).toEqual({
        console: [],
        page: [],
        csp: [],
      });
    },
    30_000,
  );

  browserTest(
    'shows a command sent through the API within a second, without a reload',
    async () => {
      const agent1 = await s.keyFor('agent-1', 'agent');
      const t = await connected(s.operatorKey, 'ops (operator)');
      await t.page.locator(row('agent-1')).waitFor({ timeout: 5_000 });
      await t.page.locator(statusOf('agent-2')).waitFor({ timeout: 5_000 });
      // The page must not reload: a mark on the window survives only in the same document.
      await t.page.evaluate('window.__sameDocument = true');
      const before = await textNow(t.page, row('agent-1'));
      // What the row must come to show: the equity before, plus the deposit, to the cent (with or without
      // thousands separators).
      const overview = await s.call('GET', '/v1/read-models/treasury-overview', { key: s.operatorKey });
      const equity = Number(overview.body.state.find((t: { treasuryId: string }) => t.treasuryId === 'agent-1').equity);
      const cents = (equity + 4321.09).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
      const shown = [cents, cents.replace(/,/g, '')];

      // An agent deposits into its own treasury with its own key: the row shows the new equity.
      const deposited = await s.call('POST', '/v1/treasuries/agent-1/commands', {
        key: agent1,
        body: { type: 'Deposit', amount: '4321.09' },
      });
      expect(deposited.status).toBe(201);
      const answered = performance.now();
      timings.depositShownMs = await waitUntil(
        `agent-1 row shows equity ${cents}`,
        () => textNow(t.page, row('agent-1')),
        (now) => now !== before && shown.some((x) => now.includes(x)),
        1_000,
        answered,
      );

      // The operator's valuation trips the drawdown breaker: the row says HALTED.
      expect(await textNow(t.page, statusOf('agent-2'))).toMatch(/^ACTIVE/);
      const valued = await s.call('POST', '/v1/treasuries/agent-2/commands', {
        key: s.operatorKey,
        body: { type: 'RecordValuation', bucket: 'trading', value: '0' },
      });
      expect(valued.status).toBe(201);
      expect(valued.body.events.map((e: { type: string }) => e.type)).toContain('RiskHalted');
      const haltAnswered = performance.now();
      timings.haltShownMs = await waitUntil(
        'agent-2 status HALTED',
        () => textNow(t.page, statusOf('agent-2')),
        (status) => status.startsWith('HALTED'),
        1_000,
        haltAnswered,
      );
      expect(await t.page.evaluate('window.__sameDocument')).toBe(true);
      expect({ page: t.pageErrors, csp: t.cspViolations }).toEqual({ page: [], csp: [] });
    },
    30_000,
  );

  browserTest(
    'an operator resumes a halted treasury from the page: confirmed, then the row and the store say ACTIVE',
    async () => {
      await halt('agent-3');
      const t = await connected(s.operatorKey, 'ops (operator)');
      await waitUntil(
        'agent-3 HALTED on the page',
        () => textNow(t.page, statusOf('agent-3')),
        (x) => x.startsWith('HALTED'),
        5_000,
      );
      await t.page.getByRole('button', { name: 'Resume agent-3', exact: true }).click();
      await waitUntil(
        'agent-3 ACTIVE on the page',
        () => textNow(t.page, statusOf('agent-3')),
        (x) => x.startsWith('ACTIVE'),
        5_000,
      );
      expect(t.dialogs).toHaveLength(1);
      expect(t.dialogs[0]).toContain('Resume');
      expect(await riskStatus('agent-3')).toBe('ACTIVE');
      expect(await t.page.locator('#notice.refused').count()).toBe(0);
      // Active again, nothing to resume.
      expect(await t.page.getByRole('button', { name: 'Resume agent-3', exact: true }).count()).toBe(0);
      expect({ page: t.pageErrors, csp: t.cspViolations }).toEqual({ page: [], csp: [] });
    },
    30_000,
  );

  browserTest(
    "an agent's key: the page says who it is and that read models are FORBIDDEN to it, without breaking",
    async () => {
      const agent2 = await s.keyFor('agent-2', 'agent');
      const a = await connected(agent2, 'agent-2 (agent)');
      // Read models are the operator's and the service's (403 FORBIDDEN): the page says so, with the code.
      try {
        await waitUntil(
          'FORBIDDEN shown to an agent',
          () => textNow(a.page, 'body'),
          (text) => text.includes('FORBIDDEN'),
          5_000,
        );
      } finally {
        await a.page.screenshot({ path: join(SCREENSHOTS, 'agent-forbidden-1280x800.png'), fullPage: true });
      }
      expect(await a.page.locator(`${row('agent-1')} button`).count()).toBe(0);
      expect({ page: a.pageErrors, csp: a.cspViolations }).toEqual({ page: [], csp: [] });
    },
    30_000,
  );

  browserTest(
    "an agent's key cannot resume a treasury: the server refuses FORBIDDEN, #notice says so, the store keeps the halt",
    async () => {
      await halt('agent-2');
      const agent2 = await s.keyFor('agent-2', 'agent');
      // An agent's page has no treasuries to offer a button for (it may not read them), so the agent's key
      // goes into a tab that shows one: the page sends the key in sessionStorage, and the server refuses.
      const t = await connected(s.operatorKey, 'ops (operator)');
      const resume = t.page.getByRole('button', { name: 'Resume agent-2', exact: true });
      await resume.waitFor({ timeout: 5_000 });
      await t.page.evaluate(`sessionStorage.setItem('ballast.dashboard.key', ${JSON.stringify(agent2)})`);
      await resume.click();
      await waitUntil(
        'refusal in #notice',
        () => textNow(t.page, '#notice.refused'),
        (x) => x.includes('FORBIDDEN'),
        5_000,
      );
      expect(t.dialogs).toHaveLength(1);
      expect(await riskStatus('agent-2')).toBe('HALTED');
      expect({ page: t.pageErrors, csp: t.cspViolations }).toEqual({ page: [], csp: [] });
    },
    30_000,
  );

  browserTest(
    'a service key sees the treasuries but its Resume is refused FORBIDDEN, and the store keeps the halt',
    async () => {
      await halt('agent-2');
      const service = await s.keyFor('watcher', 'service');
      const t = await connected(service, 'watcher (service)');
      for (const id of s.treasuries) await t.page.locator(row(id)).waitFor({ timeout: 5_000 });
      await t.page.getByRole('button', { name: 'Resume agent-2', exact: true }).click();
      await waitUntil(
        'refusal in #notice',
        () => textNow(t.page, '#notice.refused'),
        (x) => x.includes('FORBIDDEN'),
        5_000,
      );
      expect(await riskStatus('agent-2')).toBe('HALTED');
      expect(await textNow(t.page, statusOf('agent-2'))).toMatch(/^HALTED/);
      expect({ page: t.pageErrors, csp: t.cspViolations }).toEqual({ page: [], csp: [] });
    },
    30_000,
  );

  browserTest(
    'every view renders at 1280×800 and 390×844 (screenshots in out/dashboard-screenshots/)',
    async () => {
      const missing: string[] = [];
      const wide: string[] = [];
      for (const viewport of [
        { width: 1280, height: 800 },
        { width: 390, height: 844 },
      ]) {
        const t = await connected(s.operatorKey, 'ops (operator)', viewport);
        for (const [id, selector] of VIEWS) {
          await t.page.locator(`nav#tabs [role=tab][data-view="${id}"]`).click();
          const shown = await t.page
            .locator(selector)
            .first()
            .waitFor({ timeout: 2_000 })
            .then(() => true)
            .catch(() => false);
          if (!shown) missing.push(`${id} (${selector}) at ${viewport.width}px`);
          // Nothing wider than the screen: readable on a phone without scrolling the page sideways.
          const overflow = Number(
            await t.page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth'),
          );
          if (overflow > 0) wide.push(`${id} at ${viewport.width}px: ${overflow}px too wide`);
          // Charts and live streams settle.
          await t.page.waitForTimeout(200);
          // The whole page, unless it is very long (the event tail): then what the screen shows.
          const height = Number(await t.page.evaluate('document.documentElement.scrollHeight'));
          await t.page.screenshot({
            path: join(SCREENSHOTS, `${id}-${viewport.width}x${viewport.height}.png`),
            fullPage: height <= 4 * viewport.height,
          });
        }
        expect({ page: t.pageErrors, csp: t.cspViolations, console: t.consoleErrors }).toEqual({
          page: [],
          csp: [],
          console: [],
        });
      }
      expect({ missing, wide }).toEqual({ missing: [], wide: [] });
    },
    60_000,
  );

  browserTest(
    'operators approve a held move from the page, two of two, and deny another: M of N shows who has approved',
    async () => {
      // A treasury whose policy holds any move above 100 for two distinct operators.
      const open = JSON.parse(
        readFileSync(join(__dirname, '..', '..', '..', 'examples', 'open-treasury.json'), 'utf8'),
      );
      const policy = { approvals: { threshold: '100', required: 2, expiresMs: 86_400_000 } };
      const opened = await s.call('POST', '/v1/treasuries/held-1/commands', {
        key: s.operatorKey,
        body: { ...open, config: { ...open.config, policy } },
      });
      expect(opened.status).toBe(201);
      const agent = await s.keyFor('held-1', 'agent');
      const ops2 = await s.keyFor('ops2', 'operator');
      const send = (body: Record<string, unknown>) =>
        s.call('POST', '/v1/treasuries/held-1/commands', { key: agent, body });
      expect((await send({ type: 'Deposit', amount: '1000' })).status).toBe(201);
      const held = await send({ type: 'Withdraw', bucket: 'reserve', amount: '150' });
      const denied = await send({ type: 'Withdraw', bucket: 'reserve', amount: '120' });
      expect([held.status, denied.status]).toEqual([202, 202]);
      const [first, second] = [held.body.pending.requestId, denied.body.pending.requestId];
      const requestRow = (id: string) => `table#approvals tr[data-request="held-1/${id}"]`;

      const ops = await connected(s.operatorKey, 'ops (operator)');
      await ops.page.locator('nav#tabs [data-view="approvals"]').click();
      await ops.page.locator(requestRow(first)).waitFor({ timeout: 5_000 });
      expect(await textNow(ops.page, requestRow(first))).toMatch(/0 of 2/);
      await ops.page.getByRole('button', { name: `Approve ${first}`, exact: true }).click();
      await waitUntil(
        '1 of 2, by ops',
        () => textNow(ops.page, requestRow(first)),
        (t) => /1 of 2/.test(t) && t.includes('ops'),
        3_000,
      );

      // The same operator again is refused, and the page says why.
      await ops.page.getByRole('button', { name: `Approve ${first}`, exact: true }).click();
      await waitUntil(
        'ALREADY_APPROVED shown',
        () => textNow(ops.page, '#notice'),
        (t) => t.includes('ALREADY_APPROVED'),
        3_000,
      );

      // A second operator's approval executes it: the row goes, and the store has the withdrawal.
      const other = await connected(ops2, 'ops2 (operator)');
      await other.page.locator('nav#tabs [data-view="approvals"]').click();
      await other.page.getByRole('button', { name: `Approve ${first}`, exact: true }).click();
      await waitUntil(
        'the executed request leaves the list',
        () => ops.page.locator(requestRow(first)).count(),
        (n) => n === 0,
        3_000,
      );
      const state = await s.call('GET', '/v1/treasuries/held-1', { key: s.operatorKey });
      expect(state.body.state.treasury.controls.requests[first]).toMatchObject({ status: 'executed' });

      // Denied with a reason typed into the prompt: it never executes.
      other.page.removeAllListeners('dialog');
      other.page.on('dialog', (d) => void d.accept(d.type() === 'prompt' ? 'unknown destination' : undefined));
      await other.page.getByRole('button', { name: `Deny ${second}`, exact: true }).click();
      await waitUntil(
        'the denied request leaves the list',
        () => other.page.locator(requestRow(second)).count(),
        (n) => n === 0,
        3_000,
      );
      const after = await s.call('GET', '/v1/treasuries/held-1', { key: s.operatorKey });
      expect(after.body.state.treasury.controls.requests[second]).toMatchObject({ status: 'denied' });
      expect(ops.pageErrors).toEqual([]);
    },
    60_000,
  );
});
