import type { Instant } from '../instant';
import { Decimal, type Money, roundMoney } from '../money';
import type { Move, TreasuryEvent } from './events';
import type { TreasuryState } from './state';
import { equity, tradingValue } from './valuation';

export type RiskStatus = 'ACTIVE' | 'PAUSED' | 'HALTED';

export interface RiskState {
  readonly status: RiskStatus;
  readonly pausedUntil?: Instant;
  /** All-time high of equity, rescaled by deposits and withdrawals so that only P&L counts as drawdown. */
  readonly peak: Money;
  /** The daily window in event time and the equity it started with (also moved by flows). */
  readonly dayStart: { readonly at: Instant; readonly equity: Money };
  readonly tradingPeak: Money;
  readonly tradingDesk: 'open' | 'halted';
  /** A stopped casino stays stopped until the next rebalance (seed: "requires rebalance"). */
  readonly casinoDesk: 'open' | 'stopped';
  readonly breakerTrips: number;
}

const ZERO = new Decimal(0);

export const initialRiskState: RiskState = {
  status: 'ACTIVE',
  peak: ZERO,
  dayStart: { at: 0 as Instant, equity: ZERO },
  tradingPeak: ZERO,
  tradingDesk: 'open',
  casinoDesk: 'open',
  breakerTrips: 0,
};

/**
 * Moves a reference level (a peak, the day's start) with a deposit or withdrawal so that the
 * ratio a breaker watches is unchanged: flows are not P&L and must neither trip nor reset a
 * breaker. The level scales by value-after / value-before (a time-weighted return), rounded up to
 * 6 decimals so a breaker never trips later than it should. From zero it simply adds the flow.
 */
const rescale = (level: Money, valueAfter: Money, flow: Money): Money => {
  if (flow.isZero()) return level;
  const valueBefore = valueAfter.minus(flow);
  if (valueBefore.lte(0) || level.lte(0)) return Decimal.max(0, level.plus(flow));
  return Decimal.max(0, roundMoney(level.mul(valueAfter).div(valueBefore), 'up'));
};

/** Money that entered (+) or left (−) the treasury, or the trading desk, without being P&L. */
const flows = (event: TreasuryEvent, trading: string | undefined): { total: Money; trading: Money } => {
  const moved = (moves: readonly Move[]) => moves.reduce((n, m) => n.plus(m.to === trading ? m.amount : 0).minus(m.from === trading ? m.amount : 0), ZERO);
  switch (event.type) {
    case 'FundsDeposited':
      return { total: event.amount, trading: event.bucket === trading ? event.amount : ZERO };
    case 'FundsWithdrawn':
      return { total: event.amount.neg(), trading: event.bucket === trading ? event.amount.neg() : ZERO };
    case 'EscrowReleased':
    case 'LegacyEscrowReleased':
      // Paying another agent for work is spending, not a trading loss: it must not trip a breaker.
      return { total: event.amount.plus(event.fee).neg(), trading: ZERO };
    // Money crossing to or from another aggregate (stakes, premiums, payouts, escrow earnings) is a
    // flow, not P&L: it neither trips nor resets a breaker.
    case 'TransferSent':
      return { total: event.amount.neg(), trading: event.bucket === trading ? event.amount.neg() : ZERO };
    case 'TransferReceived':
    case 'TransferReturned':
      return { total: event.amount, trading: event.bucket === trading ? event.amount : ZERO };
    case 'FundsTransferred':
    case 'Rebalanced':
      return { total: ZERO, trading: moved(event.type === 'Rebalanced' ? event.transfers : [event]) };
    case 'ReferralsReinvested':
      return { total: ZERO, trading: event.toTrading };
    default:
      return { total: ZERO, trading: ZERO };
  }
};

/**
 * The RiskGuard's fold over the same stream. It reads the treasury's state after the event (the
 * equity the event produced) to track peaks; it never decides anything itself.
 */
export const evolveRisk = (risk: RiskState, event: TreasuryEvent, after: TreasuryState): RiskState => {
  const at = event.at as Instant;
  const flow = flows(event, after.config?.roles.trading);
  const eq = equity(after);
  const tv = tradingValue(after);
  let r: RiskState = {
    ...risk,
    peak: rescale(risk.peak, eq, flow.total),
    dayStart: { ...risk.dayStart, equity: rescale(risk.dayStart.equity, eq, flow.total) },
    tradingPeak: rescale(risk.tradingPeak, tv, flow.trading),
  };
  switch (event.type) {
    case 'TreasuryOpened':
      r = { ...r, dayStart: { at, equity: ZERO } };
      break;
    case 'DailyWindowOpened':
      r = { ...r, dayStart: { at, equity: event.equity } };
      break;
    case 'RiskPaused':
      r = { ...r, status: 'PAUSED', pausedUntil: event.until, breakerTrips: r.breakerTrips + 1 };
      break;
    case 'RiskHalted':
      r = { ...r, status: 'HALTED', breakerTrips: r.breakerTrips + 1 };
      break;
    case 'RiskResumed': {
      const { pausedUntil: _p, ...rest } = r;
      // An operator's restart starts a fresh review: the peak is what the treasury holds now.
      r = { ...rest, status: 'ACTIVE', dayStart: { at, equity: eq }, peak: event.by === 'operator' ? eq : r.peak };
      break;
    }
    case 'TradingHalted':
      r = { ...r, tradingDesk: 'halted', breakerTrips: r.breakerTrips + 1 };
      break;
    case 'TradingResumed':
      r = { ...r, tradingDesk: 'open', tradingPeak: tradingValue(after) };
      break;
    case 'CasinoSessionStopped':
      r = { ...r, casinoDesk: 'stopped', breakerTrips: r.breakerTrips + 1 };
      break;
    case 'ReserveFloorBreached':
      r = { ...r, breakerTrips: r.breakerTrips + 1 };
      break;
    case 'Rebalanced':
      // Only a full rebalance reopens a stopped casino; an emergency top-up of the reserve does not.
      if (event.reason === 'drift') r = { ...r, casinoDesk: 'open' };
      break;
    default:
      break;
  }
  return { ...r, peak: Decimal.max(r.peak, eq), tradingPeak: Decimal.max(r.tradingPeak, tv) };
};
