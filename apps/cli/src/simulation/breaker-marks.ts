import { Decimal, type TreasuryAccount } from '@ballast/domain';
import type { BreakerMark } from './simulation-types';

/** An agent's desks as the risk state holds them: the risk status, the trading desk and the casino desk. */
export interface DeskModes {
  readonly risk: string;
  readonly trading: string;
  readonly casino: string;
}

export const desksOf = (account: TreasuryAccount): DeskModes => ({
  risk: account.risk.status,
  trading: account.risk.tradingDesk,
  casino: account.risk.casinoDesk,
});

const OPEN: DeskModes = { risk: 'ACTIVE', trading: 'open', casino: 'open' };
const pct = (x: unknown) => `${new Decimal(String(x)).mul(100).toFixed(1)}%`;
const usd = (x: unknown) => `$${new Decimal(String(x)).toFixed(2)}`;

type BreakerEvent = Readonly<Record<string, unknown>> & { readonly type: string };

/**
 * A breaker trip as the report shows it: which desk, its mode before and after, and why, in the
 * event's own figures (the thresholds are the treasury's config, seed 000's risk defaults).
 */
export const breakerMark = (
  hour: number,
  at: string,
  agentId: string,
  e: BreakerEvent,
  before: DeskModes = OPEN,
): { mark: BreakerMark; modes: DeskModes } => {
  const base = { hour, at, agentId, type: e.type };
  switch (e.type) {
    case 'RiskPaused':
      return {
        mark: {
          ...base,
          desk: 'risk',
          from: before.risk,
          to: 'PAUSED',
          reason: `daily loss ${pct(e.lossRatio)}: equity ${usd(e.equity)} against ${usd(e.dayStartEquity)} at the day's start`,
        },
        modes: { ...before, risk: 'PAUSED' },
      };
    case 'RiskHalted':
      return {
        mark: {
          ...base,
          desk: 'risk',
          from: before.risk,
          to: 'HALTED',
          reason: `drawdown ${pct(e.drawdown)} from peak ${usd(e.peak)} (equity ${usd(e.equity)})`,
        },
        modes: { ...before, risk: 'HALTED' },
      };
    case 'TradingHalted':
      return {
        mark: {
          ...base,
          desk: 'trading',
          from: before.trading,
          to: 'halted',
          reason: `trading drawdown ${pct(e.drawdown)} from peak ${usd(e.peak)} (value ${usd(e.value)})`,
        },
        modes: { ...before, trading: 'halted' },
      };
    case 'CasinoSessionStopped':
      return {
        mark: {
          ...base,
          desk: 'casino',
          from: before.casino,
          to: 'stopped',
          reason:
            `session loss ${pct(e.lossRatio)}: ${usd(e.value)} of ${usd(e.startBankroll)}, ` +
            `${usd(e.returnedToReserve)} returned to the reserve`,
        },
        modes: { ...before, casino: 'stopped' },
      };
    case 'ReserveFloorBreached':
      return {
        mark: {
          ...base,
          desk: 'reserve',
          from: 'above floor',
          to: 'below floor',
          reason: `reserve ${usd(e.reserve)} below its floor ${usd(e.floor)} (total ${usd(e.total)})`,
        },
        modes: before,
      };
    default:
      return { mark: { ...base, desk: '-', from: '-', to: '-', reason: e.type }, modes: before };
  }
};
