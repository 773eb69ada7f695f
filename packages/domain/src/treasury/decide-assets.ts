import * as E from 'fp-ts/Either';
import { symbolOf } from '../defi/assets';
import { MAX_ABS_MONEY, roundMoney } from '../money';
import { equity } from './valuation';
import { accept, type Decision, type TreasuryAccount } from './account';
import { priceOf } from './asset-prices';
import type { CommandOf } from './commands';
import { reject } from './rejections';
import { requireConfig } from './state';

const iso = (ms: number) => new Date(ms).toISOString();
/** How many token symbols a treasury prices (BTC and ETH aside). */
export const MAX_TOKENS = 128;

/**
 * Token prices from a feed: refused from the future, with a symbol twice, or for a symbol whose
 * last price is not older (a feed replayed or out of order would mark holdings back in time).
 */
export const decideRecordPrices = (c: CommandOf<'RecordPrices'>, a: TreasuryAccount): Decision => {
  if (c.observedAt > c.at)
    return E.left(
      reject('MARKET_DATA_INVALID', `the prices are from ${iso(c.observedAt)}, after now`, {
        observedAt: c.observedAt,
        at: c.at,
      }),
    );
  const symbols = c.prices.map((p) => p.symbol as string);
  const twice = symbols.filter((s, i) => symbols.indexOf(s) !== i);
  if (twice.length > 0)
    return E.left(reject('MARKET_DATA_INVALID', `${twice[0]} is priced twice in one reading`, { symbol: twice[0]! }));
  // A bounded set of symbols per treasury: each new one is a key kept for good.
  const known = a.treasury.tokenPrices ?? {};
  const added = symbols.filter((s) => !Object.hasOwn(known, s)).length;
  if (Object.keys(known).length + added > MAX_TOKENS)
    return E.left(
      reject('MARKET_DATA_INVALID', `a treasury follows at most ${MAX_TOKENS} token prices`, {
        known: Object.keys(known).length,
        added,
        max: MAX_TOKENS,
      }),
    );
  for (const symbol of symbols) {
    const last = a.treasury.tokenPrices?.[symbol]?.at;
    if (last !== undefined && c.observedAt <= last)
      return E.left(
        reject(
          'MARKET_OUT_OF_ORDER',
          `the price of ${symbol} from ${iso(c.observedAt)} is not newer than the last one (${iso(last)})`,
          { symbol, observedAt: c.observedAt, lastObservedAt: last },
        ),
      );
  }
  return accept({ type: 'PricesObserved', at: c.at, observedAt: c.observedAt, prices: c.prices, source: c.source });
};

/**
 * Tokens come into the sleeve from outside, on the books at their value now (their symbol's last
 * price, recent enough to judge a swap by). A token deposit is money in, like a deposit: it is not
 * judged against the caps, but the next purchase is.
 */
export const decideDepositAsset = (c: CommandOf<'DepositAsset'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  if (config.roles.trading === undefined || config.market === undefined)
    return E.left(
      reject('ASSET_INVALID', 'this treasury holds no assets: it has no trading bucket or no market policy', {
        asset: c.asset,
      }),
    );
  const quote = priceOf(s, c.asset);
  if (quote === undefined || (quote.at !== undefined && c.at - quote.at > config.market.maxAgeMs))
    return E.left(
      reject('NO_MARKET_PRICE', `no price of ${symbolOf(c.asset)} recent enough to value the deposit at`, {
        asset: c.asset,
        lastObservedAt: quote?.at ?? 'none',
        maxAgeMs: config.market.maxAgeMs,
      }),
    );
  const cost = roundMoney(c.quantity.mul(quote.price), 'down');
  // Money has a range (±10^15): a value past it could not be written down, so it is refused, not truncated.
  const limit = MAX_ABS_MONEY.div(1000);
  if (cost.plus(equity(s)).gt(limit))
    return E.left(
      reject('ASSET_INVALID', `a deposit worth ${cost.toFixed()} would take the treasury past ${limit.toFixed()}`, {
        asset: c.asset,
        cost,
        limit,
      }),
    );
  return accept({ type: 'AssetDeposited', at: c.at, asset: c.asset, quantity: c.quantity, price: quote.price, cost });
};
