import * as t from 'io-ts';
import { decimalString, RatioFromString } from '../codecs/decimal-codec';
import { NonNegativeMoneyFromString } from '../codecs/money-codec';
import { boundedInt } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { DAY_MS, HOUR_MS } from '../instant';
import { Decimal, money } from '../money';

export const PoolTierCodec = t.keyof({ micro: null, standard: null, professional: null, institutional: null }, 'tier');
export const CoverageTypeCodec = t.keyof(
  { delivery_failure: null, data_quality: null, trading_loss: null, counterparty_default: null },
  'coverage type',
);

/** Seed 001's numbers as configuration with those defaults. */
export const PoolConfigCodec = strict(
  {
    tier: PoolTierCodec,
    minFundingRatio: RatioFromString,
    maxCoverageMultiple: decimalString('coverage multiple', { min: '0', max: '1000' }),
    maxPremiumRatio: RatioFromString,
    minPremium: NonNegativeMoneyFromString,
    underfundedSurcharge: RatioFromString,
    quorum: RatioFromString,
    approvalThreshold: RatioFromString,
    fraudThreshold: RatioFromString,
    slashRatio: RatioFromString,
    minActiveStake: NonNegativeMoneyFromString,
    votingWindowMs: boundedInt('voting window ms', HOUR_MS, 365 * DAY_MS),
    panelSize: boundedInt('panel size', 1, 15),
    reinsuranceFee: RatioFromString,
  },
  {},
  'PoolConfig',
);
export type PoolConfig = t.TypeOf<typeof PoolConfigCodec>;

export const defaultPoolConfig = (tier: PoolConfig['tier'] = 'standard'): PoolConfig => ({
  tier,
  minFundingRatio: new Decimal('0.20'),
  maxCoverageMultiple: new Decimal('10'),
  maxPremiumRatio: new Decimal('0.10'),
  minPremium: money('1'),
  underfundedSurcharge: new Decimal('0.25'),
  quorum: new Decimal('0.50'),
  approvalThreshold: new Decimal('0.60'),
  fraudThreshold: new Decimal('0.20'),
  slashRatio: new Decimal('0.10'),
  minActiveStake: money('10'),
  votingWindowMs: 48 * HOUR_MS,
  panelSize: 3,
  reinsuranceFee: new Decimal('0.05'),
});
