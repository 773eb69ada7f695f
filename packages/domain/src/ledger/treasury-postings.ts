import { Decimal } from '../money';
import { isMoneylessEvent, type TreasuryEvent } from '../treasury/events';
import type { TreasuryState } from '../treasury/state';
import {
  betsAccount,
  bucketAccount,
  escrowAccount,
  externalAccount,
  holdingsAccount,
  marginAccount,
  transitAccount,
  venueAccount,
} from './accounts';
import { move, type Posting } from './posting';

const ZERO = new Decimal(0);

/**
 * What one treasury event does to the ledger, given the treasury's state just before it. Every
 * money-moving event type has a rule here; the rest move nothing. Exhaustive by `never`, so a
 * new event type cannot be forgotten.
 */
export const treasuryPostings = (id: string, before: TreasuryState, e: TreasuryEvent): readonly Posting[] => {
  // No helper closures here: this runs for every treasury event an audit reads.
  const roles = before.config?.roles;
  if (isMoneylessEvent(e)) return [];
  switch (e.type) {
    case 'FundsDeposited':
      return [move(externalAccount('deposits'), bucketAccount(id, e.bucket), e.amount)];
    case 'FundsWithdrawn':
      return [move(bucketAccount(id, e.bucket), externalAccount('withdrawals'), e.amount)];
    case 'FundsTransferred':
      return [move(bucketAccount(id, e.from), bucketAccount(id, e.to), e.amount)];
    case 'Rebalanced':
      return e.transfers.map((m) => move(bucketAccount(id, m.from), bucketAccount(id, m.to), m.amount));
    case 'BucketRevalued':
      return [move(externalAccount('revaluation'), bucketAccount(id, e.bucket), e.to.minus(e.from))];
    case 'CasinoSessionStopped':
      return [move(bucketAccount(id, roles!.casino!), bucketAccount(id, roles!.reserve), e.returnedToReserve)];
    case 'BetPlaced':
      return [move(bucketAccount(id, roles!.casino!), betsAccount(id), e.stake)];
    case 'BetSettled':
      return [
        move(betsAccount(id), bucketAccount(id, roles!.casino!), before.bets[e.betId]!.stake),
        move(externalAccount('casino'), bucketAccount(id, roles!.casino!), e.pnl),
      ];
    case 'PositionOpened':
      return [move(bucketAccount(id, roles!.trading!), marginAccount(id), e.margin)];
    case 'PositionClosed':
      return [
        move(marginAccount(id), bucketAccount(id, roles!.trading!), before.positions[e.positionId]!.margin),
        move(externalAccount('trading'), bucketAccount(id, roles!.trading!), e.pnl),
      ];
    case 'FundingApplied':
      return [
        move(marginAccount(id), bucketAccount(id, roles!.trading!), e.marginUsed),
        move(externalAccount('funding'), bucketAccount(id, roles!.trading!), e.payment),
      ];
    case 'EscrowLocked':
      return [move(bucketAccount(id, roles!.reserve), escrowAccount(id, e.escrowId), e.amount.plus(e.fee))];
    case 'EscrowRefunded':
      return [move(escrowAccount(id, e.escrowId), bucketAccount(id, roles!.reserve), e.amount.plus(e.fee))];
    case 'EscrowReleased':
      return [
        move(escrowAccount(id, e.escrowId), transitAccount(e.transferId), e.amount, {
          role: 'debit',
          transferId: e.transferId,
          payee: e.to,
        }),
        move(escrowAccount(id, e.escrowId), externalAccount('fees'), e.fee),
      ];
    case 'LegacyEscrowReleased':
      return [
        move(escrowAccount(id, e.escrowId), externalAccount('legacy'), e.amount),
        move(escrowAccount(id, e.escrowId), externalAccount('fees'), e.fee),
      ];
    case 'PaymentReceived':
      return [move(externalAccount('legacy'), bucketAccount(id, roles!.reserve), e.amount)];
    case 'TransferSent':
      return [
        move(bucketAccount(id, e.bucket), transitAccount(e.transferId), e.amount, {
          role: 'debit',
          transferId: e.transferId,
          payee: e.to,
        }),
      ];
    case 'TransferReceived':
      return [
        move(transitAccount(e.transferId), bucketAccount(id, e.bucket), e.amount, {
          role: 'credit',
          transferId: e.transferId,
          payer: e.from,
        }),
      ];
    case 'TransferReturned':
      return [
        move(transitAccount(e.transferId), bucketAccount(id, e.bucket), e.amount, {
          role: 'return',
          transferId: e.transferId,
        }),
      ];
    case 'TransferRefused':
      return [
        move(transitAccount(e.transferId), transitAccount(e.transferId), ZERO, {
          role: 'refusal',
          transferId: e.transferId,
        }),
      ];
    case 'ReferralIncomeReceived':
      return [move(externalAccount('referrals'), bucketAccount(id, roles!.referral!), e.amount)];
    case 'ReferralsReinvested':
      return [
        move(bucketAccount(id, roles!.referral!), bucketAccount(id, roles!.reserve), e.toReserve),
        ...(roles!.trading
          ? [move(bucketAccount(id, roles!.referral!), bucketAccount(id, roles!.trading), e.toTrading)]
          : []),
      ];
    case 'AssetDeposited':
      return [move(externalAccount('deposits'), holdingsAccount(id), e.cost)];
    case 'VenueDeposited':
      return [move(bucketAccount(id, roles!.reserve), venueAccount(id, e.venueId), e.amount)];
    case 'YieldAccrued':
      return [move(externalAccount('yield'), venueAccount(id, e.venueId), e.amount)];
    case 'VenueWithdrawn':
      return [
        move(venueAccount(id, e.venueId), bucketAccount(id, roles!.reserve), e.amount.minus(e.fee)),
        move(venueAccount(id, e.venueId), externalAccount('fees'), e.fee),
      ];
    case 'VenueRateChanged':
      return [];
    case 'Swapped': {
      const bucket = bucketAccount(id, roles!.trading!);
      const fee = [move(bucket, externalAccount('fees'), e.gasFee)];
      if (e.sell === 'USDC') return [move(bucket, holdingsAccount(id), e.cost), ...fee];
      return [move(holdingsAccount(id), bucket, e.cost), move(externalAccount('trading'), bucket, e.realized), ...fee];
    }
    case 'TreasuryOpened':
    case 'CasinoSessionStarted':
    case 'CasinoSessionEnded':
    case 'PriceMarked':
    case 'CommandRejected':
    case 'DailyWindowOpened':
    case 'RiskPaused':
    case 'RiskResumed':
    case 'RiskHalted':
    case 'TradingHalted':
    case 'TradingResumed':
    case 'ReserveFloorBreached':
      return [];
    default: {
      const unreachable: never = e;
      return unreachable;
    }
  }
};
