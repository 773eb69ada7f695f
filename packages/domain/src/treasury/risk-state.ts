import type { Instant } from '../instant';
import { Decimal, type Money, roundMoney } from '../money';
import type { Move, TreasuryEvent } from './events';
import type { TreasuryState } from './state';
import { riskValues } from './valuation';

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

// x ≤ 0 and Decimal.max(0, x) (x if above 0, else a new 0) without building Decimals to compare with.
const notPositive = (x: Money): boolean => x.isZero() || x.isNeg();
const atLeastZero = (x: Money): Money => (notPositive(x) ? ZERO : x);

/**
 * Moves a reference level (a peak, the day's start) with a deposit or withdrawal so that the
 * ratio a breaker watches is unchanged: flows are not P&L and must neither trip nor reset a
 * breaker. The level scales by value-after / value-before (a time-weighted return), rounded up to
 * 6 decimals so a breaker never trips later than it should. From zero it simply adds the flow.
 */
const rescale = (level: Money, valueAfter: Money, flow: Money): Money => {
  if (flow.isZero()) return level;
  const valueBefore = valueAfter.minus(flow);
  if (notPositive(valueBefore) || notPositive(level)) return atLeastZero(level.plus(flow));
  // level = value before (the peak is now) and the product fits the precision: level × after is
  // exact, so ÷ before is exactly `after` (at most 6 decimals: rounding up leaves it). The same
  // answer without a 40-digit division, on most deposits.
  if (level.eq(valueBefore) && level.sd() + valueAfter.sd() <= Decimal.precision)
    return atLeastZero(roundMoney(valueAfter, 'up'));
  return atLeastZero(roundMoney(level.mul(valueAfter).div(valueBefore), 'up'));
};

/** Decimal.max(a, b) without its two copies: b when a < b, or when they are equal and a is negative (−0 against 0). */
const larger = (a: Money, b: Money): Money => {
  const k = a.cmp(b);
  return k < 0 || (k === 0 && a.isNeg()) ? b : a;
};

/** Money that entered (+) or left (−) the treasury, or the trading desk, without being P&L. */
/** Net money into the trading bucket; a move that does not touch it adds nothing (n ± 0 is n). */
const moved = (moves: readonly Move[], trading: string | undefined): Money => {
  let n = ZERO;
  for (const m of moves) {
    if (m.to === trading) n = n.plus(m.amount);
    if (m.from === trading) n = n.minus(m.amount);
  }
  return n;
};

const flows = (event: TreasuryEvent, trading: string | undefined): { total: Money; trading: Money } => {
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
      return { total: ZERO, trading: moved(event.type === 'Rebalanced' ? event.transfers : [event], trading) };
    case 'ReferralsReinvested':
      return { total: ZERO, trading: event.toTrading };
    // Tokens found on a chain are money coming in, at their value: neither a gain that hides a loss nor a new peak.
    case 'AssetDeposited':
      return { total: event.cost, trading: event.cost };
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
  const { equity: eq, tradingValue: tv } = riskValues(after);
  // The fields as locals and one object at the end (not a spread per step): this runs on every
  // event. Same fields, same order (pausedUntil, when set, last), same values as step by step.
  let { status, pausedUntil, tradingDesk, casinoDesk, breakerTrips } = risk;
  let peak = rescale(risk.peak, eq, flow.total);
  const dayEquity = rescale(risk.dayStart.equity, eq, flow.total);
  let dayStart = dayEquity === risk.dayStart.equity ? risk.dayStart : { at: risk.dayStart.at, equity: dayEquity };
  let tradingPeak = rescale(risk.tradingPeak, tv, flow.trading);
  switch (event.type) {
    case 'TreasuryOpened':
      dayStart = { at, equity: ZERO };
      break;
    case 'DailyWindowOpened':
      dayStart = { at, equity: event.equity };
      break;
    case 'RiskPaused':
      status = 'PAUSED';
      pausedUntil = event.until;
      breakerTrips += 1;
      break;
    case 'RiskHalted':
      status = 'HALTED';
      breakerTrips += 1;
      break;
    case 'RiskResumed':
      status = 'ACTIVE';
      pausedUntil = undefined;
      dayStart = { at, equity: eq };
      // An operator's restart starts a fresh review: the peak is what the treasury holds now.
      if (event.by === 'operator') peak = eq;
      break;
    case 'TradingHalted':
      tradingDesk = 'halted';
      breakerTrips += 1;
      break;
    case 'TradingResumed':
      tradingDesk = 'open';
      tradingPeak = tv;
      break;
    case 'CasinoSessionStopped':
      casinoDesk = 'stopped';
      breakerTrips += 1;
      break;
    case 'ReserveFloorBreached':
      breakerTrips += 1;
      break;
    case 'Rebalanced':
      // Only a full rebalance reopens a stopped casino; an emergency top-up of the reserve does not.
      if (event.reason === 'drift') casinoDesk = 'open';
      break;
    default:
      break;
  }
  peak = larger(peak, eq);
  tradingPeak = larger(tradingPeak, tv);
  return pausedUntil === undefined
    ? { status, peak, dayStart, tradingPeak, tradingDesk, casinoDesk, breakerTrips }
    : { status, peak, dayStart, tradingPeak, tradingDesk, casinoDesk, breakerTrips, pausedUntil };
};
