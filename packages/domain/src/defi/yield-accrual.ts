import { Decimal, type Money, roundMoney } from '../money';

/** A year of event time for APY: 365 days (a venue's quoted APY is per 365-day year). */
export const YEAR_MS = 365 * 24 * 3_600_000;

/**
 * What a deposit earns in a yield venue between two instants of event time, compounding at `apy`
 * (0.065 is 6.5%): principal × ((1 + apy)^(Δt / year) − 1), rounded down to the cent's 6 decimals,
 * so a venue never credits more than it earned and accruing in many small steps never beats one step
 * by more than the rounding. Zero for no time or a non-positive principal.
 */
export const accrueYield = (principal: Money, apy: Decimal, fromMs: number, toMs: number): Money => {
  if (toMs <= fromMs || principal.lte(0)) return new Decimal(0);
  const growth = new Decimal(1)
    .plus(apy)
    .pow(new Decimal(toMs - fromMs).div(YEAR_MS))
    .minus(1);
  return roundMoney(principal.mul(growth), 'down');
};
