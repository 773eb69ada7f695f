import * as E from 'fp-ts/Either';
import { Decimal, type Money, roundMoney } from '../money';
import type { Instant } from '../instant';
import { accept, type Decision, type TreasuryAccount, evolveAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { sizeTrade } from './kelly';
import { triggeredExit } from './position-triggers';
import { reject, rejectAndRecord } from './rejections';
import { riskGate } from './risk-gate';
import { bucketOf, type PositionState, requireConfig, type TreasuryState } from './state';
import { marginLocked, positionPnl, tradingValue } from './valuation';

const byId = (a: PositionState, b: PositionState) => (a.positionId < b.positionId ? -1 : 1);

export const closeEvent = (
  p: PositionState,
  price: Decimal,
  reason: Extract<TreasuryEvent, { type: 'PositionClosed' }>['reason'],
  at: Instant,
): TreasuryEvent => ({
  type: 'PositionClosed',
  at,
  positionId: p.positionId,
  exitPrice: price,
  pnl: reason === 'liquidation' ? p.margin.neg() : positionPnl(p, price),
  reason,
});

export const decideOpenPosition = (c: CommandOf<'OpenPosition'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  const trading = config.roles.trading;
  if (trading === undefined) return E.left(reject('NO_TRADING_BUCKET', 'this treasury has no trading bucket'));
  if (s.usedIds.has(`position:${c.positionId}`))
    return E.left(reject('DUPLICATE_ID', `position ${c.positionId} already exists`, { positionId: c.positionId }));
  const subject = `position:${c.positionId}`;
  const refuse = (
    code: Parameters<typeof rejectAndRecord>[0],
    message: string,
    details: Record<string, string | number | boolean | Decimal>,
  ) => E.left(rejectAndRecord(code, message, details, c, subject));

  const gate = riskGate(a, c, subject);
  if (gate) return E.left(gate);
  if (a.risk.tradingDesk === 'halted') {
    return refuse('TRADING_HALTED', 'trading is halted after a trading drawdown; an operator must resume it', {
      tradingDesk: 'halted',
      tradingPeak: a.risk.tradingPeak,
      tradingValue: tradingValue(s),
    });
  }
  if (c.stopLoss.lte(0))
    return refuse('STOP_LOSS_REQUIRED', 'every position needs a stop-loss above 0', { stopLoss: c.stopLoss });
  const minTake = c.stopLoss.mul(config.minRewardToRisk);
  if (c.takeProfit.lt(minTake)) {
    return refuse(
      'REWARD_RISK_TOO_LOW',
      `take-profit ${c.takeProfit.toFixed()} is below ${config.minRewardToRisk.toFixed()} × stop-loss ${c.stopLoss.toFixed()}`,
      {
        stopLoss: c.stopLoss,
        takeProfit: c.takeProfit,
        minimumTakeProfit: minTake,
      },
    );
  }
  if (c.leverage > config.maxLeverage)
    return refuse('LEVERAGE_TOO_HIGH', `leverage ${c.leverage} is above the maximum of ${config.maxLeverage}`, {
      leverage: c.leverage,
      maxLeverage: config.maxLeverage,
    });

  const free = bucketOf(s, trading);
  const bucketValue = free.plus(marginLocked(s));
  let size: Money;
  if (c.size !== undefined) size = c.size;
  else if (c.kelly !== undefined) {
    const sizing = sizeTrade(
      config.sizing,
      bucketValue,
      c.kelly.winRate,
      c.kelly.averageWin,
      c.kelly.averageLoss,
      config.betCap,
      config.lotteryFraction,
    );
    if (sizing.stake.lte(0)) {
      return refuse('NEGATIVE_EDGE', 'Kelly sizing gives 0: the strategy has no positive edge', {
        winRate: c.kelly.winRate,
        averageWin: c.kelly.averageWin,
        averageLoss: c.kelly.averageLoss,
      });
    }
    size = sizing.stake;
  } else return E.left(reject('POSITION_TOO_LARGE', 'give a size or Kelly inputs to size the position', {}));

  const limit = roundMoney(bucketValue.mul(config.maxPositionFraction), 'down');
  if (size.gt(limit)) {
    return refuse(
      'POSITION_TOO_LARGE',
      `size ${size.toFixed()} is above ${config.maxPositionFraction.toFixed()} of the trading bucket (${limit.toFixed()})`,
      { size, limit, tradingBucket: bucketValue },
    );
  }
  const margin = roundMoney(size.div(c.leverage), 'up');
  if (margin.gt(free))
    return refuse(
      'INSUFFICIENT_FUNDS',
      `margin ${margin.toFixed()} is more than the trading bucket's free ${free.toFixed()}`,
      { margin, free },
    );

  return accept({
    type: 'PositionOpened',
    at: c.at,
    positionId: c.positionId,
    symbol: c.symbol,
    side: c.side,
    size,
    leverage: c.leverage,
    margin,
    entryPrice: c.entryPrice,
    quantity: size.div(c.entryPrice).toDecimalPlaces(12, Decimal.ROUND_DOWN),
    stopLoss: c.stopLoss,
    takeProfit: c.takeProfit,
    ...(c.trailingStop === undefined ? {} : { trailingStop: c.trailingStop }),
  });
};

/** Closes every position on the symbol whose exit the new mark triggers (after the trail moved). */
export const decideMarkPrice = (c: CommandOf<'MarkPrice'>, a: TreasuryAccount): Decision => {
  const marked: TreasuryEvent = { type: 'PriceMarked', at: c.at, symbol: c.symbol, price: c.price };
  const after = evolveAccount(a, marked).treasury;
  const closes = Object.values(after.positions)
    .filter((p) => p.symbol === c.symbol)
    .sort(byId)
    .flatMap((p) => {
      const reason = triggeredExit(p, c.price);
      return reason ? [closeEvent(p, c.price, reason, c.at)] : [];
    });
  return accept(marked, ...closes);
};

export const decideClosePosition = (c: CommandOf<'ClosePosition'>, a: TreasuryAccount): Decision => {
  const p = a.treasury.positions[c.positionId];
  if (p === undefined)
    return E.left(reject('UNKNOWN_POSITION', `no open position ${c.positionId}`, { positionId: c.positionId }));
  return accept(closeEvent(p, c.price, 'manual', c.at));
};

/**
 * Funding for one period: a long pays size × rate when the rate is positive, a short receives it.
 * A payment larger than the free trading balance draws on the position's margin, never below zero.
 */
export const decideFunding = (c: CommandOf<'ApplyFunding'>, a: TreasuryAccount): Decision => {
  const trading = requireConfig(a.treasury).roles.trading;
  if (trading === undefined) return E.left(reject('NO_TRADING_BUCKET', 'this treasury has no trading bucket'));
  let s: TreasuryState = a.treasury;
  const events: TreasuryEvent[] = [];
  for (const p of Object.values(a.treasury.positions)
    .filter((x) => x.symbol === c.symbol)
    .sort(byId)) {
    const owed = roundMoney(p.size.mul(c.rate).mul(p.side === 'long' ? -1 : 1), 'down');
    const free = bucketOf(s, trading);
    const payment = Decimal.max(owed, free.plus(p.margin).neg());
    const marginUsed = payment.lt(0) && payment.neg().gt(free) ? payment.neg().minus(free) : new Decimal(0);
    const event: TreasuryEvent = {
      type: 'FundingApplied',
      at: c.at,
      positionId: p.positionId,
      rate: c.rate,
      payment,
      marginUsed,
    };
    events.push(event);
    s = evolveAccount({ treasury: s, risk: a.risk }, event).treasury;
  }
  return accept(...events);
};
