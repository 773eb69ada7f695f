import { chainOf, symbolOf } from '../defi/assets';
import { roundMoney } from '../money';
import { priceOf } from './asset-prices';
import type { TreasuryState } from './state';
import { holdingsValue } from './valuation';

/** One line of a portfolio: an asset on its chain, the price it is valued at and when that price was seen. */
export interface PortfolioLine {
  readonly asset: string;
  readonly symbol: string;
  /** Absent for an asset held without a chain. */
  readonly chain?: string;
  readonly quantity: string;
  /** USD per unit; absent when no price was ever seen (valued at cost). */
  readonly price?: string;
  readonly pricedAt?: number;
  /** quantity × price rounded down to 6 decimals (or the cost without a price). */
  readonly value: string;
  readonly cost: string;
}

/** Seed 001's tracker: the sleeve's cash and every holding by asset and chain, valued in USD with the price used. */
export interface Portfolio {
  readonly cash: string;
  readonly holdings: readonly PortfolioLine[];
  readonly holdingsValue: string;
}

export const portfolioOf = (t: TreasuryState): Portfolio => {
  const trading = t.config?.roles.trading;
  const holdings = Object.keys(t.holdings ?? {})
    .sort()
    .map((asset): PortfolioLine => {
      const h = t.holdings![asset]!;
      const quote = priceOf(t, asset);
      const chain = chainOf(asset);
      return {
        asset,
        symbol: symbolOf(asset),
        ...(chain === undefined ? {} : { chain }),
        quantity: h.quantity.toFixed(),
        ...(quote === undefined ? {} : { price: quote.price.toFixed() }),
        ...(quote?.at === undefined ? {} : { pricedAt: quote.at }),
        value: (quote === undefined ? h.cost : roundMoney(h.quantity.mul(quote.price), 'down')).toFixed(),
        cost: h.cost.toFixed(),
      };
    });
  return {
    cash: (trading === undefined ? undefined : t.buckets[trading])?.toFixed() ?? '0',
    holdings,
    holdingsValue: holdingsValue(t).value.toFixed(),
  };
};
