import * as t from 'io-ts';
import { decimalString, PriceFromString } from '../codecs/decimal-codec';
import { decodeInput } from '../codecs/decode';
import { patternString } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { InstantCodec } from '../instant';

export interface SourceBrand {
  readonly Source: unique symbol;
}

/**
 * One reading of the market, as the third source document's intelligence module gathers it: BTC and
 * ETH prices in USD, the MVRV Z-score (cycle valuation), the perpetual funding rate per period (a
 * fraction: 0.002 is 0.2%), the fear & greed index (0–100), where it came from and when it was
 * observed. Out-of-range values are refused at the boundary, so no signal is ever computed from them.
 */
/** Where a reading came from: a feed's short name. */
export const SourceCodec = patternString<SourceBrand>('source', /^[A-Za-z0-9][A-Za-z0-9_.:@ -]*$/, 64, 'a short name');

export const MarketSnapshotCodec = strict(
  {
    observedAt: InstantCodec,
    btcPrice: PriceFromString,
    ethPrice: PriceFromString,
    mvrvZ: decimalString('MVRV Z-score', { min: '-10', max: '50', maxDecimals: 6 }),
    fundingRate: decimalString('funding rate', { min: '-0.1', max: '0.1', maxDecimals: 8 }),
    fearGreed: decimalString('fear & greed', { min: '0', max: '100', maxDecimals: 2 }),
    source: SourceCodec,
  },
  {},
  'MarketSnapshot',
);
export type MarketSnapshot = t.TypeOf<typeof MarketSnapshotCodec>;

/** The boundary check for a snapshot from JSON or a CSV row: INVALID_INPUT naming every bad field. */
export const decodeMarketSnapshot = decodeInput(MarketSnapshotCodec, 'market snapshot');
