import { DAY_MS } from '../instant';
import { addMoney, type Money, ZERO } from '../money';

/**
 * A budget's window in event time: rolling (the last `ms` before now, the start excluded) or a
 * calendar period in UTC (the current day or month), which empties at its boundary.
 */
export type SpendWindow =
  { readonly kind: 'rolling'; readonly ms: number } | { readonly kind: 'calendar'; readonly unit: 'day' | 'month' };

/** One outflow already made, as the budget counts it. */
export interface Spend {
  readonly at: number;
  readonly amount: Money;
}

/** The start of the calendar period holding `at` (UTC), and the start of the next one. */
const periodOf = (unit: 'day' | 'month', at: number): { start: number; next: number } => {
  if (unit === 'day') {
    const start = Math.floor(at / DAY_MS) * DAY_MS;
    return { start, next: start + DAY_MS };
  }
  const date = new Date(at);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  return { start: Date.UTC(year, month, 1), next: Date.UTC(year, month + 1, 1) };
};

/** Whether a spend made at `spentAt` still counts in the window as it stands at `at`. */
export const counts = (window: SpendWindow, spentAt: number, at: number): boolean => {
  if (spentAt > at) return false;
  if (window.kind === 'rolling') return spentAt > at - window.ms;
  return spentAt >= periodOf(window.unit, at).start;
};

/** What the window holds at `at`. */
export const spentIn = (spends: readonly Spend[], window: SpendWindow, at: number): Money =>
  spends.reduce((sum, s) => (counts(window, s.at, at) ? addMoney(sum, s.amount) : sum), ZERO as Money);

export type BudgetCheck =
  | { readonly ok: true; readonly spent: Money }
  | {
      readonly ok: false;
      readonly spent: Money;
      /**
       * The first time at which `amount` fits (the window has let enough go), or undefined when it
       * never will (the amount alone is above the limit).
       */
      readonly freesAt: number | undefined;
    };

/**
 * Whether `amount` fits in the budget at `at`: the window's spends plus it at most `limit`. When it
 * does not, when it will: in a rolling window each spend leaves `ms` after it was made, oldest
 * first; a calendar window empties at the next period.
 */
export const checkBudget = (
  spends: readonly Spend[],
  window: SpendWindow,
  limit: Money,
  amount: Money,
  at: number,
): BudgetCheck => {
  const spent = spentIn(spends, window, at);
  if (addMoney(spent, amount).lte(limit)) return { ok: true, spent };
  if (amount.gt(limit)) return { ok: false, spent, freesAt: undefined };
  if (window.kind === 'calendar') return { ok: false, spent, freesAt: periodOf(window.unit, at).next };
  const inWindow = spends.filter((s) => counts(window, s.at, at)).sort((a, b) => a.at - b.at);
  let left = spent;
  for (const s of inWindow) {
    left = left.minus(s.amount);
    // A spend made at t counts while now < t + ms: from t + ms on it is out.
    if (addMoney(left, amount).lte(limit)) return { ok: false, spent, freesAt: s.at + window.ms };
  }
  // Unreachable: with every spend gone, amount ≤ limit fits.
  return { ok: false, spent, freesAt: undefined };
};
