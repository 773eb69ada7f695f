import { Decimal, type Money } from '../money';
import type { TransferPurpose } from '../transfers/transfer-codecs';
import { isMoneylessEvent, type TreasuryEvent } from './events';

/**
 * Where a treasury's book value came from, one signed amount per source (a cost is negative).
 * Deposits and withdrawals are sources too, so that Σ sources = bookValue exactly (T1): a report
 * subtracts the starting deposit itself.
 */
export const PNL_SOURCES = [
  'casino',
  'trading',
  'funding',
  'escrowPaid',
  'escrowFees',
  'escrowEarned',
  'premiums',
  'stakes',
  'payouts',
  'referrals',
  'revaluation',
  'yield',
  'deposits',
  'withdrawals',
  'otherTransfers',
] as const;
export type PnlSource = (typeof PNL_SOURCES)[number];
export type PnlBySource = Readonly<Record<PnlSource, Money>>;

/** The fold's state: the sums, and the source of every transfer sent (a return carries no purpose). */
export interface PnlFold {
  readonly sources: PnlBySource;
  readonly sent: Readonly<Record<string, PnlSource>>;
}

const ZERO = new Decimal(0);
export const emptyPnl: PnlBySource = Object.fromEntries(PNL_SOURCES.map((s) => [s, ZERO])) as Record<PnlSource, Money>;
export const initialPnlFold: PnlFold = { sources: emptyPnl, sent: {} };

/** A transfer's source by its purpose and direction: an escrow paid and an escrow earned are told apart. */
export const transferSource = (purpose: TransferPurpose, direction: 'sent' | 'received'): PnlSource => {
  switch (purpose) {
    case 'stake':
    case 'stake-return':
      return 'stakes';
    case 'premium':
      return 'premiums';
    case 'payout':
      return 'payouts';
    case 'escrow':
      return direction === 'sent' ? 'escrowPaid' : 'escrowEarned';
    case 'reinsurance':
    case 'repayment':
      return 'otherTransfers';
    default: {
      const unreachable: never = purpose;
      return unreachable;
    }
  }
};

const add = (fold: PnlFold, source: PnlSource, amount: Money): PnlFold => ({
  ...fold,
  sources: { ...fold.sources, [source]: fold.sources[source].plus(amount) },
});
const remember = (fold: PnlFold, transferId: string, source: PnlSource): PnlFold => ({
  ...fold,
  sent: { ...fold.sent, [transferId]: source },
});

/**
 * Attributes one treasury event's change of book value to its source. Moves inside the treasury
 * (between buckets, into and out of locks) change nothing; only money that enters or leaves the
 * books counts. Pure: folding a stream from its start gives Σ sources = bookValue (T1).
 */
export const addPnl = (fold: PnlFold, event: TreasuryEvent): PnlFold => {
  if (isMoneylessEvent(event)) return fold;
  switch (event.type) {
    case 'BetSettled':
      return add(fold, 'casino', event.pnl);
    case 'PositionClosed':
      return add(fold, 'trading', event.pnl);
    case 'FundingApplied':
      return add(fold, 'funding', event.payment);
    case 'EscrowReleased':
      return add(
        add(remember(fold, event.transferId, 'escrowPaid'), 'escrowPaid', event.amount.neg()),
        'escrowFees',
        event.fee.neg(),
      );
    case 'LegacyEscrowReleased':
      return add(add(fold, 'escrowPaid', event.amount.neg()), 'escrowFees', event.fee.neg());
    case 'PaymentReceived':
      return add(fold, event.source === 'escrow' ? 'escrowEarned' : 'payouts', event.amount);
    case 'TransferSent': {
      const source = transferSource(event.purpose, 'sent');
      return add(remember(fold, event.transferId, source), source, event.amount.neg());
    }
    case 'TransferReceived':
      return add(fold, transferSource(event.purpose, 'received'), event.amount);
    case 'TransferReturned': {
      const source = fold.sent[event.transferId];
      if (source === undefined)
        throw new Error(
          `addPnl: transfer ${event.transferId} came back but was never sent (fold the stream from its start)`,
        );
      return add(fold, source, event.amount);
    }
    case 'ReferralIncomeReceived':
      return add(fold, 'referrals', event.amount);
    case 'BucketRevalued':
      return add(fold, 'revaluation', event.to.minus(event.from));
    case 'FundsDeposited':
      return add(fold, 'deposits', event.amount);
    case 'AssetDeposited':
      return add(fold, 'deposits', event.cost);
    case 'YieldAccrued':
      return add(fold, 'yield', event.amount);
    case 'VenueWithdrawn':
      // A liquidity pool's exit fee is a cost of the yield it paid.
      return add(fold, 'yield', event.fee.neg());
    case 'Swapped':
      // The sleeve's spot trading: what a sale realized, less gas.
      return add(fold, 'trading', event.realized.minus(event.gasFee));
    case 'FundsWithdrawn':
      return add(fold, 'withdrawals', event.amount.neg());
    case 'TreasuryOpened':
    case 'VenueDeposited':
    case 'VenueRateChanged':
    case 'FundsTransferred':
    case 'Rebalanced':
    case 'CasinoSessionStarted':
    case 'BetPlaced':
    case 'CasinoSessionStopped':
    case 'CasinoSessionEnded':
    case 'PositionOpened':
    case 'PriceMarked':
    case 'EscrowLocked':
    case 'EscrowRefunded':
    case 'TransferRefused':
    case 'ReferralsReinvested':
    case 'CommandRejected':
    case 'DailyWindowOpened':
    case 'RiskPaused':
    case 'RiskResumed':
    case 'RiskHalted':
    case 'TradingHalted':
    case 'TradingResumed':
    case 'ReserveFloorBreached':
      return fold;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};

/** P&L by source over a whole treasury stream, from its first event. */
export const pnlSources = (events: readonly TreasuryEvent[]): PnlBySource =>
  events.reduce(addPnl, initialPnlFold).sources;

export const pnlTotal = (sources: Readonly<Record<string, Money>>): Money =>
  Object.values(sources).reduce((n, v) => n.plus(v), ZERO);
