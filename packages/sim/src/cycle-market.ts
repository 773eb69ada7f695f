import type { Prng } from './prng';

/** One day of a market file (`ballast backtest --market`), as its columns print: decimal strings. */
export interface MarketRow {
  readonly date: string;
  readonly btcPrice: string;
  readonly ethPrice: string;
  readonly mvrvZ: string;
  readonly fundingRate: string;
  readonly fearGreed: string;
}

const DAY_MS = 86_400_000;
const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));
const fixed = (x: number, places: number) => x.toFixed(places).replace(/\.?0+$/, '') || '0';

/**
 * The MVRV Z-score of a whole cycle at `u` ∈ [0, 1]: low (accumulation, extreme fear), rising through
 * euphoria to a top near 9.6 (above the ladder's exit at 9), then falling through a bear market
 * back below 1. Shaped by hand so every phase and every ladder step is crossed.
 */
const cycleZ = (u: number): number => {
  if (u < 0.55) return 0.4 + 9.2 * Math.sin((Math.PI / 2) * (u / 0.55)) ** 3;
  if (u < 0.9) return 9.6 - 9.3 * ((u - 0.55) / 0.35) ** 0.8;
  return 0.3 + 0.4 * ((u - 0.9) / 0.1);
};

/**
 * A synthetic daily market through one whole cycle (seed 002's indicators, made up, not history):
 * MVRV follows `cycleZ` with noise; BTC moves with it (about 34,000 at the bottom, 250,000 at the
 * top); ETH is a drifting fraction of BTC; funding leans with MVRV (crowded longs near the top);
 * fear & greed follows MVRV (extreme fear at the bottom, extreme greed at the top). Deterministic
 * for a seed, so a shipped file can be checked against its generator.
 */
export const cycleMarket = (rng: Prng, days: number, start: number): MarketRow[] =>
  Array.from({ length: days }, (_, day) => {
    const u = days === 1 ? 0 : day / (days - 1);
    const z = clamp(cycleZ(u) + 0.12 * rng.normal(), -1, 12);
    const btc = 30_000 * Math.exp(0.22 * z) * (1 + 0.01 * rng.normal());
    const eth = btc * (0.05 + (0.005 * z) / 9) * (1 + 0.01 * rng.normal());
    const funding = clamp(0.0001 + 0.0006 * (z - 2) + 0.0003 * rng.normal(), -0.002, 0.006);
    const fearGreed = clamp(Math.round(18 + 8 * z + 5 * rng.normal()), 0, 100);
    return {
      date: new Date(start + day * DAY_MS).toISOString().slice(0, 10),
      btcPrice: fixed(btc, 2),
      ethPrice: fixed(eth, 2),
      mvrvZ: fixed(z, 3),
      fundingRate: fixed(funding, 6),
      fearGreed: String(fearGreed),
    };
  });

/** The rows as a market file, with the `source` column naming them synthetic. */
export const marketCsv = (rows: readonly MarketRow[], source: string): string =>
  [
    'date,btc_price,eth_price,mvrv_z,funding_rate,fear_greed,source',
    ...rows.map((r) => [r.date, r.btcPrice, r.ethPrice, r.mvrvZ, r.fundingRate, r.fearGreed, source].join(',')),
  ].join('\n') + '\n';
