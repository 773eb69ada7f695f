import { Decimal, type Money, roundMoney } from '../money';
import type { BucketConfig } from './config';
import type { Move } from './events';

export interface RebalanceInput {
  readonly balances: Readonly<Record<string, Money>>;
  readonly buckets: readonly BucketConfig[];
  readonly reserve: string;
  readonly driftThreshold: Decimal;
  readonly minMove: Money;
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

export const driftOf = (balances: Readonly<Record<string, Money>>, buckets: readonly BucketConfig[]): { total: Money; drift: Record<string, Decimal> } => {
  const total = buckets.reduce((s, b) => s.plus(balances[b.name] ?? ZERO), ZERO);
  const drift = Object.fromEntries(buckets.map((b) => [b.name, total.isZero() ? ZERO : (balances[b.name] ?? ZERO).div(total).minus(b.target)]));
  return { total, drift };
};

/** Drift rounded to 12 places for events: exact enough to audit, short enough to read. */
const forEvent = (drift: Record<string, Decimal>) => Object.fromEntries(Object.entries(drift).map(([k, v]) => [k, v.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN)]));

/**
 * T4. Moves every bucket to its target when any bucket drifts beyond the threshold. Targets are
 * rounded down to 6 decimals and the remainder goes to the reserve, so the reserve is served first
 * and the total is conserved to the micro-unit. Greedy matching of the largest surplus with the
 * largest deficit (reserve first) keeps transfers few: at most senders + receivers − 1. A move
 * below the minimum is skipped and reported, which is the only reason a bucket may stay outside
 * the threshold (beyond one micro-unit: amounts are whole micro-units, which matters only for
 * totals of a few micro-units); floors hold because every target is at or above its floor.
 */
export const planRebalance = (input: RebalanceInput): RebalancePlan => {
  const { total, drift } = driftOf(input.balances, input.buckets);
  const needed = !total.isZero() && Object.values(drift).some((d) => d.abs().gt(input.driftThreshold));
  if (!needed) return { total, drift: forEvent(drift), needed, transfers: [], skipped: [] };

  const desired: Record<string, Money> = {};
  let assigned = ZERO;
  for (const b of input.buckets) {
    if (b.name === input.reserve) continue;
    desired[b.name] = roundMoney(total.mul(b.target), 'down');
    assigned = assigned.plus(desired[b.name]!);
  }
  desired[input.reserve] = total.minus(assigned);

  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const delta = input.buckets.map((b) => ({ name: b.name, delta: desired[b.name]!.minus(input.balances[b.name] ?? ZERO) }));
  const senders = delta.filter((d) => d.delta.lt(0)).map((d) => ({ name: d.name, left: d.delta.neg() }));
  const receivers = delta.filter((d) => d.delta.gt(0)).map((d) => ({ name: d.name, left: d.delta }));
  senders.sort((a, b) => b.left.comparedTo(a.left) || byName(a.name, b.name));
  receivers.sort((a, b) => Number(b.name === input.reserve) - Number(a.name === input.reserve) || b.left.comparedTo(a.left) || byName(a.name, b.name));

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
