import type { MarketPhase } from '../defi/market-signal';
import { Decimal } from '../money';

const ONE = new Decimal(1);
import type { TreasuryEvent } from './events';

/** What a treasury remembers of the market: the last reading's time and the phase the last signal found. */
export interface MarketState {
  readonly lastObservedAt: number;
  /** USD prices of the last reading: holdings are valued and swaps judged at them. */
  readonly prices: { readonly BTC: Decimal; readonly ETH: Decimal; readonly USDC: Decimal };
  readonly lastPhase?: MarketPhase;
  /** The highest ladder step of this cycle (0 from accumulation on): what stays sold. */
  readonly peakSell?: Decimal;
  readonly signals: number;
}

/** Absent until a treasury's first reading, so a treasury that never records one folds (and digests) as before. */
export const evolveMarket = (m: MarketState | undefined, e: TreasuryEvent): MarketState | undefined => {
  switch (e.type) {
    case 'MarketObserved':
      return {
        signals: 0,
        ...m,
        lastObservedAt: e.snapshot.observedAt,
        prices: { BTC: e.snapshot.btcPrice, ETH: e.snapshot.ethPrice, USDC: ONE },
      };
    case 'SignalIssued':
      return m === undefined ? m : { ...m, lastPhase: e.phase, peakSell: e.sell, signals: m.signals + 1 };
    default:
      return m;
  }
};
