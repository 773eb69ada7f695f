// @ts-check
// One treasury as a row of table#treasuries, from its read-model rows (treasury-overview, risk-board,
// treasury-controls, breaker-history) and its own state (configuration, positions, escrow locks).
// The state may arrive after the read models: cells show what they have meanwhile.
import { breakerTimeline } from './table-breakers.js';
import { instant, money, percent, price, signedMoney, signedPercent } from './format-money.js';
import { actionButton, cell, h, lines } from './table-render.js';

/**
 * @typedef {{ treasuryId: string, buckets: Record<string, string>, drift: Record<string, string>,
 *   driftThreshold: string, locks: { escrow: string, bets: string, margin: string }, bookValue: string, equity: string }} OverviewRow
 * @typedef {{ treasuryId: string, status: string, pausedUntil?: number, tradingDesk: string, casinoDesk: string,
 *   drawdown: string, dailyPnl: string, breakerTrips: number }} RiskRow
 * @typedef {{ name: string, window: string, category?: string, counterparty?: string, limit: string, spent: string }} Budget
 * @typedef {{ treasuryId: string, policyVersion: number, mode: string, budgets: Budget[],
 *   emergencyStop: { by: string, at: number, reason?: string, lifts: string[], liftRequired: number } | null }} ControlsRow
 * @typedef {{ positionId: string, symbol: string, side: string, size: string, leverage: number, entryPrice: string,
 *   stopLoss: string, takeProfit: string, trailingStop?: string, extremePrice: string }} Position
 * @typedef {{ treasury: { config?: any, positions: Record<string, Position>, escrows: Record<string, unknown>,
 *   marks: Record<string, string>, lastAt: number }, risk: { dayStart: { equity: string } } }} TreasuryAccount
 * @typedef {{ overview: OverviewRow, risk?: RiskRow, controls?: ControlsRow, account?: TreasuryAccount,
 *   breakers: import('./table-breakers.js').BreakerEntry[] }} TreasuryData
 * @typedef {{ resume: (id: string) => void, resumeTrading: (id: string) => void, liftStop: (id: string) => void }} TreasuryActions
 */

/** Where a position's protective exits are, as the engine computes them (position-triggers.ts). @param {Position} p */
const exits = (p) => {
  const long = p.side === 'long';
  const entry = Number(p.entryPrice);
  const stop = entry * (long ? 1 - Number(p.stopLoss) : 1 + Number(p.stopLoss));
  const take = entry * (long ? 1 + Number(p.takeProfit) : 1 - Number(p.takeProfit));
  const trail =
    p.trailingStop === undefined
      ? undefined
      : Number(p.extremePrice) * (long ? 1 - Number(p.trailingStop) : 1 + Number(p.trailingStop));
  return { stop, take, trail };
};

/** @param {TreasuryData} d */
const bucketsCell = (d) => {
  const config = d.account?.treasury.config;
  const total = Object.values(d.overview.buckets).reduce((s, v) => s + Number(v), 0);
  const threshold = Number(d.overview.driftThreshold);
  return lines(
    Object.entries(d.overview.buckets).map(([name, balance]) => {
      const spec = config?.buckets?.find((/** @type {{name: string}} */ b) => b.name === name);
      const share = total === 0 ? 0 : Number(balance) / total;
      const drift = Number(d.overview.drift[name] ?? 0);
      const belowFloor = spec !== undefined && share < Number(spec.floor);
      return [
        h('span', { class: belowFloor ? 'bad' : '', text: `${name} ${money(balance)}` }),
        h('span', {
          class: 'muted',
          title: 'share of the buckets / target (floor)',
          text: spec
            ? `${percent(share, 1)}/${percent(spec.target, 0)} (${percent(spec.floor, 0)})`
            : `${percent(share, 1)}`,
        }),
        h('span', {
          class: Math.abs(drift) > threshold ? 'warn' : 'muted',
          title: `drift from target; rebalance beyond ${percent(threshold, 0)}`,
          text: signedPercent(drift),
        }),
        belowFloor && h('span', { class: 'bad', text: 'below floor' }),
      ];
    }),
  );
};

