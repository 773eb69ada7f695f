import { Decimal, money, type Money } from '../money';

export interface PoolTier {
  readonly minStake: Money;
  readonly maxCoverage: Money;
  /** Monthly premium rate before the risk score. */
  readonly baseRate: Decimal;
}

/** Seed 001's tier table. Mixing tiers in one pool invites adverse selection, so a pool has one. */
export const POOL_TIERS = {
  micro: { minStake: money('10'), maxCoverage: money('100'), baseRate: new Decimal('0.015') },
  standard: { minStake: money('100'), maxCoverage: money('1000'), baseRate: new Decimal('0.02') },
  professional: { minStake: money('500'), maxCoverage: money('10000'), baseRate: new Decimal('0.035') },
  institutional: { minStake: money('5000'), maxCoverage: money('100000'), baseRate: new Decimal('0.05') },
} as const satisfies Record<string, PoolTier>;
export type PoolTierName = keyof typeof POOL_TIERS;

/**
 * Payout multipliers per coverage type: trading losses are deliberately under-insured (0.8×) so
 * agents keep an incentive to limit them; a counterparty default pays 2× for consequential loss.
 */
export const PAYOUT_MULTIPLIERS = {
  delivery_failure: new Decimal('1.0'),
  data_quality: new Decimal('1.5'),
  trading_loss: new Decimal('0.8'),
  counterparty_default: new Decimal('2.0'),
} as const;
export type CoverageType = keyof typeof PAYOUT_MULTIPLIERS;
