// @ts-check
// DeFi treasuries (seed 002): per treasury, the allocation over time with the mode in force, the market
// indicators against the policy's thresholds and the holdings by asset and chain; below, the latest
// signals with their reasons and how each kind of decision turned out. All live: three read-model
// streams (defi-series for the history, portfolios, decision-outcomes), each message the whole state.
import { drawLines } from '../chart-lines.js';
import { dataTable, el, fillRows, time, usd } from '../live-dom.js';

/** Background tint per allocation mode (aggressive: most volatile, hedge: least). */
const MODE_COLORS = /** @type {Record<string, string>} */ ({
  aggressive: 'rgba(22, 163, 74, 0.12)',
  tactical: 'rgba(37, 99, 235, 0.10)',
  conservative: 'rgba(245, 158, 11, 0.12)',
  hedge: 'rgba(185, 28, 28, 0.12)',
});
const HORIZONS = ['1d', '7d', '30d'];
/** Signals shown: on a wide screen the latest 40; on a phone (each a tall card) the latest 15, the rest on request. */
const SIGNALS_WIDE = 40;
const SIGNALS_NARROW = 15;
const NARROW = window.matchMedia('(max-width: 640px)');
/** What each chart shows, for its accessible name. */
const CHART_NAMES = /** @type {Record<string, string>} */ ({
  allocation: 'Allocation in USD by mode',
  mvrv: 'MVRV Z-score against the sell ladder',
  fearGreed: 'Fear and greed index against its extremes',
  funding: 'Funding rate against crowded longs',
});

/**
 * @typedef {{ at: number, mvrvZ: string, fearGreed: string, fundingRate: string, mode?: string,
 *   baseYield: string, usdc: string, btc: string, eth: string, other: string }} Point
 * @typedef {{ position: number, at: number, advisor: string, phase?: string, mode?: string, sell?: string,
 *   confidence: string, reasons: string[], target: Record<string, string> }} Signal
 * @typedef {{ treasuryId: string, points: Point[], signals: Signal[],
 *   policy?: Policy }} SeriesRow
 * @typedef {{ ladder: { mvrvAtLeast: string, sell: string }[], extremeFear: string, extremeGreed: string,
 *   crowdedFunding: string }} Policy
 * @typedef {{ article: HTMLElement, mode: HTMLElement, holdings: HTMLElement, boxes: Record<string, HTMLElement>,
 *   plots: Record<string, any> }} Shown
 */

/** The mode bands of a series: one per run of points in the same mode, in seconds. @param {Point[]} points */
const modeBands = (points) =>
  points.flatMap((p, i) => {
    const next = points[i + 1];
    const color = p.mode === undefined ? undefined : MODE_COLORS[p.mode];
    return color === undefined ? [] : [{ from: p.at / 1000, to: (next?.at ?? p.at + 86_400_000) / 1000, color }];
  });

const num = (/** @type {string} */ s) => Number(s);
const pct = (/** @type {number} */ v) => `${(v * 100).toFixed(2)}%`;

/** @param {SeriesRow} row */
const chartsOf = (row) => {
  const xs = row.points.map((p) => p.at / 1000);
  const series = (/** @type {string} */ label, /** @type {(p: Point) => number} */ f) => ({
    label,
    values: row.points.map(f),
  });
  const policy = row.policy;
  return {
    allocation: {
      title: 'Allocation (USD); background: mode (green aggressive, blue tactical, amber conservative, red hedge)',
      xs,
      series: [
        series('base yield', (p) => num(p.baseYield)),
        series('USDC', (p) => num(p.usdc)),
        series('BTC', (p) => num(p.btc)),
        series('ETH', (p) => num(p.eth)),
      ],
      bands: modeBands(row.points),
      format: (/** @type {number} */ v) => usd(v),
    },
    mvrv: {
      title: 'MVRV Z-score; lines: sell ladder',
      xs,
      series: [series('MVRV Z', (p) => num(p.mvrvZ))],
      thresholds: (policy?.ladder ?? []).map((s) => ({
        value: num(s.mvrvAtLeast),
        label: `${s.mvrvAtLeast}: sell ${pct(num(s.sell)).replace('.00', '')}`,
      })),
    },
    fearGreed: {
      title: 'Fear & greed',
      xs,
      series: [series('fear & greed', (p) => num(p.fearGreed))],
      thresholds:
        policy === undefined
          ? []
          : [
              { value: num(policy.extremeFear), label: `${policy.extremeFear} extreme fear` },
              { value: num(policy.extremeGreed), label: `${policy.extremeGreed} extreme greed` },
            ],
    },
    funding: {
      title: 'Funding rate',
      xs,
      series: [series('funding', (p) => num(p.fundingRate))],
      thresholds:
        policy === undefined
          ? []
          : [{ value: num(policy.crowdedFunding), label: `${pct(num(policy.crowdedFunding))} crowded longs` }],
      format: pct,
    },
  };
};

