import * as E from 'fp-ts/Either';
import type { Instant } from '../instant';
import { accept, type Decision, type TreasuryAccount, evolveAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { reject } from './rejections';
import { expireRequests } from './decide-controls';
import { requireConfig } from './state';
import { equity, tradingValue } from './valuation';

/**
 * What the passage of event time does before any command is decided: a pause whose cooldown has
 * elapsed resumes by itself (R4), a daily window older than its length rolls over, and approval
 * requests past their time expire.
 */
export const timePasses = (a: TreasuryAccount, at: Instant): TreasuryEvent[] => {
  const config = requireConfig(a.treasury);
  const events: TreasuryEvent[] = [];
  let state = a;
  if (state.risk.status === 'PAUSED' && state.risk.pausedUntil !== undefined && at >= state.risk.pausedUntil) {
    const resumed: TreasuryEvent = { type: 'RiskResumed', at, by: 'cooldown', equity: equity(state.treasury) };
    events.push(resumed);
    state = evolveAccount(state, resumed);
  }
  if (at - state.risk.dayStart.at >= config.dailyWindowMs)
    events.push({ type: 'DailyWindowOpened', at, equity: equity(state.treasury) });
  events.push(...expireRequests(state, at));
  return events;
};

export const decideTick = (_c: CommandOf<'Tick'>): Decision => accept();

/** R3: only an operator lifts a halt (or cuts a pause short), and says who they are. */
export const decideResumeRisk = (c: CommandOf<'ResumeRisk'>, a: TreasuryAccount): Decision => {
  if (a.risk.status === 'ACTIVE')
    return E.left(reject('NOT_STOPPED', 'risk status is already ACTIVE', { status: a.risk.status }));
  return accept({
    type: 'RiskResumed',
    at: c.at,
    by: 'operator',
    operator: c.operator,
    equity: equity(a.treasury),
    ...(c.note === undefined ? {} : { note: c.note }),
  });
};

export const decideResumeTrading = (c: CommandOf<'ResumeTrading'>, a: TreasuryAccount): Decision => {
  if (a.risk.tradingDesk === 'open') return E.left(reject('TRADING_NOT_HALTED', 'trading is not halted'));
  return accept({
    type: 'TradingResumed',
    at: c.at,
    operator: c.operator,
    value: tradingValue(a.treasury),
    ...(c.note === undefined ? {} : { note: c.note }),
  });
};
