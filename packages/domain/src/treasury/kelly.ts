import { Decimal, type Money, roundMoney } from '../money';
import type { SizingPolicy } from './config';

/**
 * Kelly: f* = (p·b − q) / b, the growth-optimal fraction of bankroll. Zero when the edge is not
 * positive (never bet a negative expected value) or when the odds or probability are not positive.
 */
export const kellyFraction = (winProbability: Decimal, netOdds: Decimal): Decimal => {
  if (netOdds.lte(0) || winProbability.lte(0)) return new Decimal(0);
  const raw = winProbability.mul(netOdds).minus(new Decimal(1).minus(winProbability)).div(netOdds);
  return Decimal.max(0, raw);
};

const KELLY_MULTIPLIER: Record<Exclude<SizingPolicy, 'lottery'>, Decimal> = {
  'full-kelly': new Decimal(1),
  'half-kelly': new Decimal('0.5'),
  'quarter-kelly': new Decimal('0.25'),
};

export interface Sizing {
  /** The fraction of bankroll the policy asks for before the cap. */
  readonly fraction: Decimal;
  /** The fraction after the per-bet cap. */
  readonly cappedFraction: Decimal;
  /** bankroll × capped fraction, rounded down to 6 decimals: a stake never exceeds its cap. */
  readonly stake: Money;
}

/**
 * The stake a policy sizes for a bankroll. Every policy is capped at `cap` (2% by default). The
 * lottery policy is the explicit, opt-in exception: a fixed fraction whatever the edge.
 */
export const sizeStake = (
  policy: SizingPolicy,
  bankroll: Money,
  winProbability: Decimal,
  netOdds: Decimal,
  cap: Decimal,
  lotteryFraction: Decimal,
): Sizing => {
  const fraction =
    policy === 'lottery' ? lotteryFraction : kellyFraction(winProbability, netOdds).mul(KELLY_MULTIPLIER[policy]);
  const cappedFraction = Decimal.min(fraction, cap);
  return { fraction, cappedFraction, stake: roundMoney(bankroll.mul(cappedFraction), 'down') };
};

/** Trading: b = average win / average loss, sized like a bet (seed 000's trading_size). */
export const sizeTrade = (
  policy: SizingPolicy,
  bankroll: Money,
  winRate: Decimal,
  averageWin: Money,
  averageLoss: Money,
  cap: Decimal,
  lotteryFraction: Decimal,
): Sizing =>
  averageLoss.lte(0)
    ? { fraction: new Decimal(0), cappedFraction: new Decimal(0), stake: new Decimal(0) }
    : sizeStake(policy, bankroll, winRate, averageWin.div(averageLoss), cap, lotteryFraction);
