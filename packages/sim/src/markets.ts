import type { Prng } from './prng';

export interface SymbolSpec {
  readonly symbol: string;
  readonly start: number;
  /** Daily drift and volatility of the geometric Brownian motion. */
  readonly driftPerDay: number;
  readonly volPerDay: number;
  /** Expected crashes per day, and how deep one goes (a fraction, drawn uniformly between the two). */
  readonly jumpsPerDay: number;
  readonly jumpMin: number;
  readonly jumpMax: number;
}

export const DEFAULT_SYMBOLS: readonly SymbolSpec[] = [
  {
    symbol: 'BTC-USD',
    start: 60_000,
    driftPerDay: 0.0005,
    volPerDay: 0.03,
    jumpsPerDay: 0.02,
    jumpMin: 0.08,
    jumpMax: 0.25,
  },
  {
    symbol: 'ETH-USD',
    start: 3_000,
    driftPerDay: 0.0006,
    volPerDay: 0.04,
    jumpsPerDay: 0.025,
    jumpMin: 0.1,
    jumpMax: 0.3,
  },
];

export interface MarketTick {
  readonly prices: Readonly<Record<string, number>>;
  /** Per-period funding rate by symbol (positive: longs pay). */
  readonly funding: Readonly<Record<string, number>>;
  /** The market-data path of seed 002. */
  readonly mvrv: number;
  readonly fearGreed: number;
}

/** A crash day: at its first hour every symbol gaps down by `depth` (a fraction), on top of the random path. */
export interface CrashDay {
  readonly day: number;
  readonly depth: number;
}

const round = (x: number, places: number) => Math.round(x * 10 ** places) / 10 ** places;

/**
 * Prices by geometric Brownian motion plus downward jumps (crashes), stepped in hours; a
 * mean-reverting funding rate that leans with recent returns; MVRV as price over a slow realized
 * price; fear & greed from the last day's return. Prices are rounded to cents so they stay exact
 * decimals in events. Crash days are scheduled, not drawn, so they leave the random streams (and
 * so every path without them) exactly as they were.
 */
export const marketPath = (
  rng: Prng,
  symbols: readonly SymbolSpec[] = DEFAULT_SYMBOLS,
  crashDays: readonly CrashDay[] = [],
) => {
  const prices: Record<string, number> = Object.fromEntries(symbols.map((s) => [s.symbol, s.start]));
  const funding: Record<string, number> = Object.fromEntries(symbols.map((s) => [s.symbol, 0.0001]));
  const realized: Record<string, number> = { ...prices };
  const dayAgo: Record<string, number> = { ...prices };
  let hour = 0;
  return {
    step: (hours = 1): MarketTick => {
      const dt = hours / 24;
      for (const s of symbols) {
        const z = rng.normal();
        let p =
          prices[s.symbol]! *
          Math.exp((s.driftPerDay - (s.volPerDay * s.volPerDay) / 2) * dt + s.volPerDay * Math.sqrt(dt) * z);
        if (rng.chance(s.jumpsPerDay * dt)) p *= 1 - (s.jumpMin + rng.next() * (s.jumpMax - s.jumpMin));
        const crash = crashDays.find((c) => (c.day - 1) * 24 === hour);
        if (crash) p *= 1 - crash.depth;
        prices[s.symbol] = Math.max(0.01, round(p, 2));
        realized[s.symbol] = realized[s.symbol]! + (prices[s.symbol]! - realized[s.symbol]!) * (dt / 90);
        const ret = prices[s.symbol]! / dayAgo[s.symbol]! - 1;
        funding[s.symbol] = round(
          0.8 * funding[s.symbol]! + 0.2 * Math.max(-0.003, Math.min(0.003, ret / 50)) + rng.normal() * 0.00005,
          6,
        );
      }
      hour += hours;
      if (hour % 24 === 0) Object.assign(dayAgo, prices);
      const btc = symbols[0]!.symbol;
      const dayReturn = prices[btc]! / dayAgo[btc]! - 1;
      return {
        prices: { ...prices },
        funding: { ...funding },
        mvrv: round(prices[btc]! / realized[btc]!, 4),
        fearGreed: Math.max(0, Math.min(100, Math.round(50 + dayReturn * 1000))),
      };
    },
  };
};
