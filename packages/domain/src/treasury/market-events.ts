import * as t from 'io-ts';
import { RatioFromString } from '../codecs/decimal-codec';
import { boundedArray, patternString, SafeIntegerCodec } from '../codecs/primitives';
import { InstantCodec } from '../instant';
import { strict } from '../codecs/strict';
import { timedRecord } from '../codecs/timed-record';
import { MarketSnapshotCodec, SourceCodec } from '../defi/market-snapshot';
import { AllocationModeCodec, MarketPhaseCodec } from '../defi/market-signal';
import { TokenPriceCodec } from '../defi/assets';

const event = timedRecord;

/** A market reading as it arrived: the inputs every signal after it is computed from. */
export const MarketObserved = event('MarketObserved', { snapshot: MarketSnapshotCodec });

export const TargetCodec = strict(
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
export interface AdvisorBrand {
  readonly Advisor: unique symbol;
}
/** Who advises besides the rules: a name such as `llm:claude` or `desk:alice`. */
export const AdvisorNameCodec = patternString<AdvisorBrand>(
  'advisor',
  /^[a-z][a-z0-9-]*(:[A-Za-z0-9_.-]+)?$/,
  64,
  'a lower-case name, optionally kind:name (llm:claude)',
);
export const AdviceReasonsCodec = boundedArray(
  patternString<AdvisorBrand>('reason', /^\P{Cc}+$/u, 400, 'one line of text'),
  1,
  16,
  'reasons',
);
/**
 * Advice from an advisor other than the rules (a language model, a person) on the last reading,
 * recorded as it came: its target, confidence and reasons, and the reading it was about. The risk
 * rules still decide every move; advice outside them is refused, not clipped.
 */
export const AdviceRecorded = event('AdviceRecorded', {
  advisor: AdvisorNameCodec,
  observedAt: InstantCodec,
  target: TargetCodec,
  confidence: RatioFromString,
  reasons: AdviceReasonsCodec,
});
/**
 * Token prices from a feed (seed 001's tracker: SOL, ARB, … on any chain), at `observedAt`: what
 * holdings of those tokens are valued and swapped at. BTC and ETH come with the market reading.
 */
export const PricesObserved = event('PricesObserved', {
  observedAt: InstantCodec,
  prices: boundedArray(TokenPriceCodec, 1, 64, 'prices'),
  source: SourceCodec,
});
/** A reading too old to act on: recorded, with no signal. */
// ageMs is a difference of two instants: an integer, like every number a store holds (t.number took NaN and 0.5).
export const SignalSkipped = event('SignalSkipped', {
  reason: t.literal('STALE'),
  ageMs: SafeIntegerCodec,
  message: t.string,
});

export const MARKET_EVENTS = [MarketObserved, SignalIssued, SignalSkipped, AdviceRecorded, PricesObserved] as const;
