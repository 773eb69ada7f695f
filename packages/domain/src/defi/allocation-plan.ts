import { Decimal, type Money, roundMoney } from '../money';

/** The assets of the tactical sleeve; USDC is the hub every swap goes through. */
export type SleeveAsset = 'BTC' | 'ETH' | 'USDC';

/** One swap of the plan, in USD at the prices it was planned with. */
export interface PlannedSwap {
  readonly sell: SleeveAsset;
  readonly buy: SleeveAsset;
  readonly usd: Money;
}

/**
 * The swaps that bring the sleeve to its target weights (fractions of the whole treasury, as a
 * MarketSignal gives them), through USDC: first every asset above its target sells the excess for
 * USDC, then every asset below buys up to its target with the USDC there is. A difference under
 * `minMove` is left alone (gas and slippage would cost more than it is worth). Amounts round down to
 * the cent's 6 decimals, so a plan never spends USDC it does not have.
 */
export const planAllocation = (
  valueUsd: Readonly<Record<SleeveAsset, Money>>,
  total: Money,
  target: Readonly<Record<SleeveAsset, Decimal>>,
  minMove: Money,
): PlannedSwap[] => {
  const gap = (asset: SleeveAsset) => roundMoney(total.mul(target[asset]).minus(valueUsd[asset]), 'down');
  const swaps: PlannedSwap[] = [];
  let usdc = valueUsd.USDC;
  for (const asset of ['BTC', 'ETH'] as const) {
    const excess = gap(asset).neg();
    if (excess.gte(minMove) && excess.gt(0)) {
      swaps.push({ sell: asset, buy: 'USDC', usd: excess });
      usdc = usdc.plus(excess);
    }
  }
  for (const asset of ['BTC', 'ETH'] as const) {
    const need = Decimal.min(gap(asset), usdc);
    if (need.gte(minMove) && need.gt(0)) {
      swaps.push({ sell: 'USDC', buy: asset, usd: need });
      usdc = usdc.minus(need);
    }
  }
  return swaps;
};
