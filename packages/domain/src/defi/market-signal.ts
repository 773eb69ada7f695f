import * as t from 'io-ts';
import { Decimal } from '../money';
import type { MarketPolicy } from './market-policy';
import type { MarketSnapshot } from './market-snapshot';

export const MarketPhaseCodec = t.keyof({ accumulation: null, euphoria: null, top: null, bear: null }, 'market phase');
export type MarketPhase = t.TypeOf<typeof MarketPhaseCodec>;
export const AllocationModeCodec = t.keyof(
  { conservative: null, tactical: null, aggressive: null, hedge: null },
  'allocation mode',
);
export type AllocationMode = t.TypeOf<typeof AllocationModeCodec>;

/** Fractions of the whole treasury, summing to 1: base yield, and the tactical sleeve in BTC, ETH and USDC. */
export interface TargetAllocation {
  readonly baseYield: Decimal;
  readonly BTC: Decimal;
  readonly ETH: Decimal;
  readonly USDC: Decimal;
}

export interface MarketSignal {
  readonly phase: MarketPhase;
  readonly mode: AllocationMode;
  /** The MVRV ladder's step: the fraction of the sleeve's volatile holdings to sell. */
  readonly sell: Decimal;
  readonly target: TargetAllocation;
  readonly confidence: Decimal;
  readonly reasons: readonly string[];
}

export type SignalOutcome =
  | { readonly ok: true; readonly signal: MarketSignal }
  | { readonly ok: false; readonly reason: 'STALE'; readonly message: string; readonly ageMs: number };

/**
 * The cycle's phase, from the MVRV Z-score and the phase before it: at or above `topAt` it is the
 * top; after a top the market is in a bear phase until MVRV falls below `accumulationBelow`; else at
 * or above `euphoriaAt` euphoria, below it accumulation.
 */
export const phaseOf = (p: MarketPolicy, mvrvZ: Decimal, previous: MarketPhase | undefined): MarketPhase => {
  if (mvrvZ.gte(p.topAt)) return 'top';
  if ((previous === 'top' || previous === 'bear') && mvrvZ.gte(p.accumulationBelow)) return 'bear';
  return mvrvZ.gte(p.euphoriaAt) ? 'euphoria' : 'accumulation';
};

/** The highest ladder step MVRV has reached (0 below the first). */
export const ladderSell = (p: MarketPolicy, mvrvZ: Decimal): Decimal =>
  p.ladder.reduce(
    (sell, step) => (mvrvZ.gte(step.mvrvAtLeast) && step.sell.gt(sell) ? step.sell : sell),
    new Decimal(0),
  );

/** The volatile part of the tactical sleeve each mode holds before the ladder sells. */
const VOLATILE_SHARE: Readonly<Record<AllocationMode, string>> = {
  aggressive: '1',
  tactical: '0.75',
  conservative: '0.5',
  hedge: '0.25',
};

const pct = (x: Decimal) => `${x.mul(100).toDecimalPlaces(2).toFixed()}%`;

/** What the advisor remembers between readings: the phase, and the highest ladder step of this cycle. */
export interface MarketMemory {
  readonly phase: MarketPhase;
  readonly peakSell: Decimal;
}

/**
 * The rule-based advisor of the third source document, pure: the phase, the mode, the target
 * allocation, a confidence and the reasons in words, from one snapshot and what the last signal left.
 * A snapshot older than `maxAgeMs` at `now` gives no signal. The MVRV ladder applies once, to the
 * mode's volatile share, and holds: a step reached stays sold until the cycle is back in
 * accumulation (it is a sell ladder, not a level to trade around). Targets keep the hard limits
 * (volatile ≤ `volatileCap`, any one asset ≤ `positionCap`); what a cap holds back stays in USDC.
 */
export const marketSignal = (
  p: MarketPolicy,
  s: MarketSnapshot,
  now: number,
  previous: MarketMemory | undefined,
): SignalOutcome => {
  const ageMs = now - s.observedAt;
  if (ageMs > p.maxAgeMs)
    return {
      ok: false,
      reason: 'STALE',
      ageMs,
      message: `the snapshot from ${new Date(s.observedAt).toISOString()} is ${ageMs} ms old, older than ${p.maxAgeMs} ms`,
    };
  const phase = phaseOf(p, s.mvrvZ, previous?.phase);
  const reached = ladderSell(p, s.mvrvZ);
  const carried = phase === 'accumulation' ? new Decimal(0) : (previous?.peakSell ?? new Decimal(0));
  const sell = Decimal.max(reached, carried);
  const crowded = s.fundingRate.gt(p.crowdedFunding);
  const fear = s.fearGreed.lt(p.extremeFear);
  const greed = s.fearGreed.gt(p.extremeGreed);
  const reasons: string[] = [`phase ${phase} (MVRV Z-score ${s.mvrvZ.toFixed()})`];
  if (reached.gt(0) && reached.gte(carried))
    reasons.push(`MVRV ${s.mvrvZ.toFixed()} reached the ladder: sell ${pct(sell)} of the tactical holdings`);
  else if (carried.gt(0))
    reasons.push(`the ladder reached ${pct(carried)} this cycle: that much stays sold until accumulation`);
  if (crowded) reasons.push(`funding ${pct(s.fundingRate)} above ${pct(p.crowdedFunding)}: crowded longs`);
  if (fear) reasons.push(`fear & greed ${s.fearGreed.toFixed()} below ${p.extremeFear.toFixed()}: extreme fear, buy`);
  if (greed)
    reasons.push(`fear & greed ${s.fearGreed.toFixed()} above ${p.extremeGreed.toFixed()}: extreme greed, sell`);

  // The mode reads sentiment and the cycle's direction; MVRV's level is the ladder's alone (applied once, below).
  const mode: AllocationMode =
    greed && crowded
      ? 'hedge'
      : phase === 'bear' || crowded || greed
        ? 'conservative'
        : phase === 'accumulation' && fear
          ? 'aggressive'
          : 'tactical';
  reasons.push(`mode ${mode}`);

  const sleeve = new Decimal(1).minus(p.baseYield);
  const volatile = Decimal.min(sleeve.mul(VOLATILE_SHARE[mode]).mul(new Decimal(1).minus(sell)), p.volatileCap);
  const BTC = Decimal.min(volatile.mul(p.btcShare), p.positionCap);
  const ETH = Decimal.min(volatile.minus(volatile.mul(p.btcShare)), p.positionCap);
  const target: TargetAllocation = { baseYield: p.baseYield, BTC, ETH, USDC: sleeve.minus(BTC).minus(ETH) };

  const bullish = [fear, phase === 'accumulation', s.fundingRate.lt(0)].filter(Boolean).length;
  const bearish = [sell.gt(0), crowded, greed, phase === 'top' || phase === 'bear'].filter(Boolean).length;
  const confidence = Decimal.min(new Decimal('0.5').plus(new Decimal('0.1').mul(Math.abs(bullish - bearish))), '0.9');
  return { ok: true, signal: { phase, mode, sell, target, confidence, reasons } };
};