/** @param {TreasuryData} d */
const valueCell = (d) => {
  const config = d.account?.treasury.config;
  const drawdown = Number(d.risk?.drawdown ?? 0);
  const maxDrawdown = config ? Number(config.maxDrawdown) : undefined;
  const pnl = Number(d.risk?.dailyPnl ?? 0);
  const dayStart = d.account ? Number(d.account.risk.dayStart.equity) : undefined;
  const lossLimit = config && dayStart !== undefined ? dayStart * Number(config.maxDailyLoss) : undefined;
  return lines([
    [
      h('strong', { text: money(d.overview.equity) }),
      h('span', { class: 'muted', text: `equity, book ${money(d.overview.bookValue)}` }),
    ],
    [
      h('span', {
        class:
          maxDrawdown === undefined ? '' : drawdown >= maxDrawdown ? 'bad' : drawdown >= maxDrawdown / 2 ? 'warn' : '',
        text: `drawdown ${percent(drawdown)}`,
      }),
      maxDrawdown !== undefined && h('span', { class: 'muted', text: `of max ${percent(maxDrawdown, 0)}` }),
    ],
    [
      h('span', { class: pnl < 0 ? 'bad' : pnl > 0 ? 'ok' : '', text: `today ${signedMoney(pnl)}` }),
      lossLimit !== undefined && h('span', { class: 'muted', text: `(loss limit ${money(lossLimit)})` }),
    ],
  ]);
};

const STATUS_TONE = /** @type {Record<string, string>} */ ({ ACTIVE: 'ok', PAUSED: 'warn', HALTED: 'bad' });

/** @param {TreasuryData} d */
const riskCell = (d) => {
  const r = d.risk;
  if (r === undefined) return h('span', { class: 'muted', text: '…' });
  return lines(
    [
      [h('span', { class: r.tradingDesk === 'open' ? '' : 'bad', text: `trading ${r.tradingDesk}` })],
      [h('span', { class: r.casinoDesk === 'open' ? '' : 'warn', text: `casino ${r.casinoDesk}` })],
      // Two parts, so that in a narrow column the instant goes under "paused until" instead of past the edge.
      r.pausedUntil !== undefined
        ? [
            h('span', { class: 'warn', text: 'paused until' }),
            h('span', { class: 'warn', text: instant(r.pausedUntil) }),
          ]
        : [],
      d.account?.treasury.config
        ? [h('span', { class: 'muted', text: `sizing ${d.account.treasury.config.sizing}` })]
        : [],
    ].filter((l) => l.length > 0),
  );
};

/** @param {TreasuryData} d */
const locksCell = (d) => {
  const { escrow, bets, margin } = d.overview.locks;
  const escrows = d.account ? Object.keys(d.account.treasury.escrows).length : undefined;
  return lines(
    [
      [`margin ${money(margin)}`, h('span', { class: 'muted', text: 'locked' })],
      [
        `escrow ${money(escrow)}`,
        escrows === undefined ? '' : h('span', { class: 'muted', text: `in ${escrows} open` }),
      ],
      [`bets ${money(bets)}`],
    ],
    { nowrap: true },
  );
};

/** @param {TreasuryData} d */
const positionsCell = (d) => {
  if (d.account === undefined) return h('span', { class: 'muted', text: '…' });
  const positions = Object.values(d.account.treasury.positions);
  if (positions.length === 0) return h('span', { class: 'muted', text: 'no positions' });
  const marks = d.account.treasury.marks;
  return h(
    'details',
    { data: { keep: 'positions' } },
    h('summary', {
      text: `${positions.length} ${positions.length === 1 ? 'position' : 'positions'}`,
      attrs: { 'aria-label': `Open positions of ${d.overview.treasuryId}` },
    }),
    lines(
      positions.map((p) => {
        const { stop, take, trail } = exits(p);
        return [
          h('strong', { text: `${p.symbol} ${p.side}` }),
          `${money(p.size)} ×${p.leverage} @ ${price(p.entryPrice)}`,
          h('span', { class: 'muted', text: `mark ${price(marks[p.symbol])}` }),
          h('span', { class: 'bad', text: `stop ${price(stop)}` }),
          trail !== undefined ? h('span', { class: 'warn', text: `trail ${price(trail)}` }) : '',
          h('span', { class: 'ok', text: `take ${price(take)}` }),
        ];
      }),
    ),
  );
};

