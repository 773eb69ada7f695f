import { Decimal } from '../money';
import type { TreasuryEvent } from '../treasury/events';
import type { TreasuryState } from '../treasury/state';
import { betsAccount, bucketAccount, escrowAccount, externalAccount, marginAccount, transitAccount } from './accounts';
import { move, type Posting } from './posting';

const ZERO = new Decimal(0);

/**
 * What one treasury event does to the ledger, given the treasury's state just before it. Every
 * money-moving event type has a rule here; the rest move nothing. Exhaustive by `never`, so a
 * new event type cannot be forgotten.
 */
export const treasuryPostings = (id: string, before: TreasuryState, e: TreasuryEvent): readonly Posting[] => {
  const bucket = (name: string) => bucketAccount(id, name);
  const roles = before.config?.roles;
  switch (e.type) {
    case 'FundsDeposited':
      return [move(externalAccount('deposits'), bucket(e.bucket), e.amount)];
    case 'FundsWithdrawn':
      return [move(bucket(e.bucket), externalAccount('withdrawals'), e.amount)];
    case 'FundsTransferred':
      return [move(bucket(e.from), bucket(e.to), e.amount)];
    case 'Rebalanced':
      return e.transfers.map((m) => move(bucket(m.from), bucket(m.to), m.amount));
    case 'BucketRevalued':
      return [move(externalAccount('revaluation'), bucket(e.bucket), e.to.minus(e.from))];
    case 'CasinoSessionStopped':
      return [move(bucket(roles!.casino!), bucket(roles!.reserve), e.returnedToReserve)];
    case 'BetPlaced':
      return [move(bucket(roles!.casino!), betsAccount(id), e.stake)];
    case 'BetSettled':
      return [move(betsAccount(id), bucket(roles!.casino!), before.bets[e.betId]!.stake), move(externalAccount('casino'), bucket(roles!.casino!), e.pnl)];
    case 'PositionOpened':
      return [move(bucket(roles!.trading!), marginAccount(id), e.margin)];
    case 'PositionClosed':
      return [move(marginAccount(id), bucket(roles!.trading!), before.positions[e.positionId]!.margin), move(externalAccount('trading'), bucket(roles!.trading!), e.pnl)];
    case 'FundingApplied':
      return [move(marginAccount(id), bucket(roles!.trading!), e.marginUsed), move(externalAccount('funding'), bucket(roles!.trading!), e.payment)];
    case 'EscrowLocked':
      return [move(bucket(roles!.reserve), escrowAccount(id, e.escrowId), e.amount.plus(e.fee))];
    case 'EscrowRefunded':
      return [move(escrowAccount(id, e.escrowId), bucket(roles!.reserve), e.amount.plus(e.fee))];
    case 'EscrowReleased':
      return [
        move(escrowAccount(id, e.escrowId), transitAccount(e.transferId), e.amount, { role: 'debit', transferId: e.transferId, payee: e.to }),
        move(escrowAccount(id, e.escrowId), externalAccount('fees'), e.fee),
      ];
    case 'LegacyEscrowReleased':
      return [move(escrowAccount(id, e.escrowId), externalAccount('legacy'), e.amount), move(escrowAccount(id, e.escrowId), externalAccount('fees'), e.fee)];
    case 'PaymentReceived':
      return [move(externalAccount('legacy'), bucket(roles!.reserve), e.amount)];
    case 'TransferSent':
      return [move(bucket(e.bucket), transitAccount(e.transferId), e.amount, { role: 'debit', transferId: e.transferId, payee: e.to })];
    case 'TransferReceived':
      return [move(transitAccount(e.transferId), bucket(e.bucket), e.amount, { role: 'credit', transferId: e.transferId, payer: e.from })];
    case 'TransferReturned':
      return [move(transitAccount(e.transferId), bucket(e.bucket), e.amount, { role: 'return', transferId: e.transferId })];
    case 'TransferRefused':
      return [move(transitAccount(e.transferId), transitAccount(e.transferId), ZERO, { role: 'refusal', transferId: e.transferId })];
    case 'ReferralIncomeReceived':
      return [move(externalAccount('referrals'), bucket(roles!.referral!), e.amount)];
    case 'ReferralsReinvested':
      return [move(bucket(roles!.referral!), bucket(roles!.reserve), e.toReserve), ...(roles!.trading ? [move(bucket(roles!.referral!), bucket(roles!.trading), e.toTrading)] : [])];
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
