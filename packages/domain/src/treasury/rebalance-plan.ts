import { Decimal, type Money, roundMoney } from '../money';
import type { BucketConfig } from './config';
import type { Move } from './events';

export interface RebalanceInput {
  readonly balances: Readonly<Record<string, Money>>;
  readonly buckets: readonly BucketConfig[];
  readonly reserve: string;
  readonly driftThreshold: Decimal;
  readonly minMove: Money;
  /**
   * Value a bucket holds that counts toward its share but cannot be moved (the trading bucket's BTC
   * and ETH, at the last reading): without it a sleeve that bought assets looks short of its target
   * and the plan would pour cash into it.
   */
  readonly held?: Readonly<Record<string, Money>>;
}

export interface RebalancePlan {
  readonly total: Money;
  /** Share minus target, per bucket, before the plan. */
  readonly drift: Readonly<Record<string, Decimal>>;
  readonly needed: boolean;
  readonly transfers: readonly Move[];
  /** Moves the plan wanted but left out because they were below the minimum move. */
  readonly skipped: readonly Move[];
}

const ZERO = new Decimal(0);

export const driftOf = (
  balances: Readonly<Record<string, Money>>,
  buckets: readonly BucketConfig[],
  held: Readonly<Record<string, Money>> = {},
): { total: Money; drift: Record<string, Decimal> } => {
  const value = (name: string) => (balances[name] ?? ZERO).plus(held[name] ?? ZERO);
  const total = buckets.reduce((s, b) => s.plus(value(b.name)), ZERO);
  const drift = Object.fromEntries(
    buckets.map((b) => [b.name, total.isZero() ? ZERO : value(b.name).div(total).minus(b.target)]),
  );
  return { total, drift };
};

/** Drift rounded to 12 places for events: exact enough to audit, short enough to read. */
const forEvent = (drift: Record<string, Decimal>) =>
  Object.fromEntries(Object.entries(drift).map(([k, v]) => [k, v.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN)]));

const MICRO = new Decimal('0.000001');

/**
 * Splits the total into whole micro-units by target share, largest remainder first: every bucket
 * gets its exact share rounded down, and the micro-units left over go one each to the buckets
 * whose shares lost the most in rounding (the reserve first on a tie, then by name). So each
 * bucket ends within one micro-unit of its exact target and the parts sum to the total exactly.
 * (Giving the whole remainder to the reserve would leave it up to buckets − 1 micro-units off.)
 */
const apportion = (total: Money, buckets: readonly BucketConfig[], reserve: string): Record<string, Money> => {
  const shares = buckets.map((b) => {
    const exact = total.mul(b.target);
    const floor = roundMoney(exact, 'down');
    return { name: b.name, floor, lost: exact.minus(floor) };
  });
  let left = total
    .minus(shares.reduce((s, x) => s.plus(x.floor), ZERO))
    .div(MICRO)
    .toNumber();
  const order = [...shares].sort(
    (a, b) =>
      b.lost.comparedTo(a.lost) ||
      Number(b.name === reserve) - Number(a.name === reserve) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
  const desired: Record<string, Money> = Object.fromEntries(shares.map((x) => [x.name, x.floor]));
  // Targets sum to 1, so fewer micro-units are left over than there are buckets; the loop is a
  // guard for totals that are not whole micro-units (they are, by the money codec).
  for (let i = 0; left > 0; i = (i + 1) % order.length, left -= 1)
    desired[order[i]!.name] = desired[order[i]!.name]!.plus(MICRO);
  return desired;
};

/**
 * T4. Moves every bucket to its target when any bucket drifts beyond the threshold. Targets are
 * apportioned in whole micro-units by largest remainder (see `apportion`), so the total is
 * conserved exactly and no bucket is more than one micro-unit from its exact target. Greedy
 * matching of the largest surplus with the largest deficit (reserve first) keeps transfers few: at
 * most senders + receivers − 1. A move below the minimum is skipped and reported, which is the only
 * reason a bucket may stay outside the threshold (beyond that one micro-unit, which matters only
 * for totals of a few micro-units); floors hold because every target is at or above its floor.
 */
export const planRebalance = (input: RebalanceInput): RebalancePlan => {
  const held = input.held ?? {};
  const { total, drift } = driftOf(input.balances, input.buckets, held);
  const needed = !total.isZero() && Object.values(drift).some((d) => d.abs().gt(input.driftThreshold));
  if (!needed) return { total, drift: forEvent(drift), needed, transfers: [], skipped: [] };

  const desired = apportion(total, input.buckets, input.reserve);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const delta = input.buckets.map((b) => ({
    name: b.name,
    delta: desired[b.name]!.minus(input.balances[b.name] ?? ZERO).minus(held[b.name] ?? ZERO),
  }));
  // A bucket above its target sends only cash: what it holds in assets stays (selling is the sleeve's own call).
  const senders = delta
    .filter((d) => d.delta.lt(0))
    .map((d) => ({ name: d.name, left: Decimal.min(d.delta.neg(), input.balances[d.name] ?? ZERO) }))
    .filter((d) => d.left.gt(0));
  const receivers = delta.filter((d) => d.delta.gt(0)).map((d) => ({ name: d.name, left: d.delta }));
  senders.sort((a, b) => b.left.comparedTo(a.left) || byName(a.name, b.name));
  receivers.sort(
    (a, b) =>
      Number(b.name === input.reserve) - Number(a.name === input.reserve) ||
      b.left.comparedTo(a.left) ||
      byName(a.name, b.name),
  );

  const transfers: Move[] = [];
  const skipped: Move[] = [];
  for (const receiver of receivers) {
    for (const sender of senders) {
      if (receiver.left.isZero()) break;
      if (sender.left.isZero()) continue;
      const amount = Decimal.min(receiver.left, sender.left);
      const move = { from: sender.name, to: receiver.name, amount } as Move;
      sender.left = sender.left.minus(amount);
      receiver.left = receiver.left.minus(amount);
      (amount.lt(input.minMove) ? skipped : transfers).push(move);
    }
  }
  return { total, drift: forEvent(drift), needed, transfers, skipped };
};
