import * as E from 'fp-ts/Either';
import { CASH, symbolOf } from '../defi/assets';
import { checkSwap } from '../defi/swap-rules';
import { priceOf } from './asset-prices';
import { Decimal, roundMoney, USDC_DECIMALS } from '../money';
import { accept, type Decision, evolveAccount, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { reject, rejectAndRecord } from './rejections';
import { riskGate } from './risk-gate';
import { bucketOf, requireConfig } from './state';
import { equity } from './valuation';

type SwapCommand = CommandOf<'Swap'>;

const ZERO = new Decimal(0);

/**
 * A swap in the tactical sleeve (seed 001's swaps to USDC, seed 002's tactical moves), judged
 * against the last market reading: a reading too old (or none) refuses it, gas above the limit
 * refuses it, a fill beyond the slippage cap refuses it; buying an asset needs an ACTIVE risk
 * status and must keep volatile assets within their cap of the treasury's value and each asset
 * within its own. Selling is always allowed (it reduces risk). Refusals of judgement are recorded.
 */
export const decideSwap = (c: SwapCommand, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  const trading = config.roles.trading;
  if (trading === undefined)
    return E.left(reject('NO_TRADING_BUCKET', 'this treasury has no trading bucket to swap in'));
  if (s.usedIds.has(`swap:${c.swapId}`))
    return E.left(reject('DUPLICATE_ID', `swap ${c.swapId} already exists`, { swapId: c.swapId }));
  if (c.sell === c.buy || (c.sell !== 'USDC' && c.buy !== 'USDC'))
    return E.left(
      reject('SWAP_INVALID', 'a swap goes through USDC: one side is USDC, the other an asset (BTC, SOL@solana, …)', {
        sell: c.sell,
        buy: c.buy,
      }),
    );
  const usdc = c.sell === 'USDC' ? c.amount : c.filled;
  if (usdc.decimalPlaces() > USDC_DECIMALS)
    return E.left(reject('SWAP_INVALID', `a USDC amount has at most ${USDC_DECIMALS} decimals`, { usdc }));
  if (config.market === undefined)
    return E.left(
      reject(
        'SWAP_INVALID',
        'this treasury has no market policy (the defi preset has one): it does not hold assets',
        {},
      ),
    );
  const policy = config.market;
  const asset = c.sell === CASH ? c.buy : c.sell;
  const quote = priceOf(s, asset);
  if (quote === undefined || (quote.at !== undefined && c.at - quote.at > policy.maxAgeMs))
    return E.left(
      reject(
        'NO_MARKET_PRICE',
        `no price of ${symbolOf(asset)} recent enough to judge a swap against: record one ` +
          `(${['BTC', 'ETH'].includes(symbolOf(asset)) ? 'RecordMarket' : 'RecordPrices'})`,
        { asset, lastObservedAt: quote?.at ?? 'none', maxAgeMs: policy.maxAgeMs },
      ),
    );
  const subject = `swap:${c.swapId}`;
  const buying = c.buy !== 'USDC';
  // A purchase is judged against the caps with every holding at its price: each of those must be recent too.
  if (buying)
    for (const held of Object.keys(s.holdings ?? {}).sort()) {
      const at = priceOf(s, held)?.at;
      if (at !== undefined && c.at - at > policy.maxAgeMs)
        return E.left(
          reject(
            'NO_MARKET_PRICE',
            `the price of ${symbolOf(held)} (held) is too old to judge the caps by: record a new one first`,
            { asset: held, lastObservedAt: at, maxAgeMs: policy.maxAgeMs },
          ),
        );
    }
  if (buying) {
    const gate = riskGate(a, c, subject);
    if (gate) return E.left(gate);
    if (a.risk.tradingDesk === 'halted')
      return E.left(
        rejectAndRecord(
          'TRADING_HALTED',
          'the trading desk is halted: nothing new is bought until ResumeTrading',
          {},
          c,
          subject,
        ),
      );
  }
  const priceSell = priceOf(s, c.sell)!.price;
  const priceBuy = priceOf(s, c.buy)!.price;
  const judged = checkSwap({
    amountIn: c.amount,
    priceIn: priceSell,
    priceOut: priceBuy,
    filledOut: c.filled,
    gasGwei: c.gasGwei,
  });
  if (!judged.ok)
    return E.left(rejectAndRecord(judged.refusal.code, judged.refusal.message, judged.refusal.details, c, subject));
  const swappedUsd = c.sell === 'USDC' ? c.amount : c.filled;
  if (c.gasFee.gt(swappedUsd.mul(policy.maxGasFee)))
    return E.left(
      rejectAndRecord(
        'GAS_FEE_TOO_HIGH',
        `gas of ${c.gasFee.toFixed()} is more than ${policy.maxGasFee.toFixed()} of the ${swappedUsd.toFixed()} swapped`,
        { gasFee: c.gasFee, swapped: swappedUsd, maxGasFee: policy.maxGasFee },
        c,
        subject,
      ),
    );
  const balance = bucketOf(s, trading);
  const holding = c.sell === 'USDC' ? undefined : s.holdings?.[c.sell];
  if (
    c.sell === 'USDC'
      ? c.amount.plus(c.gasFee).gt(balance)
      : (holding?.quantity ?? ZERO).lt(c.amount) || balance.plus(c.filled).lt(c.gasFee)
  )
    return E.left(
      reject(
        'INSUFFICIENT_FUNDS',
        `the sleeve holds too little to sell ${c.amount.toFixed()} ${c.sell} and pay gas ${c.gasFee.toFixed()}`,
        {
          sell: c.sell,
          amount: c.amount,
          held: c.sell === 'USDC' ? balance : (holding?.quantity ?? ZERO),
          gasFee: c.gasFee,
        },
      ),
    );
  // Average cost: a sale of part of a holding takes that part of its cost (all of it when it empties).
  const cost =
    holding === undefined
      ? c.amount
      : holding.quantity.eq(c.amount)
        ? holding.cost
        : // Rounded up (never more than the holding cost): a sale's gain is never overstated.
          Decimal.min(holding.cost, roundMoney(holding.cost.mul(c.amount).div(holding.quantity), 'up'));
  const swapped: TreasuryEvent = {
    type: 'Swapped',
    at: c.at,
    swapId: c.swapId,
    sell: c.sell,
    buy: c.buy,
    sold: c.amount,
    bought: c.filled,
    priceSell,
    priceBuy,
    slippage: judged.check.slippage,
    gasGwei: c.gasGwei,
    gasFee: c.gasFee,
    cost,
    realized: buying ? ZERO : c.filled.minus(cost),
  };
  if (buying) {
    const after = evolveAccount(a, swapped).treasury;
    const total = equity(after);
    // Every holding is volatile (only USDC is cash); one position is a symbol on every chain it sits on.
    let volatile = ZERO;
    let position = ZERO;
    for (const held in after.holdings) {
      const h = after.holdings[held]!;
      const price = priceOf(after, held)?.price;
      const value = price === undefined ? h.cost : h.quantity.mul(price);
      volatile = volatile.plus(value);
      if (symbolOf(held) === symbolOf(c.buy)) position = position.plus(value);
    }
    const caps: [string, Decimal, Decimal][] = [
      ['VOLATILE_CAP_EXCEEDED', volatile, policy.volatileCap],
      ['ASSET_CAP_EXCEEDED', position, policy.positionCap],
    ];
    for (const [code, held, cap] of caps) {
      if (held.gt(total.mul(cap)))
        return E.left(
          rejectAndRecord(
            code as 'VOLATILE_CAP_EXCEEDED',
            `after this swap ${code === 'VOLATILE_CAP_EXCEEDED' ? 'volatile assets' : c.buy} would be ` +
              `${roundMoney(held, 'up').toFixed()} of ${total.toFixed()}, above the cap of ${cap.toFixed()}`,
            { asset: c.buy, value: roundMoney(held, 'up'), total, cap, limit: roundMoney(total.mul(cap), 'down') },
            c,
            subject,
          ),
        );
    }
  }
  return accept(swapped);
};