/** @type {import('../app.js').View} */
export const defiView = {
  id: 'defi',
  title: 'DeFi',
  mount: (root, ctx) => {
    const section = el('section', { id: 'defi', 'aria-label': 'DeFi treasuries' });
    const status = el('p', { class: 'muted' }, 'loading the DeFi treasuries…');
    const articles = el('div');
    const signals = dataTable(
      'signals',
      'Latest signals and advice, newest first',
      ['Treasury', 'Time (UTC)', 'Advisor', 'Phase', 'Mode', 'Sell', 'Target BTC/ETH/USDC', 'Confidence', 'Reasons'],
      [],
    );
    const decisions = dataTable(
      'decisions',
      'Decisions and their outcomes, per kind (right / wrong / pending at each horizon)',
      [
        'Treasury',
        'Kind',
        { text: 'Decisions', num: true },
        ...HORIZONS.map((h) => ({ text: h, num: true })),
        { text: 'Hit rate 7d', num: true },
      ],
      [],
    );
    const more = el('button', { type: 'button', class: 'more', 'aria-controls': 'signals', hidden: '' });
    section.append(el('h2', {}, 'DeFi treasuries'), status, articles, signals.wrap, more, decisions.wrap);
    root.append(section);

    /** @type {{ treasuryId: string, s: Signal }[]} */
    let latest = [];
    /** The reader asked for every signal (on a phone, where the newest few show by default). */
    let showAll = false;
    const drawSignals = () => {
      const few = NARROW.matches ? SIGNALS_NARROW : SIGNALS_WIDE;
      more.hidden = latest.length <= few;
      more.textContent = showAll ? `Show the newest ${few} signals` : `Show all ${latest.length} signals`;
      fillRows(
        /** @type {HTMLElement} */ (signals.table.querySelector('tbody')),
        latest.slice(0, showAll ? latest.length : few).map(({ treasuryId, s }) => ({
          attrs: { 'data-treasury': treasuryId },
          cells: [
            treasuryId,
            { text: time(s.at), cls: 'nowrap' },
            s.advisor,
            s.phase ?? '–',
            s.mode ?? '–',
            { text: s.sell === undefined ? '–' : pct(num(s.sell)), num: true },
            { text: ['BTC', 'ETH', 'USDC'].map((k) => pct(num(s.target[k] ?? '0'))).join(' / '), num: true },
            { text: s.confidence, num: true },
            s.reasons.join('; '),
          ],
        })),
      );
    };
    more.addEventListener('click', () => {
      showAll = !showAll;
      drawSignals();
    });
    // Turning a phone or resizing a window changes how many signals fit; the view stops listening once left.
    const onWidth = () => {
      if (section.isConnected) drawSignals();
      else NARROW.removeEventListener('change', onWidth);
    };
    NARROW.addEventListener('change', onWidth);

    /** Per treasury: its article, holdings table body and charts (kept so new data redraws them in place). */
    /** @type {Map<string, Shown>} */
    const shown = new Map();

    const articleFor = (/** @type {string} */ id) => {
      const found = shown.get(id);
      if (found !== undefined) return found;
      const mode = el('span', { 'data-field': 'mode' });
      /** @type {Record<string, HTMLElement>} */
      const boxes = {};
      for (const name of ['allocation', 'mvrv', 'fearGreed', 'funding'])
        boxes[name] = el('div', {
          class: 'chart',
          'data-chart': name,
          role: 'img',
          'aria-label': `${CHART_NAMES[name]} of ${id} over time`,
        });
      const holdings = dataTable(
        `holdings-${id}`,
        `Holdings of ${id} by asset and chain`,
        [
          'Asset',
          'Chain',
          { text: 'Quantity', num: true },
          { text: 'Price', num: true },
          { text: 'Value', num: true },
          { text: 'Cost', num: true },
        ],
        [],
      );
      const article = el(
        'article',
        { 'data-treasury': id },
        el('h3', {}, `${id} `, mode),
        ...Object.values(boxes),
        holdings.wrap,
      );
      articles.append(article);
      /** @type {Shown} */
      const entry = {
        article,
        mode,
        holdings: /** @type {HTMLElement} */ (holdings.table.querySelector('tbody')),
        boxes,
        plots: {},
      };
      shown.set(id, entry);
      return entry;
    };

    ctx.follow('/v1/read-models/defi-series/stream', (/** @type {{ state: SeriesRow[] }} */ data) => {
      const rows = data.state;
      status.textContent = rows.length === 0 ? 'No DeFi treasury (one opened with a market policy) yet.' : '';
      for (const row of rows) {
        const a = articleFor(row.treasuryId);
        const last = row.points.at(-1);
        a.mode.textContent =
          last === undefined ? '(no reading yet)' : `mode ${last.mode ?? '–'}, last reading ${time(last.at)}`;
        const charts = /** @type {Record<string, import('../chart-lines.js').LineChart>} */ (chartsOf(row));
        for (const [name, chart] of Object.entries(charts))
          a.plots[name] = drawLines(a.boxes[name], chart, a.plots[name]);
      }
      latest = rows
        .flatMap((r) => r.signals.map((s) => ({ treasuryId: r.treasuryId, s })))
        .sort((x, y) => y.s.position - x.s.position);
      drawSignals();
    });

    ctx.follow('/v1/read-models/portfolios/stream', (/** @type {{ state: any[] }} */ data) => {
      for (const p of data.state) {
        if (!shown.has(p.treasuryId)) continue;
        fillRows(articleFor(p.treasuryId).holdings, [
          {
            cells: [
              'USDC (cash)',
              '–',
              { text: p.cash, num: true },
              { text: '1', num: true },
              { text: usd(p.cash), num: true },
              { text: '–', num: true },
            ],
          },
          ...p.holdings.map((/** @type {any} */ h) => ({
            attrs: { 'data-asset': h.asset },
            cells: [
              h.symbol,
              h.chain ?? '–',
              { text: h.quantity, num: true },
              { text: h.price ?? '–', num: true },
              { text: usd(h.value), num: true },
              { text: usd(h.cost), num: true },
            ],
          })),
        ]);
      }
    });

    ctx.follow('/v1/read-models/decision-outcomes/stream', (/** @type {{ state: Record<string, any> }} */ data) => {
      /** @type {import('../live-dom.js').Row[]} */
      const rows = [];
      for (const [treasuryId, t] of Object.entries(data.state).sort(([a], [b]) => (a < b ? -1 : 1)))
        for (const [kind, tally] of Object.entries(/** @type {Record<string, any>} */ (t.tally)).sort(([a], [b]) =>
          a < b ? -1 : 1,
        )) {
          const h7 = tally.horizons['7d'];
          const judged = h7.right + h7.wrong + h7.flat;
          rows.push({
            attrs: { 'data-treasury': treasuryId, 'data-kind': kind },
            cells: [
              treasuryId,
              kind,
              { text: String(tally.decisions), num: true },
              ...HORIZONS.map((h) => {
                const c = tally.horizons[h];
                return { text: `${c.right} / ${c.wrong} / ${c.pending}`, num: true };
              }),
              { text: judged === 0 ? '–' : pct(h7.right / judged).replace('.00', ''), num: true },
            ],
          });
        }
      fillRows(/** @type {HTMLElement} */ (decisions.table.querySelector('tbody')), rows);
    });
  },
};
