import { decimalString, PriceFromString } from '../codecs/decimal-codec';
import { MoneyFromString, NonNegativeMoneyFromString } from '../codecs/money-codec';
import { timedRecord } from '../codecs/timed-record';
import { LocalIdCodec } from './treasury-ids';
import { AssetIdCodec, TokenAssetCodec } from '../defi/assets';

/**
 * What the tactical sleeve holds: USDC is the trading bucket's own money; anything else (BTC, ETH,
 * SOL@solana, …) is a holding. Every id written before tokens and chains existed (BTC, ETH, USDC)
 * is one, so old events decode as they were.
 */
export const SleeveAssetCodec = AssetIdCodec;
export const AssetQuantity = decimalString('quantity', {
  min: '0.000000000001',
  max: '1000000000000',
  maxDecimals: 12,
});

/**
 * A swap in the tactical sleeve, through USDC, at a fill the venue gave: what was sold and bought,
 * the prices it was judged against (the last market reading), the slippage, gas, and in USD the cost
 * that moved between the bucket and the holdings and what selling realized. Money moves: the trading
 * bucket pays USDC (and gas) for a holding, or receives USDC for one.
 */
export const Swapped = timedRecord('Swapped', {
  swapId: LocalIdCodec,
  sell: SleeveAssetCodec,
  buy: SleeveAssetCodec,
  sold: AssetQuantity,
  bought: AssetQuantity,
  priceSell: PriceFromString,
  priceBuy: PriceFromString,
  slippage: decimalString('slippage', { min: '-1', max: '1' }),
  gasGwei: decimalString('gas', { min: '0', max: '100000', maxDecimals: 3 }),
  gasFee: NonNegativeMoneyFromString,
  /** USD at cost: paid for a holding bought, or the cost basis of a holding sold (average cost). */
  cost: NonNegativeMoneyFromString,
  /** Proceeds less cost basis for a sale; 0 for a purchase. */
  realized: MoneyFromString,
});

/**
 * Tokens that came into the sleeve from outside (a balance seed 001's tracker found on a chain),
 * on the books at their value at `price` (the last price of their symbol): money in, like a deposit.
 */
export const AssetDeposited = timedRecord('AssetDeposited', {
  asset: TokenAssetCodec,
  quantity: AssetQuantity,
  price: PriceFromString,
  /** quantity × price, rounded down to USDC's 6 decimals: the holding's cost. */
  cost: NonNegativeMoneyFromString,
});
