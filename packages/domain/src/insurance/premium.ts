import { Decimal, type Money, roundMoney } from '../money';
import type { PoolConfig } from './pool-config';
import { POOL_TIERS } from './tiers';

/**
 * P4/P6: premium = max(minimum, risk × coverage × tier base rate), rounded up to the micro-unit;
 * while the pool is underfunded it carries the surcharge (25%).
 */
export const monthlyPremium = (
  config: PoolConfig,
  riskScore: Decimal,
  coverage: Money,
  underfunded: boolean,
): Money => {
  const base = Decimal.max(config.minPremium, riskScore.mul(coverage).mul(POOL_TIERS[config.tier].baseRate));
  return roundMoney(underfunded ? base.mul(new Decimal(1).plus(config.underfundedSurcharge)) : base, 'up');
};
