import * as E from 'fp-ts/Either';
import { type Decider, type Rejection, type RejectionDetail, rejection } from '../decider';
import { Decimal, money, roundMoney } from '../money';
import { collateralFor, MAX_EXPOSURE_RATIO } from './collateral';
import type { EscrowCommand } from './escrow-commands';
import type { EscrowEvent } from './escrow-events';
import { type EscrowState, evolveEscrow, initialEscrowState, isResolved, remainingOf } from './escrow-state';

export const ESCROW_REJECTION_CODES = [
  'ESCROW_EXISTS',
  'ESCROW_NOT_FOUND',
  'ESCROW_RESOLVED',
  'ESCROW_DISPUTED',
  'NOT_DISPUTED',
  'SAME_PARTY',
  'DEADLINE_IN_PAST',
  'DEADLINE_NOT_PASSED',
  'RELEASE_EXCEEDS_REMAINING',
  'EXPOSURE_LIMIT',
  'TIME_WENT_BACKWARDS',
] as const;
export type EscrowRejectionCode = (typeof ESCROW_REJECTION_CODES)[number];
export type EscrowRejection = Rejection<EscrowRejectionCode, EscrowEvent>;

const reject = (
  code: EscrowRejectionCode,
  message: string,
  details: Record<string, RejectionDetail> = {},
): E.Either<EscrowRejection, never> => E.left(rejection(code, message, details));

/** The platform fee (seed 000: 1%), charged on what is released, rounded up. */
export const ESCROW_FEE_RATE = new Decimal('0.01');

/**
 * Two-phase like a pending transfer: created (funds pending), then released (in parts or whole),
 * refunded or expired exactly once. A dispute freezes it until resolved.
 */
export const decideEscrow = (c: EscrowCommand, s: EscrowState): E.Either<EscrowRejection, readonly EscrowEvent[]> => {
  if (c.at < s.lastAt)
    return reject('TIME_WENT_BACKWARDS', `command time ${c.at} is before the stream's last event at ${s.lastAt}`, {
      at: c.at,
      lastAt: s.lastAt,
    });
  if (c.type === 'CreateEscrow') {
    if (s.status !== 'none')
      return reject('ESCROW_EXISTS', `escrow ${s.escrowId} already exists`, { escrowId: c.escrowId });
    if (c.payer === c.payee) return reject('SAME_PARTY', 'payer and payee must differ', { agent: c.payer });
    if (c.deadline <= c.at)
      return reject('DEADLINE_IN_PAST', 'the deadline must be after the creation time', {
        deadline: c.deadline,
        at: c.at,
      });
    const fee = roundMoney(c.amount.mul(c.feeRate ?? ESCROW_FEE_RATE), 'up');
    const collateral = c.job ? collateralFor(c.job.type, c.job.value) : money('0');
    if (c.exposure) {
      const limit = c.exposure.walletBalance.mul(MAX_EXPOSURE_RATIO);
      if (c.exposure.current.plus(collateral).gt(limit)) {
        return reject(
          'EXPOSURE_LIMIT',
          `collateral ${collateral.toFixed()} on top of ${c.exposure.current.toFixed()} at risk ` +
            `exceeds 40% of the wallet (${limit.toFixed()})`,
          {
            collateral,
            current: c.exposure.current,
            limit,
            walletBalance: c.exposure.walletBalance,
          },
        );
      }
    }
    return E.right([
      {
        type: 'EscrowCreated',
        at: c.at,
        escrowId: c.escrowId,
        payer: c.payer,
        payee: c.payee,
        amount: c.amount,
        fee,
        deadline: c.deadline,
        ...(c.job ? { jobType: c.job.type, jobValue: c.job.value, collateral } : {}),
      },
    ]);
  }
  if (s.status === 'none') return reject('ESCROW_NOT_FOUND', 'no escrow on this stream yet');
  if (isResolved(s))
    return reject('ESCROW_RESOLVED', `escrow ${s.escrowId} is already ${s.status}`, { status: s.status });
  const remaining = remainingOf(s);
  const feeLeft = s.fee.minus(s.feeCharged);
  const release = (amount: Decimal, proof: string): EscrowEvent => ({
    type: 'EscrowReleased',
    at: c.at,
    amount,
    fee: amount.eq(remaining) ? feeLeft : Decimal.min(feeLeft, roundMoney(s.fee.mul(amount).div(s.amount), 'up')),
    remaining: remaining.minus(amount),
    proof,
  });
  switch (c.type) {
    case 'ReleaseEscrow': {
      if (s.status === 'disputed')
        return reject('ESCROW_DISPUTED', 'the escrow is disputed; resolve the dispute first');
      const amount = c.amount ?? remaining;
      if (amount.gt(remaining))
        return reject(
          'RELEASE_EXCEEDS_REMAINING',
          `releasing ${amount.toFixed()} is more than the ${remaining.toFixed()} remaining`,
          { amount, remaining },
        );
      return E.right([release(amount, c.proof)]);
    }
    case 'RefundEscrow':
      if (s.status === 'disputed')
        return reject('ESCROW_DISPUTED', 'the escrow is disputed; resolve the dispute first');
      return E.right([{ type: 'EscrowRefunded', at: c.at, amount: remaining, fee: feeLeft, reason: c.reason }]);
    case 'ExpireEscrow':
      if (s.status === 'disputed')
        return reject('ESCROW_DISPUTED', 'a disputed escrow does not expire; resolve the dispute');
      if (c.at < s.deadline)
        return reject('DEADLINE_NOT_PASSED', `the deadline is ${new Date(s.deadline).toISOString()}`, {
          deadline: s.deadline,
          at: c.at,
        });
      return E.right([{ type: 'EscrowExpired', at: c.at, amount: remaining, fee: feeLeft }]);
    case 'DisputeEscrow':
      if (s.status === 'disputed') return reject('ESCROW_DISPUTED', 'the escrow is already disputed');
      return E.right([{ type: 'EscrowDisputed', at: c.at, by: c.by, reason: c.reason }]);
    case 'ResolveDispute':
      if (s.status !== 'disputed') return reject('NOT_DISPUTED', 'the escrow is not disputed', { status: s.status });
      return E.right([
        c.outcome === 'release'
          ? release(remaining, `dispute resolved by ${c.by}`)
          : {
              type: 'EscrowRefunded',
              at: c.at,
              amount: remaining,
              fee: feeLeft,
              reason: `dispute resolved by ${c.by}`,
            },
      ]);
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
};

export const escrowDecider: Decider<EscrowCommand, EscrowEvent, EscrowState, EscrowRejection> = {
  initialState: initialEscrowState,
  evolve: evolveEscrow,
  decide: decideEscrow,
};
