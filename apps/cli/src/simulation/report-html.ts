import { Decimal } from '@ballast/domain';
import { chart, escapeHtml, type Line, PALETTE } from './svg-charts';
import { SIMULATION_START } from './run-simulation';
import type { SimulationResult } from './simulation-types';
import { defiCells, pnlCells } from './summary-table';

const BREAKER_COLORS: Record<string, string> = {
  RiskPaused: '#d97706',
  RiskHalted: '#dc2626',
  TradingHalted: '#9333ea',
  CasinoSessionStopped: '#db2777',
  ReserveFloorBreached: '#0891b2',
};
const day = (hour: number) => hour / 24;
const usd = (y: number) => `$${y.toFixed(0)}`;
const pct = (y: number) => `${(y * 100).toFixed(1)}%`;
const escape = escapeHtml;
const START_DATE = new Date(SIMULATION_START).toISOString().slice(0, 10);
/** Every chart's x: days since the start of the run, in event time. */
const TIME = { xAxis: `day of the run (day 0 = ${START_DATE} 00:00 UTC)`, xTick: (x: number) => `day ${x}` };

/** A table named by its caption (its accessible name), with a line in place of an empty body. */
const table = (
  caption: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  empty: string,
): string =>
  `<table><caption>${escape(caption)}</caption>` +
  `<thead><tr>${header.map((h) => `<th scope="col">${escape(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.length > 0
      ? rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`).join('')
      : `<tr><td colspan="${header.length}">${escape(empty)}</td></tr>`
  }</tbody></table>`;

/** The page's style sheet: one line in the page, a few rules a line here. */
const STYLE =
  'body{font:14px system-ui,sans-serif;margin:24px;color:#111827}table{border-collapse:collapse}' +
  'td,th{border:1px solid #d1d5db;padding:4px 8px;text-align:right}th{background:#f3f4f6}' +
  '.grid{display:flex;flex-wrap:wrap;gap:8px}caption{text-align:left;font-weight:bold;padding:4px 0}' +
  'td:first-child{text-align:left}.warnings{color:#b91c1c;font-weight:bold}figure{margin:0}code{font-size:12px}';

/** The header row of the agent table. */
const AGENT_HEADER = [
  'agent',
  'start',
  'end',
  'max drawdown',
  'breaker trips',
  'bets',
  'bets refused',
  'trades',
  'escrows',
  'claims filed/paid',
  'status',
  'cover',
]
  .map((h) => `<th>${h}</th>`)
  .join('');

/** In the page's script: whether a chart has both axis labels laid out and at least four tick labels. */
const HAS_TIME_AXES =
  "(svg) => laidOut(svg.querySelector('.x-axis-label')) && laidOut(svg.querySelector('.y-axis-label'))" +
  " && svg.querySelectorAll('.axes text').length >= 4";

/** One self-contained HTML page: summary table and SVG charts, no script or style from outside. */
export const reportHtml = (result: SimulationResult, auditDigest: string): string => {
  const agentIds = result.agents.map((a) => a.agentId);
  const bucketNames = Object.keys(result.series[0]?.agents[agentIds[0]!]?.buckets ?? {});
  const perAgent = agentIds.map((agentId) => {
    // Stack the buckets: each line is the running sum up to that bucket.
    const lines: Line[] = bucketNames.map((bucket, i) => ({
      name: bucket,
      color: PALETTE[i % PALETTE.length]!,
      points: result.series.map(
        (p) =>
          [
            day(p.hour),
            bucketNames.slice(0, i + 1).reduce((s, b) => s + (p.agents[agentId]?.buckets[b] ?? 0), 0),
          ] as const,
      ),
    }));
    return chart({
      title: `${agentId}: treasury value by bucket`,
      lines: [...lines].reverse(),
      yLabel: usd,
      yAxis: 'USD',
      ...TIME,
      stacked: true,
      width: 420,
      height: 220,
    });
  });
  const drawdown = chart({
    title: 'Drawdown from peak, with breaker trips',
    lines: agentIds.map((agentId, i) => ({
      name: agentId,
      color: PALETTE[i % PALETTE.length]!,
      points: result.series.map((p) => [day(p.hour), p.agents[agentId]?.drawdown ?? 0] as const),
    })),
    yLabel: pct,
    yAxis: 'drawdown',
    ...TIME,
    markers: result.breakers.map((b) => ({
      x: day(b.hour),
      color: BREAKER_COLORS[b.type] ?? '#111827',
      label: `${b.agentId}: ${b.type} at ${b.at} (day ${day(b.hour).toFixed(1)})`,
    })),
  });
  const reserve = chart({
    title: 'Insurance pool reserve',
    lines: [
      { name: 'reserve', color: PALETTE[0]!, points: result.series.map((p) => [day(p.hour), p.pool.reserve] as const) },
    ],
    yLabel: usd,
    yAxis: 'USD',
    ...TIME,
  });
  const ratio = chart({
    title: 'Funding ratio (minimum 20%)',
    lines: [
      {
        name: 'reserve / coverage',
        color: PALETTE[1]!,
        points: result.series.map((p) => [day(p.hour), p.pool.fundingRatio] as const),
      },
      { name: 'minimum', color: PALETTE[4]!, points: result.series.map((p) => [day(p.hour), 0.2] as const) },
    ],
    yLabel: pct,
    yAxis: 'funding ratio',
    ...TIME,
  });
  const claims = chart({
    title: 'Claims',
    lines: [
      {
        name: 'filed',
        color: PALETTE[2]!,
        points: result.series.map((p) => [day(p.hour), p.pool.claimsFiled] as const),
      },
      { name: 'paid', color: PALETTE[1]!, points: result.series.map((p) => [day(p.hour), p.pool.claimsPaid] as const) },
    ],
    yLabel: (y) => (Number.isInteger(y) ? String(y) : y.toFixed(1)),
    yAxis: 'claims',
    ...TIME,
  });
  const rows = result.agents
    .map(
      (a) =>
        `<tr><td>${a.agentId}</td><td>${a.start}</td><td>${new Decimal(a.end).toFixed(2)}</td>` +
        `<td>${(Number(a.maxDrawdown) * 100).toFixed(2)}%</td><td>${a.breakerTrips}</td><td>${a.betsPlaced}</td><td>${
          Object.entries(a.betsRefused)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ') || '-'
        }</td><td>${a.trades}</td><td>${a.escrows}</td><td>${a.claimsFiled}/${a.claimsPaid}</td>` +
        `<td>${a.status}</td><td>${a.cover}</td></tr>`,
    )
    .join('');
  const pnl = pnlCells(result.agents);
  const warnings =
    result.warnings.length > 0
      ? `\n<section aria-labelledby="warnings"><h2 id="warnings">Warnings</h2>` +
        `<ul class="warnings">${result.warnings.map((w) => `<li>${escape(w)}</li>`).join('')}</ul></section>`
      : '';
  const pnlTable = table(
    'P&L by source, per agent (rounded to cents; summary.json has them exact)',
    pnl.header,
    pnl.rows,
    'no agents',
  );
  const refusals = table(
    'Refused commands by rejection code',
    ['code', 'count'],
    Object.entries(result.refusals).map(([code, n]) => [code, String(n)]),
    'no command was refused',
  );
  const claimRows = table(
    'Claims on the pool',
    ['claim', 'claimant', 'cover', 'amount', 'status', 'paid'],
    result.claims.map((c) => [c.claimId, c.claimant, c.coverageType, c.amount, c.status, c.payout || '-']),
    'no claim was filed',
  );
  const breakerRows = table(
    'Breaker trips',
    ['agent', 'time (UTC)', 'breaker', 'desk', 'from', 'to', 'reason'],
    result.breakers.map((b) => [b.agentId, b.at, b.type, b.desk, b.from, b.to, b.reason]),
    'no breaker tripped',
  );
  // Only in a run with DeFi treasuries: their table and their equity over the run.
  const defi =
    result.defi === undefined || result.defi.length === 0
      ? ''
      : (() => {
          const cells = defiCells(result.defi);
          const ids = result.defi.map((d) => d.treasuryId);
          const equityChart = chart({
            title: 'DeFi treasuries: equity',
            lines: ids.map((id, i) => ({
              name: id,
              color: PALETTE[i % PALETTE.length]!,
              points: result.series.map((p) => [day(p.hour), p.defi?.[id] ?? 0] as const),
            })),
            yLabel: usd,
            yAxis: 'USD',
            ...TIME,
          });
          return (
            '\n<h2>DeFi treasuries</h2>\n' +
            table(
              'DeFi treasuries on a synthetic market cycle (moves above the threshold approved by the operator)',
              cells.header,
              cells.rows,
              'no DeFi treasury',
            ) +
            equityChart
          );
        })();
  const o = result.options;
  const incomplete = result.complete
    ? ''
    : `\n<p><strong>Incomplete run: stopped after hour ${result.hoursRun} of ${o.days * 24}; ` +
      'every figure below is of the partial run.</strong></p>';
  const about =
    `<p>${o.agents} agents with $${o.startingBalance} each, ${o.days} days, seed ${o.seed}, scenario ${o.scenario}; ` +
    `casino ${o.lottery ? 'lottery policy' : o.sizing}, bet cap ${o.betCap}. ` +
    `${result.commands} commands, ${result.events} events. Audit digest <code>${auditDigest}</code>.</p>`;
  const pool = result.pool;
  const poolLine =
    `<p>Pool: reserve $${pool.reserve}, funding ratio ${(Number(pool.fundingRatio) * 100).toFixed(1)}%, ` +
    `${pool.claimsFiled} claims filed, ${pool.claimsPaid} paid, ${pool.claimsRejected} rejected.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Ballast simulation: seed ${o.seed}, ${o.days} days</title>
<style>${STYLE}</style></head>
<body>
<h1>Ballast simulation</h1>${incomplete}${warnings}
${about}
<table><thead><tr>${AGENT_HEADER}</tr></thead><tbody>${rows}</tbody></table>${defi}
<h2>P&amp;L by source</h2>
${pnlTable}
<h2>Refusals by code</h2>
${refusals}
${poolLine}
<h2>Claims</h2>
${claimRows}
<h2>Breaker trips</h2>
${breakerRows}
<h2>Treasury value by bucket</h2><div class="grid">${perAgent.join('')}</div>
<h2>Drawdown and breakers</h2>${drawdown}
<h2>Insurance pool</h2><div class="grid">${reserve}${ratio}</div>
<h2>Claims over time</h2>${claims}
<script>
  // Marks the page once the browser has laid out every chart with a real size (checked by the e2e test).
  const charts = [...document.querySelectorAll('svg')];
  const drawn = charts.filter((svg) => { const box = svg.getBBox(); return box.width > 0 && box.height > 0 && svg.querySelector('path'); });
  document.body.dataset.chartsRendered = String(drawn.length);
  document.body.dataset.charts = String(charts.length);
  const laidOut = (el) => el !== null && el.getBBox().width > 0;
  document.body.dataset.timeAxes = String(charts.filter(${HAS_TIME_AXES}).length);
  document.body.dataset.tables = [...document.querySelectorAll('table')].map((t) => t.caption?.textContent ?? '').join('|');
  document.body.dataset.breakerMarkers = String(document.querySelectorAll('svg circle').length);
</script>
</body></html>
`;
};
