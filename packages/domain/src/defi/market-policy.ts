import * as t from 'io-ts';
import { decimalString, RatioFromString } from '../codecs/decimal-codec';
import { boundedArray, boundedInt } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { DAY_MS } from '../instant';
import { Decimal } from '../money';

const Threshold = (name: string) => decimalString(name, { min: '-10', max: '100', maxDecimals: 6 });

const LadderStepCodec = strict({ mvrvAtLeast: Threshold('MVRV step'), sell: RatioFromString }, {}, 'LadderStep');

/**
 * The market policy's thresholds, each with the third source document's value as its default
 * (`defaultMarketPolicy`); nothing in it is a law. Ratios are fractions of the whole treasury unless
 * named otherwise.
 */
export const MarketPolicyCodec = strict(
  {
    /** MVRV sell ladder: at or above each step, that fraction of the tactical sleeve's volatile holdings is sold. */
    ladder: boundedArray(LadderStepCodec, 1, 10, 'ladder'),
    /** Funding above this (per period) means crowded longs. */
    crowdedFunding: decimalString('crowded funding', { min: '0', max: '0.1', maxDecimals: 8 }),
    extremeFear: Threshold('extreme fear'),
    extremeGreed: Threshold('extreme greed'),
    /** MVRV at which the cycle tops, enters euphoria, and below which a bear market turns to accumulation. */
    topAt: Threshold('top MVRV'),
    euphoriaAt: Threshold('euphoria MVRV'),
    accumulationBelow: Threshold('accumulation MVRV'),
    /** A snapshot older than this (event time) gives no signal. */
    maxAgeMs: boundedInt('max age ms', 60_000, 30 * DAY_MS),
    baseYield: RatioFromString,
    /** Hard limits: volatile assets in all, and any one position, as fractions of the total. */
    volatileCap: RatioFromString,
    positionCap: RatioFromString,
    /** BTC's part of the volatile holdings (ETH holds the rest). */
    btcShare: RatioFromString,
    /** A swap's gas may cost at most this fraction of what it swaps (a fee is not a way to move money out). */
    maxGasFee: RatioFromString,
  },
  {},
  'MarketPolicy',
);
export type MarketPolicy = t.TypeOf<typeof MarketPolicyCodec>;

const d = (s: string) => new Decimal(s);

/** Seed 002's thresholds: the MVRV ladder 3.5/5/7/9 → 25/50/67/100%, funding 0.2%, fear < 25, greed > 75, 60/40. */
export const defaultMarketPolicy = (): MarketPolicy => ({
  ladder: [
    { mvrvAtLeast: d('3.5'), sell: d('0.25') },
    { mvrvAtLeast: d('5'), sell: d('0.50') },
    { mvrvAtLeast: d('7'), sell: d('0.67') },
    { mvrvAtLeast: d('9'), sell: d('1') },
  ],
  crowdedFunding: d('0.002'),
  extremeFear: d('25'),
  extremeGreed: d('75'),
  topAt: d('7'),
  euphoriaAt: d('3.5'),
  accumulationBelow: d('1'),
  maxAgeMs: DAY_MS + DAY_MS / 2,
  baseYield: d('0.60'),
  volatileCap: d('0.40'),
  positionCap: d('0.25'),
  btcShare: d('0.60'),
  maxGasFee: d('0.01'),
});
