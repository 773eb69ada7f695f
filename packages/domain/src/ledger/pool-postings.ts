import { Decimal } from '../money';
import type { PoolEvent } from '../insurance/pool-events';
import type { PoolState } from '../insurance/pool-state';
import { poolParty, treasuryParty } from '../transfers/transfer-codecs';
import { externalAccount, reserveAccount, transitAccount } from './accounts';
import { move, type Posting } from './posting';

const ZERO = new Decimal(0);
/** Reinsurance repayments travel under their loan's id with this suffix: a loan and its repayment are two transfers. */
export const repaymentTransferId = (transferId: string): string => `${transferId}.repayment`;

/** What one pool event does to the ledger. Exhaustive by `never`. */
export const poolPostings = (id: string, before: PoolState, e: PoolEvent): readonly Posting[] => {
  const reserve = reserveAccount(id);
  switch (e.type) {
    case 'MemberJoined':
      return [
        move(transitAccount(e.transferId), reserve, e.stake, {
          role: 'credit',
          transferId: e.transferId,
          payer: treasuryParty(e.agentId),
        }),
      ];
    case 'LegacyMemberJoined':
      return [move(externalAccount('legacy'), reserve, e.stake)];
    case 'PremiumCollected':
      return [
        move(transitAccount(e.transferId), reserve, e.amount, {
          role: 'credit',
          transferId: e.transferId,
          payer: treasuryParty(e.agentId),
        }),
      ];
    case 'LegacyPremiumCollected':
      return [move(externalAccount('legacy'), reserve, e.amount)];
    case 'ClaimPaid':
      return [
        move(reserve, transitAccount(e.transferId), e.payout, { role: 'debit', transferId: e.transferId, payee: e.to }),
      ];
    case 'LegacyClaimPaid':
      return [move(reserve, externalAccount('legacy'), e.payout)];
    case 'MemberLeft':
      return e.stakeReturned.gt(0)
        ? [
            move(reserve, transitAccount(e.transferId), e.stakeReturned, {
              role: 'debit',
              transferId: e.transferId,
              payee: e.to,
            }),
          ]
        : [];
    case 'TransferReturned':
      return [move(transitAccount(e.transferId), reserve, e.amount, { role: 'return', transferId: e.transferId })];
    case 'TransferRefused':
      return [
        move(transitAccount(e.transferId), transitAccount(e.transferId), ZERO, {
          role: 'refusal',
          transferId: e.transferId,
        }),
      ];
    case 'ReinsuranceLent':
      return [
        move(reserve, transitAccount(e.transferId), e.amount, {
          role: 'debit',
          transferId: e.transferId,
          payee: poolParty(e.toPool),
        }),
      ];
    case 'ReinsuranceBorrowed':
      return [
        move(transitAccount(e.transferId), reserve, e.amount, {
          role: 'credit',
          transferId: e.transferId,
          payer: poolParty(e.fromPool),
        }),
      ];
    case 'ReinsuranceRepaid': {
      const repayment = repaymentTransferId(e.transferId);
      return [
        move(reserve, transitAccount(repayment), e.amount.plus(e.fee), {
          role: 'debit',
          transferId: repayment,
          payee: poolParty(before.loans[e.transferId]!.counterparty),
        }),
      ];
    }
    case 'ReinsuranceRepaymentReceived': {
      const repayment = repaymentTransferId(e.transferId);
      return [
        move(transitAccount(repayment), reserve, e.amount.plus(e.fee), {
          role: 'credit',
          transferId: repayment,
          payer: poolParty(before.loans[e.transferId]!.counterparty),
        }),
      ];
    }
    case 'PoolOpened':
    case 'MemberAdmitted':
    case 'JoinCancelled':
    case 'PremiumDue':
    case 'CoverageLapsed':
    case 'ClaimFiled':
    case 'VoteCast':
    case 'ArbitrationStarted':
    case 'ClaimApproved':
    case 'ClaimRejected':
    case 'StakeSlashed':
    case 'MemberSuspended':
    case 'FundingStateChanged':
    case 'PoolCommandRejected':
      return [];
    default: {
      const unreachable: never = e;
      return unreachable;
    }
  }
};
