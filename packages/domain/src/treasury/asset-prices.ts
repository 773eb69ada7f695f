import { CASH, symbolOf } from '../defi/assets';
import { Decimal } from '../money';
import type { TreasuryState } from './state';

const ONE = new Decimal(1);

/**
 * An asset's USD price as the treasury last saw it, and when: USDC is cash at 1 (no age), BTC and
 * ETH come with the market reading, any other symbol with RecordPrices; an asset on a chain is
 * priced by its symbol. Undefined when no price was ever seen.
 */
export const priceOf = (
  s: TreasuryState,
  asset: string,
): { readonly price: Decimal; readonly at: number | undefined } | undefined => {
  const symbol = symbolOf(asset);
  if (symbol === CASH) return { price: ONE, at: undefined };
  if (symbol === 'BTC' || symbol === 'ETH')
    return s.market === undefined ? undefined : { price: s.market.prices[symbol], at: s.market.lastObservedAt };
  const token = s.tokenPrices?.[symbol];
  return token === undefined ? undefined : { price: token.price, at: token.at };
};
