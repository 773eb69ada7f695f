import * as E from 'fp-ts/Either';
import { Decimal, roundMoney } from '../money';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import { reject, rejectAndRecord } from './rejections';
import { partyName, sameParty } from '../transfers/transfer-codecs';
import type { Instant } from '../instant';
import { pendingRequests } from './controls';
import type { TreasuryEvent } from './events';
import { riskGate } from './risk-gate';
import { bucketOf, requireConfig } from './state';
import { escrowLocked } from './valuation';

/**
 * T5: an escrow locks amount + fee from the reserve, and is refused when the escrow already
 * locked plus this amount and its fee would exceed 30% of the reserve. The fee (1%) rounds up.
 */
export const decideLockEscrow = (c: CommandOf<'LockEscrow'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  if (s.usedIds.has(`escrow:${c.escrowId}`))
    return E.left(reject('DUPLICATE_ID', `escrow ${c.escrowId} already exists`, { escrowId: c.escrowId }));
  const subject = `escrow:${c.escrowId}`;
  const gate = riskGate(a, c, subject);
  if (gate) return E.left(gate);
  const fee = roundMoney(c.amount.mul(config.escrowFee), 'up');
  const reserve = bucketOf(s, config.roles.reserve);
  const locked = escrowLocked(s);
  const limit = reserve.mul(config.escrowReserveRatio);
  const wouldLock = locked.plus(c.amount).plus(fee);
  if (wouldLock.gt(limit)) {
    return E.left(
      rejectAndRecord(
        'ESCROW_OVERCOMMIT',
        `locking ${c.amount.toFixed()} + fee ${fee.toFixed()} on top of ${locked.toFixed()} already locked ` +
          `exceeds ${config.escrowReserveRatio.toFixed()} of the reserve (${limit.toFixed()})`,
        { amount: c.amount, fee, locked, wouldLock, limit, reserve, ratio: config.escrowReserveRatio },
        c,
        subject,
      ),
    );
  }
  return accept({
    type: 'EscrowLocked',
    at: c.at,
    escrowId: c.escrowId,
    amount: c.amount,
    fee,
    ...(c.payee === undefined ? {} : { payee: c.payee }),
  });
};

/**
 * Pays the payee (all that remains, or part) as the debit leg of transfer `transferId`, and the
 * matching share of the fee, rounded up. The same transfer again is a no-op.
 */
export const decideReleaseEscrow = (c: CommandOf<'ReleaseEscrow'>, a: TreasuryAccount): Decision => {
  const earlier = a.treasury.transfersSent[c.transferId];
  if (earlier) {
    if (
      earlier.purpose === 'escrow' &&
      sameParty(earlier.to, c.to) &&
      (c.amount === undefined || earlier.amount.eq(c.amount))
    )
      return accept();
    return E.left(
      reject('DUPLICATE_ID', `transfer ${c.transferId} was already sent with other fields`, {
        transferId: c.transferId,
      }),
    );
  }
  const lock = a.treasury.escrows[c.escrowId];
  if (lock === undefined) {
    const waiting = pendingLock(a, c.escrowId);
    if (waiting === undefined)
      return E.left(reject('UNKNOWN_ESCROW', `no open escrow ${c.escrowId}`, { escrowId: c.escrowId }));
    // Released before its lock was approved: nothing was ever locked, so nothing is paid, and the lock
    // must not execute later (its money would be locked for an escrow already settled).
    const cancelled = cancel(c, waiting, 'the escrow was released before its lock was approved');
    const refused = rejectAndRecord(
      'ESCROW_NOT_LOCKED',
      `escrow ${c.escrowId} was never locked (its lock, ${waiting}, waited for approval): nothing is paid`,
      { escrowId: c.escrowId, requestId: waiting, to: partyName(c.to) },
      c,
      `escrow:${c.escrowId}`,
    );
    return E.left({ ...refused, recorded: [cancelled, ...refused.recorded] });
  }
  if (lock.payee !== undefined && !sameParty(lock.payee, c.to))
    return E.left(
      rejectAndRecord(
        'PAYEE_MISMATCH',
        `escrow ${c.escrowId} was locked to pay ${partyName(lock.payee)}, not ${partyName(c.to)}`,
        { escrowId: c.escrowId, payee: partyName(lock.payee), to: partyName(c.to) },
        c,
        `escrow:${c.escrowId}`,
      ),
    );
  const amount = c.amount ?? lock.amount;
  if (amount.gt(lock.amount)) {
    return E.left(
      reject(
        'RELEASE_EXCEEDS_LOCK',
        `releasing ${amount.toFixed()} is more than the ${lock.amount.toFixed()} still locked`,
        { escrowId: c.escrowId, amount, locked: lock.amount },
      ),
    );
  }
  const fee = amount.eq(lock.amount)
    ? lock.fee
    : Decimal.min(lock.fee, roundMoney(lock.fee.mul(amount).div(lock.amount), 'up'));
  return accept({
    type: 'EscrowReleased',
    at: c.at,
    escrowId: c.escrowId,
    amount,
    fee,
    transferId: c.transferId,
    to: c.to,
  });
};

/** Returns what remains locked, fee included (a fee is charged only on what is released). */
export const decideRefundEscrow = (c: CommandOf<'RefundEscrow'>, a: TreasuryAccount): Decision => {
  const lock = a.treasury.escrows[c.escrowId];
  if (lock === undefined) {
    const waiting = pendingLock(a, c.escrowId);
    if (waiting !== undefined)
      return accept(cancel(c, waiting, 'the escrow was refunded before its lock was approved'));
    return E.left(reject('UNKNOWN_ESCROW', `no open escrow ${c.escrowId}`, { escrowId: c.escrowId }));
  }
  return accept({ type: 'EscrowRefunded', at: c.at, escrowId: c.escrowId, amount: lock.amount, fee: lock.fee });
};

/** The held (approval-pending) lock of an escrow, if its lock waits for approvals. */
const pendingLock = (a: TreasuryAccount, escrowId: string): string | undefined =>
  pendingRequests(a.treasury.controls).find((r) => r.command.type === 'LockEscrow' && r.command.escrowId === escrowId)
    ?.requestId;

const cancel = (c: { at: Instant }, requestId: string, reason: string): TreasuryEvent => ({
  type: 'RequestCancelled',
  at: c.at,
  requestId: requestId as never,
  reason,
});
