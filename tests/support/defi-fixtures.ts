import { defiPreset, TreasuryConfigCodec } from '@ballast/domain';
import { T0 } from './treasury-fixtures';

/** The DeFi tests' clock: hours after T0. */
export const HOUR = 3_600_000;
export const at = (h: number) => T0 + h * HOUR;

/** The `defi` preset without its approval threshold, so moves are judged on their own rules. */
export const defiConfigWithoutApprovals = () => ({ ...TreasuryConfigCodec.encode(defiPreset()), policy: {} });

/** A market reading at hour `h`, as wire JSON: neutral indicators, BTC and ETH at the given prices. */
export const market = (h: number, btc = '100000', eth = '4000') => ({
  type: 'RecordMarket',
  at: at(h),
  snapshot: {
    observedAt: at(h),
    btcPrice: btc,
    ethPrice: eth,
    mvrvZ: '2',
    fundingRate: '0.0001',
    fearGreed: '50',
    source: 'test',
  },
});

/** A swap at hour `h` (id `s<h>`) at the venue's fill, with gas; `extra` overrides any field. */
export const swapAt =
  (gas: { readonly gasGwei: string; readonly gasFee: string }) =>
  (h: number, sell: string, buy: string, amount: string, filled: string, extra: Record<string, unknown> = {}) => ({
    type: 'Swap',
    at: at(h),
    swapId: `s${h}`,
    sell,
    buy,
    amount,
    filled,
    ...gas,
    ...extra,
  });
