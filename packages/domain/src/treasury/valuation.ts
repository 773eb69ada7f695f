import { addMoney, Decimal, type Money, roundMoney } from '../money';
import type { PositionState, TreasuryState } from './state';
import { bucketOf, roleBucket } from './state';
import { priceOf } from './asset-prices';

const ZERO = new Decimal(0);

const direction = (p: PositionState): number => (p.side === 'long' ? 1 : -1);

/**
 * P&L of a position if closed at `price`: quantity × move, rounded toward −∞ (a loss is never
 * understated), and never below −margin: an isolated-margin position can lose only its margin.
 */
export const positionPnl = (p: PositionState, price: Decimal): Money =>
  Decimal.max(p.margin.neg(), roundMoney(p.quantity.mul(price.minus(p.entryPrice)).mul(direction(p)), 'down'));

export const unrealizedPnl = (state: TreasuryState, p: PositionState): Money =>
  positionPnl(p, state.marks[p.symbol] ?? p.entryPrice);

// Sums walk the records directly (for…in visits own keys in Object.values' order), left to right.
export const freeTotal = (state: TreasuryState): Money => {
  let total = ZERO;
  for (const k in state.buckets) total = addMoney(total, state.buckets[k]!);
  return total;
};
export const escrowLocked = (state: TreasuryState): Money => {
  let total = ZERO;
  for (const k in state.escrows) {
    const e = state.escrows[k]!;
    total = addMoney(total, addMoney(e.amount, e.fee));
  }
  return total;
};
export const betsLocked = (state: TreasuryState): Money => {
  let total = ZERO;
  for (const k in state.bets) total = addMoney(total, state.bets[k]!.stake);
  return total;
};
export const marginLocked = (state: TreasuryState): Money => {
  let total = ZERO;
  for (const k in state.positions) total = addMoney(total, state.positions[k]!.margin);
  return total;
};
/** What the holdings cost (USD): on the books at cost, like margin. */
export const holdingsCost = (state: TreasuryState): Money => {
  let total = ZERO;
  for (const k in state.holdings) total = addMoney(total, state.holdings[k]!.cost);
  return total;
};
export const lockedTotal = (state: TreasuryState): Money =>
  state.holdings === undefined
    ? addMoney(addMoney(escrowLocked(state), betsLocked(state)), marginLocked(state))
    : addMoney(addMoney(addMoney(escrowLocked(state), betsLocked(state)), marginLocked(state)), holdingsCost(state));

/** Each holding at its symbol's last price (at cost before any), and the unrealized part over cost. */
export const holdingsValue = (state: TreasuryState): { readonly value: Money; readonly unrealized: Money } => {
  let value = ZERO;
  let cost = ZERO;
  for (const asset in state.holdings) {
    const h = state.holdings[asset]!;
    const price = priceOf(state, asset)?.price;
    value = addMoney(value, price === undefined ? h.cost : roundMoney(h.quantity.mul(price), 'down'));
    cost = addMoney(cost, h.cost);
  }
  return { value, unrealized: value.minus(cost) };
};

/** What the books hold: free balances plus every lock (no unrealized P&L). T1 is stated on this. */
export const bookValue = (state: TreasuryState): Money => addMoney(freeTotal(state), lockedTotal(state));

/**
 * What buckets hold besides their cash that counts toward their share: the trading bucket's holdings
 * at the last reading. Empty for a treasury that never swapped.
 */
export const heldInBuckets = (state: TreasuryState): Readonly<Record<string, Money>> => {
  const trading = state.config?.roles.trading;
  return state.holdings === undefined || trading === undefined ? {} : { [trading]: holdingsValue(state).value };
};

/** Marked to market: the book plus the unrealized P&L of open positions. Breakers watch this. */
export const equity = (state: TreasuryState): Money => riskValues(state).equity;

/** The trading desk's own value: its free balance, margins and unrealized P&L. */
export const tradingValue = (state: TreasuryState): Money => riskValues(state).tradingValue;

/**
 * Equity and the trading desk's value together, each position's unrealized P&L computed once
 * (the RiskGuard needs both after every event). Same sums, in the same order, as each alone.
 */
export const riskValues = (state: TreasuryState): { readonly equity: Money; readonly tradingValue: Money } => {
  let unrealized = ZERO;
  let desk = ZERO;
  for (const k in state.positions) {
    const p = state.positions[k]!;
    const pnl = unrealizedPnl(state, p);
    unrealized = addMoney(unrealized, pnl);
    desk = addMoney(desk, addMoney(p.margin, pnl));
  }
  const bucket = roleBucket(state, 'trading');
  if (state.holdings !== undefined) {
    // Holdings count at market in both: a falling BTC is a loss the breakers must see.
    const held = holdingsValue(state);
    unrealized = addMoney(unrealized, held.unrealized);
    desk = addMoney(desk, held.value);
  }
  return {
    equity: addMoney(bookValue(state), unrealized),
    tradingValue: bucket ? addMoney(bucketOf(state, bucket), desk) : ZERO,
  };
};

/** The casino's own value: its free balance and the stakes of unsettled bets. */
export const casinoValue = (state: TreasuryState): Money => {
  const bucket = roleBucket(state, 'casino');
  return bucket ? addMoney(bucketOf(state, bucket), betsLocked(state)) : ZERO;
};
