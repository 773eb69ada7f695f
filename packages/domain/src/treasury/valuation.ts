import { Decimal, type Money, roundMoney } from '../money';
import type { PositionState, TreasuryState } from './state';
import { bucketOf, roleBucket } from './state';

const ZERO = new Decimal(0);
const sum = (values: Iterable<Decimal>): Decimal => {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
};

const direction = (p: PositionState): number => (p.side === 'long' ? 1 : -1);

/**
 * P&L of a position if closed at `price`: quantity × move, rounded toward −∞ (a loss is never
 * understated), and never below −margin: an isolated-margin position can lose only its margin.
 */
export const positionPnl = (p: PositionState, price: Decimal): Money =>
  Decimal.max(p.margin.neg(), roundMoney(p.quantity.mul(price.minus(p.entryPrice)).mul(direction(p)), 'down'));

export const unrealizedPnl = (state: TreasuryState, p: PositionState): Money => positionPnl(p, state.marks[p.symbol] ?? p.entryPrice);

export const freeTotal = (state: TreasuryState): Money => sum(Object.values(state.buckets));
export const escrowLocked = (state: TreasuryState): Money => sum(Object.values(state.escrows).map((e) => e.amount.plus(e.fee)));
export const betsLocked = (state: TreasuryState): Money => sum(Object.values(state.bets).map((b) => b.stake));
export const marginLocked = (state: TreasuryState): Money => sum(Object.values(state.positions).map((p) => p.margin));
export const lockedTotal = (state: TreasuryState): Money => escrowLocked(state).plus(betsLocked(state)).plus(marginLocked(state));

/** What the books hold: free balances plus every lock (no unrealized P&L). T1 is stated on this. */
export const bookValue = (state: TreasuryState): Money => freeTotal(state).plus(lockedTotal(state));

/** Marked to market: the book plus the unrealized P&L of open positions. Breakers watch this. */
export const equity = (state: TreasuryState): Money => bookValue(state).plus(sum(Object.values(state.positions).map((p) => unrealizedPnl(state, p))));

/** The trading desk's own value: its free balance, margins and unrealized P&L. */
export const tradingValue = (state: TreasuryState): Money => {
  const bucket = roleBucket(state, 'trading');
  if (!bucket) return ZERO;
  return bucketOf(state, bucket).plus(sum(Object.values(state.positions).map((p) => p.margin.plus(unrealizedPnl(state, p)))));
};

/** The casino's own value: its free balance and the stakes of unsettled bets. */
export const casinoValue = (state: TreasuryState): Money => {
  const bucket = roleBucket(state, 'casino');
  return bucket ? bucketOf(state, bucket).plus(betsLocked(state)) : ZERO;
};