/** @param {TreasuryData} d */
const controlsCell = (d) => {
  const c = d.controls;
  if (c === undefined) return h('span', { class: 'muted', text: 'no spend policy' });
  const stop = c.emergencyStop;
  return lines([
    [`policy v${c.policyVersion}`, h('span', { class: c.mode === 'normal' ? 'muted' : 'warn', text: c.mode })],
    stop
      ? [
          h('span', { class: 'bad', text: `STOPPED by ${stop.by}` }),
          h('span', { class: 'bad', text: `${instant(stop.at)}${stop.reason ? `: ${stop.reason}` : ''}` }),
          h('span', {
            class: 'muted',
            text: `(lifts ${stop.lifts.length} of ${stop.liftRequired}${stop.lifts.length ? `: ${stop.lifts.join(', ')}` : ''})`,
          }),
        ]
      : [h('span', { class: 'muted', text: 'no emergency stop' })],
    ...c.budgets.map((b) => {
      const used = Number(b.limit) === 0 ? 1 : Number(b.spent) / Number(b.limit);
      const scope = [b.category, b.counterparty].filter(Boolean).join(', ');
      return [
        h('span', {
          class: used >= 1 ? 'bad' : used >= 0.8 ? 'warn' : '',
          text: `${b.name} ${money(b.spent)} / ${money(b.limit)}`,
        }),
        h('span', { class: 'muted', text: `per ${b.window}${scope ? ` (${scope})` : ''}` }),
      ];
    }),
  ]);
};

/** @param {TreasuryData} d @param {TreasuryActions} actions */
const actionsCell = (d, actions) => {
  const id = d.overview.treasuryId;
  // Only the buttons: emergencyStop is null when no stop is on, and `null && …` must not count as one.
  const buttons = [
    d.risk && d.risk.status !== 'ACTIVE' && actionButton(`Resume ${id}`, () => actions.resume(id)),
    d.risk && d.risk.tradingDesk === 'halted' && actionButton(`Resume trading ${id}`, () => actions.resumeTrading(id)),
    d.controls?.emergencyStop && actionButton(`Lift stop ${id}`, () => actions.liftStop(id)),
  ].filter((b) => b instanceof window.HTMLButtonElement);
  return buttons.length === 0 ? h('span', { class: 'muted', text: 'none needed' }) : buttons;
};

/** The row's key, what it depends on (its signature), and how to build it. @param {TreasuryData} d @param {TreasuryActions} actions */
export const treasuryRow = (d, actions) => {
  const id = d.overview.treasuryId;
  const status = d.risk?.status ?? '…';
  const lastAt = d.account?.treasury.lastAt ?? 0;
  return {
    key: id,
    signature: JSON.stringify([
      d.overview,
      d.risk,
      d.controls,
      d.account,
      d.breakers.length,
      d.breakers.at(-1)?.position,
    ]),
    build: () =>
      h(
        'tr',
        { data: { treasury: id } },
        h('th', { attrs: { scope: 'row' }, data: { label: 'Treasury' }, text: id }),
        // The status word comes first: tests and readers take the cell's start as the status.
        cell('Status', [h('strong', { class: STATUS_TONE[status] ?? '', text: status }), riskCell(d)], {
          field: 'status',
        }),
        cell('Value', valueCell(d)),
        cell('Buckets', bucketsCell(d), { wide: true }),
        cell('Positions & locks', [positionsCell(d), locksCell(d)]),
        cell('Controls', controlsCell(d)),
        cell('Breakers', breakerTimeline(id, d.breakers, d.risk?.breakerTrips ?? 0, lastAt), { wide: true }),
        // Two columns wide: "Resume trading agent-10" is wider than one.
        cell('Actions', actionsCell(d, actions), { wide: true }),
      ),
  };
};
