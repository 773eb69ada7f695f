import { chart, escapeHtml, PALETTE } from '../simulation/svg-charts';
import type { BacktestResult } from './run-backtest';

const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;
const pct = (end: string, start: string) => `${((Number(end) / Number(start) - 1) * 100).toFixed(2)}%`;
const escape = escapeHtml;

/** The lines `ballast backtest` prints: the strategy beside its two benchmarks, and what it did. */
export const backtestTable = (r: BacktestResult, digest: string): string[] => [
  `days      ${r.days.length} (${r.days[0]?.date} to ${r.days[r.days.length - 1]?.date})`,
  `dynamic   ${r.start} → ${r.end} (${pct(r.end, r.start)})`,
  `base only ${r.start} → ${r.baseOnlyEnd} (${pct(r.baseOnlyEnd, r.start)})  all in base yield`,
  `hold BTC  ${r.start} → ${r.holdBtcEnd} (${pct(r.holdBtcEnd, r.start)})  all in BTC on day one`,
  `signals   ${r.signals}; swaps ${r.swaps}; approvals ${r.approvals} (swaps and venue deposits above 50,000)`,
  `yield     ${r.yieldEarned} earned in venues, less exit fees; now in ${
    r.venues.map((v) => `${v.venueId} ${v.value}`).join(', ') || 'none'
  }`,
  ...r.decisions.map(
    (d) =>
      `decided   ${d.kind}: ${d.decisions}; at 7 days ${d.right} right, ${d.wrong} wrong, ${d.flat} flat, ` +
      `${d.pending} pending${d.hitRate7d === null ? '' : ` (hit rate ${(Number(d.hitRate7d) * 100).toFixed(1)}%)`}`,
  ),
  ...(r.advisor === undefined
    ? []
    : [
        `advisor   ${r.advisor.name}: ${r.advisor.advised} recorded, ${r.advisor.refused} refused by the risk rules, ` +
          `${r.advisor.failed} failed (the rules stood)${r.advisor.firstFailure === null ? '' : `; first: ${r.advisor.firstFailure}`}`,
      ]),
  `refused   ${
    Object.entries(r.refusals)
      .map(([code, n]) => `${code} ${n}`)
      .join(', ') || 'nothing'
  }`,
  `audit     ${digest}`,
];

/** A self-contained page: value against the benchmarks, and the allocation over time with the modes. */
export const backtestHtml = (r: BacktestResult, digest: string): string => {
  const x = (i: number) => i;
  const xTick = (i: number) => r.days[Math.min(Math.round(i), r.days.length - 1)]?.date ?? '';
  const value = chart({
    title: 'Treasury value: dynamic strategy, base yield only, buy and hold BTC',
    xAxis: 'day',
    yAxis: 'USD',
    xTick,
    yLabel: usd,
    lines: [
      { name: 'dynamic', color: PALETTE[0]!, points: r.days.map((d, i) => [x(i), d.equity]) },
      { name: 'base yield only', color: PALETTE[1]!, points: r.days.map((d, i) => [x(i), d.baseOnly]) },
      { name: 'hold BTC', color: PALETTE[2]!, points: r.days.map((d, i) => [x(i), d.holdBtc]) },
    ],
  });
  const stack = (pick: (d: BacktestResult['days'][number]) => number) => r.days.map((d, i) => [x(i), pick(d)] as const);
  const allocation = chart({
    title: 'Allocation (stacked): base yield, USDC, ETH, BTC',
    xAxis: 'day',
    yAxis: 'USD',
    xTick,
    yLabel: usd,
    stacked: true,
    lines: [
      { name: 'BTC', color: PALETTE[2]!, points: stack((d) => d.baseYield + d.usdc + d.eth + d.btc) },
      { name: 'ETH', color: PALETTE[3]!, points: stack((d) => d.baseYield + d.usdc + d.eth) },
      { name: 'USDC', color: PALETTE[5]!, points: stack((d) => d.baseYield + d.usdc) },
      { name: 'base yield', color: PALETTE[1]!, points: stack((d) => d.baseYield) },
    ],
    markers: r.days
      .map((d, i) => ({ d, i }))
      .filter(({ d, i }) => i === 0 || r.days[i - 1]!.mode !== d.mode)
      .map(({ d, i }) => ({ x: i, color: PALETTE[4]!, label: `${d.date}: ${d.phase}, mode ${d.mode}` })),
  });
  const rows = backtestTable(r, digest)
    .map((l) => `<li>${escape(l)}</li>`)
    .join('');
  const cell = (v: string) => `<td>${escape(v)}</td>`;
  const turns = r.turns
    .map((t) => `<tr>${[t.date, t.phase, t.mode, t.sell, t.reasons.join('; ')].map(cell).join('')}</tr>`)
    .join('');
  const trades = r.trades
    .map(
      (t) =>
        `<tr>${[t.date, `${t.amount} ${t.sell}`, `${t.filled} ${t.buy}`, t.approved ? 'approved' : ''].map(cell).join('')}</tr>`,
    )
    .join('');
  const table = (caption: string, head: readonly string[], body: string) =>
    '<table style="font-size: 0.8em; border-collapse: collapse; margin-top: 1.5em">' +
    `<caption style="text-align: left; font-weight: bold">${escape(caption)}</caption>` +
    `<thead><tr>${head.map((h) => `<th style="text-align: left">${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${body}</tbody></table>`;
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Ballast backtest</title>' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>' +
    '<body style="font-family: system-ui, sans-serif; max-width: 720px; margin: 2em auto">' +
    `<h1>Backtest: ${escape(r.treasuryId)}</h1><ul>${rows}</ul>${value}${allocation}` +
    table('Signals: each change of mode or ladder step, and why', ['date', 'phase', 'mode', 'sold', 'reasons'], turns) +
    table('Trades', ['date', 'sold', 'bought', ''], trades) +
    table(
      'Yield venues at the end (base sleeve)',
      ['venue', 'kind', 'APY', 'deposited', 'earned', 'value'],
      r.venues
        .map((v) => `<tr>${[v.venueId, v.kind, v.apy, v.deposited, v.earned, v.value].map(cell).join('')}</tr>`)
        .join(''),
    ) +
    table(
      'Decisions and what the market did 7 days later (de-risking before a fall, risk-on before a rise is right)',
      ['kind', 'decisions', 'right', 'wrong', 'flat', 'pending', 'hit rate'],
      r.decisions
        .map(
          (d) =>
            `<tr>${[d.kind, d.decisions, d.right, d.wrong, d.flat, d.pending, d.hitRate7d ?? '']
              .map((v) => cell(String(v)))
              .join('')}</tr>`,
        )
        .join(''),
    ) +
    '<p>Red dots mark a change of mode (hover for the phase). The market file may be synthetic: see its source column.</p>' +
    '</body></html>\n'
  );
};
