import * as t from 'io-ts';
import { PriceFromString } from '../codecs/decimal-codec';
import { patternString } from '../codecs/primitives';
import { strict } from '../codecs/strict';

export interface AssetBrand {
  readonly Asset: unique symbol;
}

/** The sleeve's cash: a swap goes through it, and it is the trading bucket's own money, wherever it sits. */
export const CASH = 'USDC';

/**
 * An asset a treasury may hold: a symbol (BTC, SOL, ARB), optionally on a chain (`ETH@arbitrum`,
 * `SOL@solana`: seed 001's multi-chain balances), or `USDC`, the sleeve's cash. The same symbol on
 * two chains is two holdings at one price. USDC on a chain is still cash, so `USDC@…` is refused.
 */
export const AssetIdCodec = patternString<AssetBrand>(
  'asset',
  /^(USDC|(?!USDC@)[A-Z][A-Z0-9]{1,9}(@[a-z]([a-z0-9-]{0,30}[a-z0-9])?)?)$/,
  43,
  'a symbol in capitals, optionally @chain (ETH@arbitrum); USDC is cash and has no chain',
);
export type AssetId = t.TypeOf<typeof AssetIdCodec>;

/** A holding other than cash: what DepositAsset takes and AssetDeposited records (USDC comes in with Deposit). */
export const TokenAssetCodec = patternString<AssetBrand>(
  'token asset',
  /^(?!USDC(@|$))[A-Z][A-Z0-9]{1,9}(@[a-z]([a-z0-9-]{0,30}[a-z0-9])?)?$/,
  43,
  'a symbol in capitals other than USDC, optionally @chain (SOL@solana)',
);

/** The symbol an asset is priced by: `ETH@arbitrum` → `ETH`. */
export const symbolOf = (asset: string): string => {
  const at = asset.indexOf('@');
  return at < 0 ? asset : asset.slice(0, at);
};
/** The chain an asset sits on, or undefined for one held without a chain. */
export const chainOf = (asset: string): string | undefined => {
  const at = asset.indexOf('@');
  return at < 0 ? undefined : asset.slice(at + 1);
};

/** A symbol priced by RecordPrices: any but BTC and ETH (the market reading's) and USDC (cash, at 1). */
export const TokenSymbolCodec = patternString<AssetBrand>(
  'token symbol',
  /^(?!(BTC|ETH|USDC)$)[A-Z][A-Z0-9]{1,9}$/,
  10,
  'a symbol in capitals other than BTC, ETH (priced by the market reading) and USDC (cash)',
);

/** One token's USD price as a feed reported it. */
export const TokenPriceCodec = strict({ symbol: TokenSymbolCodec, price: PriceFromString }, {}, 'TokenPrice');

/** The last price of each token and when it was observed: absent until the first RecordPrices. */
export type TokenPrices = Readonly<
  Record<string, { readonly price: t.TypeOf<typeof PriceFromString>; readonly at: number }>
>;
