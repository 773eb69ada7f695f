import { Decimal, roundMoney } from '../money';
import type { Instant } from '../instant';
import { type TreasuryAccount, evolveAccount } from './account';
import { closeEvent } from './decide-trading';
import type { TreasuryEvent } from './events';
import { bucketOf, requireConfig } from './state';
import { bookValue, casinoValue, equity, holdingsValue, tradingValue } from './valuation';

const ratioDown = (peak: Decimal, value: Decimal): Decimal =>
  peak.lte(0) ? new Decimal(0) : Decimal.max(0, peak.minus(value).div(peak));
const forEvent = (x: Decimal) => Decimal.min(1, x.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN));

type Breaker = (a: TreasuryAccount, at: Instant) => TreasuryEvent[];

/** R5: drawdown beyond the limit from the all-time peak halts, on the same event that crosses it. */
const totalDrawdown: Breaker = (a, at) => {
  const config = requireConfig(a.treasury);
  if (a.risk.status === 'HALTED') return [];
  const eq = equity(a.treasury);
  const drawdown = ratioDown(a.risk.peak, eq);
  return drawdown.gt(config.maxDrawdown)
    ? [{ type: 'RiskHalted', at, peak: a.risk.peak, equity: eq, drawdown: forEvent(drawdown) }]
    : [];
};

/** Seed table: trading drawdown beyond the limit closes every position and halts new trades. */
const tradingDrawdown: Breaker = (a, at) => {
  const config = requireConfig(a.treasury);
  if (config.roles.trading === undefined || a.risk.tradingDesk === 'halted') return [];
  const value = tradingValue(a.treasury);
  const drawdown = ratioDown(a.risk.tradingPeak, value);
  if (!drawdown.gt(config.tradingMaxDrawdown)) return [];
  const closes = Object.values(a.treasury.positions)
    .sort((x, y) => (x.positionId < y.positionId ? -1 : 1))
    .map((p) => closeEvent(p, a.treasury.marks[p.symbol] ?? p.entryPrice, 'breaker', at));
  return [{ type: 'TradingHalted', at, peak: a.risk.tradingPeak, value, drawdown: forEvent(drawdown) }, ...closes];
};

/** R4: a daily loss beyond the limit pauses everything for `pauseMs` of event time. */
const dailyLoss: Breaker = (a, at) => {
  const config = requireConfig(a.treasury);
  if (a.risk.status !== 'ACTIVE') return [];
  const eq = equity(a.treasury);
  const loss = ratioDown(a.risk.dayStart.equity, eq);
  return loss.gt(config.maxDailyLoss)
    ? [
        {
          type: 'RiskPaused',
          at,
          until: (at + config.pauseMs) as Instant,
          dayStartEquity: a.risk.dayStart.equity,
          equity: eq,
          lossRatio: forEvent(loss),
        },
      ]
    : [];
};

/** R7: a session that has lost half its starting bankroll stops the casino and returns the rest to reserve. */
const casinoSession: Breaker = (a, at) => {
  const config = requireConfig(a.treasury);
  const session = a.treasury.session;
  if (session === undefined || config.roles.casino === undefined || session.startBankroll.lte(0)) return [];
  const value = casinoValue(a.treasury);
  const loss = ratioDown(session.startBankroll, value);
  if (loss.lt(config.casinoSessionStop)) return [];
  return [
    {
      type: 'CasinoSessionStopped',
      at,
      sessionId: session.sessionId,
      startBankroll: session.startBankroll,
      value,
      lossRatio: forEvent(loss),
      returnedToReserve: bucketOf(a.treasury, config.roles.casino),
    },
  ];
};

/**
 * Seed table: reserve below its floor pulls the deficit from the trading bucket at once. Holdings
 * count at the last reading, as rebalancing counts them: at cost, a fall in BTC would have the
 * floor pull back what the drift rebalance had just sent, and the next rebalance send it again.
 */
const reserveFloor: Breaker = (a, at) => {
  const config = requireConfig(a.treasury);
  const reserveBucket = config.buckets.find((b) => b.name === config.roles.reserve)!;
  const total =
    a.treasury.holdings === undefined
      ? bookValue(a.treasury)
      : bookValue(a.treasury).plus(holdingsValue(a.treasury).unrealized);
  const reserve = bucketOf(a.treasury, reserveBucket.name);
  const floor = roundMoney(total.mul(reserveBucket.floor), 'up');
  const trading = config.roles.trading;
  if (trading === undefined || !reserve.lt(floor)) return [];
  const amount = Decimal.min(floor.minus(reserve), bucketOf(a.treasury, trading));
  if (amount.lte(0)) return [];
  return [
    { type: 'ReserveFloorBreached', at, reserve, floor, total },
    {
      type: 'Rebalanced',
      at,
      reason: 'reserve-floor',
      total,
      drift: {},
      transfers: [{ from: trading, to: reserveBucket.name, amount }],
      skipped: [],
    },
  ];
};

const BREAKERS: readonly Breaker[] = [totalDrawdown, tradingDrawdown, dailyLoss, casinoSession, reserveFloor];

/**
 * Runs every breaker of the seed's table against the state the command produced, in order of
 * severity, each at most once, folding each one's events before the next looks. Returned events
 * are appended with the command's own, so a breaker trips on the event that crosses its line.
 */
export const tripBreakers = (a: TreasuryAccount, at: Instant): TreasuryEvent[] => {
  const out: TreasuryEvent[] = [];
  let state = a;
  for (const breaker of BREAKERS) {
    const events = breaker(state, at);
    for (const e of events) state = evolveAccount(state, e);
    out.push(...events);
  }
  return out;
};
