import * as t from 'io-ts';
import { RatioFromString } from '../codecs/decimal-codec';
import { boundedArray } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { timedRecord } from '../codecs/timed-record';
import { MarketSnapshotCodec } from '../defi/market-snapshot';
import { AllocationModeCodec, MarketPhaseCodec } from '../defi/market-signal';

const event = timedRecord;

/** A market reading as it arrived: the inputs every signal after it is computed from. */
export const MarketObserved = event('MarketObserved', { snapshot: MarketSnapshotCodec });

const TargetCodec = strict(
  { baseYield: RatioFromString, BTC: RatioFromString, ETH: RatioFromString, USDC: RatioFromString },
  {},
  'TargetAllocation',
);
/**
 * What the advisor made of the last reading: the phase, the mode, the ladder's sell fraction, the
 * target allocation, a confidence and the reasons in words. `advisor` names who advised (`rules`:
 * the built-in policy of seed 002).
 */
export const SignalIssued = event('SignalIssued', {
  advisor: t.literal('rules'),
  phase: MarketPhaseCodec,
  mode: AllocationModeCodec,
  sell: RatioFromString,
  target: TargetCodec,
  confidence: RatioFromString,
  reasons: boundedArray(t.string, 1, 16, 'reasons'),
});
/** A reading too old to act on: recorded, with no signal. */
export const SignalSkipped = event('SignalSkipped', { reason: t.literal('STALE'), ageMs: t.number, message: t.string });

export const MARKET_EVENTS = [MarketObserved, SignalIssued, SignalSkipped] as const;
