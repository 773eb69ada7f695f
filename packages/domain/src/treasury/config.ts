import * as t from 'io-ts';
import { boundedArray, boundedInt } from '../codecs/primitives';
import { decimalString, RatioFromString } from '../codecs/decimal-codec';
import { NonNegativeMoneyFromString } from '../codecs/money-codec';
import { patternString } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { Decimal, money } from '../money';
import { DAY_MS } from '../instant';
import { type Budget, policyProblems, SpendPolicyCodec } from '../policy/policy-codecs';
import { defaultMarketPolicy, MarketPolicyCodec } from '../defi/market-policy';

export interface BucketNameBrand {
  readonly BucketName: unique symbol;
}
export const BucketNameCodec = patternString<BucketNameBrand>(
  'bucket name',
  /^[a-z][a-zA-Z0-9]*$/,
  32,
  'camelCase letters and digits, starting lower-case',
);
export type BucketName = t.TypeOf<typeof BucketNameCodec>;

const BucketConfigCodec = strict(
  { name: BucketNameCodec, target: RatioFromString, floor: RatioFromString },
  {},
  'BucketConfig',
);
export type BucketConfig = t.TypeOf<typeof BucketConfigCodec>;

export const SizingPolicyCodec = t.union(
  [t.literal('full-kelly'), t.literal('half-kelly'), t.literal('quarter-kelly'), t.literal('lottery')],
  'SizingPolicy',
);
export type SizingPolicy = t.TypeOf<typeof SizingPolicyCodec>;

/**
 * Every limit of the seed is configuration with the seed's value as the default; nothing below is
 * a law. Ratios are decimals, durations event-time milliseconds.
 */
export const TreasuryConfigCodec = strict(
  {
    buckets: boundedArray(BucketConfigCodec, 1, 12, 'buckets'),
    /** Which bucket plays which role; escrows lock from `reserve`. */
    roles: strict(
      { reserve: BucketNameCodec },
      { trading: BucketNameCodec, casino: BucketNameCodec, referral: BucketNameCodec },
      'BucketRoles',
    ),
    driftThreshold: RatioFromString,
    minMove: NonNegativeMoneyFromString,
    maxDailyLoss: RatioFromString,
    maxDrawdown: RatioFromString,
    tradingMaxDrawdown: RatioFromString,
    casinoSessionStop: RatioFromString,
    betCap: RatioFromString,
    sizing: SizingPolicyCodec,
    /** Stake of the explicit lottery policy, as a fraction of the casino bankroll (still capped). */
    lotteryFraction: RatioFromString,
    maxPositionFraction: RatioFromString,
    maxLeverage: boundedInt('max leverage', 1, 50),
    /** Take-profit must be at least this multiple of the stop-loss. */
    minRewardToRisk: decimalString('reward to risk', { min: '0', max: '100' }),
    escrowReserveRatio: RatioFromString,
    escrowFee: RatioFromString,
    referralMinimum: NonNegativeMoneyFromString,
    referralToReserve: RatioFromString,
    pauseMs: boundedInt('pause ms', 0, 365 * DAY_MS),
    dailyWindowMs: boundedInt('daily window ms', 60_000, 365 * DAY_MS),
  },
  {
    /** Budgets, counterparty lists and approvals (version 1; ChangePolicy makes the next). */
    policy: SpendPolicyCodec,
    /** The market signal's thresholds (RecordMarket); without it, seed 002's defaults. */
    market: MarketPolicyCodec,
  },
  'TreasuryConfig',
);
export type TreasuryConfig = t.TypeOf<typeof TreasuryConfigCodec>;

const d = (s: string) => new Decimal(s);

