import { Decimal } from '../money';
import type { PositionState } from './state';

export type CloseReason = 'liquidation' | 'stop' | 'trail' | 'take';

const ONE = new Decimal(1);

/** Where an isolated-margin position is liquidated: its margin is gone (1/leverage adverse move). */
export const liquidationPrice = (p: PositionState): Decimal =>
  p.side === 'long'
    ? p.entryPrice.mul(ONE.minus(ONE.div(p.leverage)))
    : p.entryPrice.mul(ONE.plus(ONE.div(p.leverage)));

export const stopPrice = (p: PositionState): Decimal =>
  p.side === 'long' ? p.entryPrice.mul(ONE.minus(p.stopLoss)) : p.entryPrice.mul(ONE.plus(p.stopLoss));

export const takePrice = (p: PositionState): Decimal =>
  p.side === 'long' ? p.entryPrice.mul(ONE.plus(p.takeProfit)) : p.entryPrice.mul(ONE.minus(p.takeProfit));

/** The trailing stop follows the best price seen; undefined when the position has none. */
export const trailPrice = (p: PositionState): Decimal | undefined =>
  p.trailingStop === undefined
    ? undefined
    : p.side === 'long'
      ? p.extremePrice.mul(ONE.minus(p.trailingStop))
      : p.extremePrice.mul(ONE.plus(p.trailingStop));

/**
 * Which exit a mark triggers, worst first: liquidation, then the tighter of stop and trail, then
 * take-profit. The fill is the mark itself: a price that gaps through a stop fills at the gap, as
 * on a real venue, and the loss is bounded by the margin.
 */
export const triggeredExit = (p: PositionState, mark: Decimal): CloseReason | undefined => {
  const long = p.side === 'long';
  const beyond = (level: Decimal, adverse: boolean) => (long === adverse ? mark.lte(level) : mark.gte(level));
  if (beyond(liquidationPrice(p), true)) return 'liquidation';
  const stop = stopPrice(p);
  const trail = trailPrice(p);
  const trailIsTighter = trail !== undefined && (long ? trail.gt(stop) : trail.lt(stop));
  if (beyond(trailIsTighter ? trail! : stop, true)) return trailIsTighter ? 'trail' : 'stop';
  if (beyond(takePrice(p), false)) return 'take';
  return undefined;
};
