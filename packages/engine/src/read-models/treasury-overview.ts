import {
  bookValue,
  Decimal,
  equity,
  escrowLocked,
  betsLocked,
  marginLocked,
  type Portfolio,
  portfolioOf,
  treasuryDecider,
  type TreasuryAccount,
} from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { aggregateStates } from './aggregate-states';

export type TreasuryAccounts = Record<string, TreasuryAccount>;

/** Every treasury's state, folded by the domain's own evolve (Treasury and RiskGuard together). */
export const treasuryAccounts: Projection<TreasuryAccounts> = aggregateStates(
  'treasury-accounts',
  'treasury',
  treasuryDecider,
);

/** Opened treasuries in id order: the rows of every treasury read model. */
const openedInIdOrder = (accounts: TreasuryAccounts): [string, TreasuryAccount][] =>
  Object.entries(accounts)
    .filter(([, a]) => a.treasury.opened)
    .sort(([a], [b]) => (a < b ? -1 : 1));

export interface TreasuryOverviewRow {
  readonly treasuryId: string;
  readonly buckets: Record<string, string>;
  /** Share minus target per bucket. */
  readonly drift: Record<string, string>;
  readonly driftThreshold: string;
  readonly locks: { readonly escrow: string; readonly bets: string; readonly margin: string };
  readonly bookValue: string;
  readonly equity: string;
}

/** The treasury overview read model: buckets, drift and locks per treasury. */
export const treasuryOverview = (accounts: TreasuryAccounts): TreasuryOverviewRow[] =>
  openedInIdOrder(accounts).map(([treasuryId, a]) => {
    const t = a.treasury;
    const config = t.config!;
    const balance = (bucket: string) => t.buckets[bucket] ?? new Decimal(0);
    const total = config.buckets.reduce((s, b) => s.plus(balance(b.name)), new Decimal(0));
    return {
      treasuryId,
      buckets: Object.fromEntries(config.buckets.map((b) => [b.name, balance(b.name).toFixed()])),
      drift: Object.fromEntries(
        config.buckets.map((b) => [
          b.name,
          total.isZero() ? '0' : balance(b.name).div(total).minus(b.target).toDecimalPlaces(6).toFixed(),
        ]),
      ),
      driftThreshold: config.driftThreshold.toFixed(),
      locks: { escrow: escrowLocked(t).toFixed(), bets: betsLocked(t).toFixed(), margin: marginLocked(t).toFixed() },
      bookValue: bookValue(t).toFixed(),
      equity: equity(t).toFixed(),
    };
  });

export interface RiskBoardRow {
  readonly treasuryId: string;
  readonly status: string;
  readonly pausedUntil?: number;
  readonly tradingDesk: string;
  readonly casinoDesk: string;
  /** From the all-time (flow-adjusted) peak, as a fraction. */
  readonly drawdown: string;
  /** Equity against the start of the daily window. */
  readonly dailyPnl: string;
  readonly breakerTrips: number;
}

/** The risk board read model: status, drawdown, daily P&L and breaker count per treasury. */
export const riskBoard = (accounts: TreasuryAccounts): RiskBoardRow[] =>
  openedInIdOrder(accounts).map(([treasuryId, a]) => {
    const eq = equity(a.treasury);
    const r = a.risk;
    return {
      treasuryId,
      status: r.status,
      ...(r.pausedUntil === undefined ? {} : { pausedUntil: r.pausedUntil }),
      tradingDesk: r.tradingDesk,
      casinoDesk: r.casinoDesk,
      drawdown: r.peak.isZero() ? '0' : Decimal.max(0, r.peak.minus(eq).div(r.peak)).toDecimalPlaces(6).toFixed(),
      dailyPnl: eq.minus(r.dayStart.equity).toFixed(),
      breakerTrips: r.breakerTrips,
    };
  });

/** Seed 001's tracker for every treasury that holds assets: cash, and each asset by chain with the price used. */
export const portfolios = (accounts: TreasuryAccounts): ({ readonly treasuryId: string } & Portfolio)[] =>
  openedInIdOrder(accounts)
    .filter(([, a]) => a.treasury.holdings !== undefined)
    .map(([treasuryId, a]) => ({ treasuryId, ...portfolioOf(a.treasury) }));