const RISK_DEFAULTS = {
  driftThreshold: d('0.05'),
  minMove: money('10'),
  maxDailyLoss: d('0.05'),
  maxDrawdown: d('0.20'),
  tradingMaxDrawdown: d('0.20'),
  casinoSessionStop: d('0.50'),
  betCap: d('0.02'),
  sizing: 'half-kelly' as SizingPolicy,
  lotteryFraction: d('0.01'),
  maxPositionFraction: d('0.10'),
  maxLeverage: 5,
  minRewardToRisk: d('2'),
  escrowReserveRatio: d('0.30'),
  escrowFee: d('0.01'),
  referralMinimum: money('5'),
  referralToReserve: d('0.70'),
  pauseMs: DAY_MS,
  dailyWindowMs: DAY_MS,
};

const bucket = (name: string, target: string, floor: string): BucketConfig => ({
  name: name as BucketName,
  target: d(target),
  floor: d(floor),
});

/** Seed 000: reserve 40 / trading 35 / casino 15 / referral 10, floors 20 / 10 / 5 / 0. */
export const agentPreset = (): TreasuryConfig => ({
  buckets: [
    bucket('reserve', '0.40', '0.20'),
    bucket('trading', '0.35', '0.10'),
    bucket('casino', '0.15', '0.05'),
    bucket('referral', '0.10', '0'),
  ],
  roles: {
    reserve: 'reserve' as BucketName,
    trading: 'trading' as BucketName,
    casino: 'casino' as BucketName,
    referral: 'referral' as BucketName,
  },
  ...RISK_DEFAULTS,
});

/**
 * Seed 002: base yield 60% / tactical 40%, where 40% in volatile assets is a hard limit, so the
 * base-yield floor is its target; positions up to 25% of the tactical bucket, no leverage; "large
 * moves (>$50K) require approval": by one operator, within a day.
 */
export const defiPreset = (): TreasuryConfig => ({
  buckets: [bucket('baseYield', '0.60', '0.60'), bucket('tactical', '0.40', '0')],
  roles: { reserve: 'baseYield' as BucketName, trading: 'tactical' as BucketName },
  ...RISK_DEFAULTS,
  maxPositionFraction: d('0.25'),
  maxLeverage: 1,
  // A move above 50,000 waits for an operator; and what leaves the treasury in any 24 hours is capped at
  // 100,000, so the threshold cannot be had by splitting a large withdrawal into small ones.
  policy: {
    budgets: [{ name: 'outflows-24h' as Budget['name'], window: '24h', limit: money('100000') }],
    approvals: { threshold: money('50000'), required: 1, expiresMs: DAY_MS },
  },
  market: defaultMarketPolicy(),
});

export const PRESETS = { agent: agentPreset, defi: defiPreset } as const;
export type PresetName = keyof typeof PRESETS;

/** T3: the rules a config must satisfy beyond its shape, each with the numbers that broke it. */
export const configProblems = (config: TreasuryConfig): string[] => {
  const problems: string[] = [];
  const names = config.buckets.map((b) => b.name);
  const sum = config.buckets.reduce((s, b) => s.plus(b.target), new Decimal(0));
  if (!sum.eq(1)) problems.push(`bucket targets sum to ${sum.toFixed()}, not 1`);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length > 0) problems.push(`bucket names repeat: ${[...new Set(dupes)].join(', ')}`);
  for (const b of config.buckets) {
    if (b.floor.gt(b.target))
      problems.push(`bucket ${b.name}: floor ${b.floor.toFixed()} is above its target ${b.target.toFixed()}`);
  }
  for (const [role, name] of Object.entries(config.roles)) {
    if (!names.includes(name as BucketName))
      problems.push(`role ${role} names bucket ${name}, which is not configured`);
  }
  const roleBuckets = Object.values(config.roles);
  if (new Set(roleBuckets).size !== roleBuckets.length) problems.push('one bucket plays two roles');
  if (config.referralToReserve.gt(1)) problems.push('referralToReserve is above 1');
  if (config.policy) problems.push(...policyProblems(config.policy).map((p) => `policy: ${p}`));
  return problems;
};
