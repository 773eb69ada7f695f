import * as E from 'fp-ts/Either';
import type { RejectionDetail } from '../decider';
import { roundMoney } from '../money';
import { sameParty } from '../transfers/transfer-codecs';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import { reject, rejectAndRecord, type TreasuryRejection, type TreasuryRejectionCode } from './rejections';
import { riskGate } from './risk-gate';
import { bucketOf, requireConfig } from './state';
import { bookValue } from './valuation';

type Send = CommandOf<'SendTransfer'>;

/**
 * A refused debit is recorded with the transfer's numbers and the party that asked for it, so the
 * process manager can cancel the transfer there visibly (a lapsed cover, a cancelled admission).
 */
export const refuseDebit = (
  code: TreasuryRejectionCode,
  message: string,
  details: Record<string, RejectionDetail>,
  c: Send,
): TreasuryRejection =>
  rejectAndRecord(
    code,
    message,
    { ...details, transferId: c.transferId, toKind: c.to.kind, toId: c.to.id, purpose: c.purpose, amount: c.amount },
    c,
    `transfer:${c.transferId}`,
  );

/** A debit asked of a treasury that was never opened: recorded too, or the asking pool would wait forever. */
export const refuseDebitUnopened = (c: Send): TreasuryRejection =>
  refuseDebit('TREASURY_NOT_OPENED', 'this treasury is not opened: it cannot pay', {}, c);

/**
 * The debit leg, decided first against this treasury's own rules: the money leaves the reserve
 * only if the reserve holds it and keeps its floor; a stake (a new commitment) also needs an
 * ACTIVE risk status (R1), while a premium keeps existing cover and may be paid in any status.
 * The same transfer again is a no-op, so a retry after a crash debits once.
 */
export const decideSendTransfer = (c: Send, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  const earlier = s.transfersSent[c.transferId];
  if (earlier) {
    if (sameParty(earlier.to, c.to) && earlier.amount.eq(c.amount) && earlier.purpose === c.purpose) return accept();
    return E.left(
      reject('DUPLICATE_ID', `transfer ${c.transferId} was already sent with other fields`, {
        transferId: c.transferId,
        amount: earlier.amount,
        requested: c.amount,
      }),
    );
  }
  if (c.purpose === 'stake') {
    const gate = riskGate(a, c, `transfer:${c.transferId}`);
    if (gate) return E.left(refuseDebit(gate.code, gate.message, gate.details, c));
  }
  const bucket = config.roles.reserve;
  const balance = bucketOf(s, bucket);
  if (c.amount.gt(balance)) {
    return E.left(
      refuseDebit(
        'INSUFFICIENT_FUNDS',
        `the reserve holds ${balance.toFixed()}, less than the ${c.purpose} of ${c.amount.toFixed()}`,
        { bucket, balance },
        c,
      ),
    );
  }
  const floorRatio = config.buckets.find((b) => b.name === bucket)!.floor;
  const floor = roundMoney(bookValue(s).minus(c.amount).mul(floorRatio), 'down');
  if (balance.minus(c.amount).lt(floor)) {
    return E.left(
      refuseDebit(
        'FLOOR_BREACH',
        `paying ${c.amount.toFixed()} (${c.purpose}) would leave the reserve ` +
          `at ${balance.minus(c.amount).toFixed()}, below its floor of ${floor.toFixed()}`,
        { bucket, balance, floor },
        c,
      ),
    );
  }
  return accept({
    type: 'TransferSent',
    at: c.at,
    transferId: c.transferId,
    to: c.to,
    purpose: c.purpose,
    bucket,
    amount: c.amount,
  });
};

type Receive = CommandOf<'ReceiveTransfer'>;

/**
 * A credit under a transfer id already taken (or refused) here: the same credit again is a no-op;
 * another payer or amount under that id is refused and changes nothing, so it can neither be paid
 * twice nor block the real credit's record.
 */
const seenCredit = (c: Receive, a: TreasuryAccount): Decision | undefined => {
  const earlier = a.treasury.transfersIn[c.transferId];
  if (!earlier) return undefined;
  if (sameParty(earlier.from, c.from) && earlier.amount.eq(c.amount)) return accept();
  return E.left(
    reject(
      'DUPLICATE_ID',
      `transfer ${c.transferId} was already credited (or refused) here: ` +
        `${earlier.amount.toFixed()} from ${earlier.from.kind}:${earlier.from.id}`,
      { transferId: c.transferId, amount: earlier.amount, requested: c.amount },
    ),
  );
};

/** The credit leg, into the reserve, once per transfer id. */
export const decideReceiveTransfer = (c: Receive, a: TreasuryAccount): Decision => {
  const seen = seenCredit(c, a);
  if (seen) return seen;
  return accept({
    type: 'TransferReceived',
    at: c.at,
    transferId: c.transferId,
    from: c.from,
    purpose: c.purpose,
    bucket: requireConfig(a.treasury).roles.reserve,
    amount: c.amount,
  });
};

/** A treasury that was never opened cannot hold money: the refusal is recorded so the payer takes it back. */
export const refuseCreditUnopened = (c: Receive, a: TreasuryAccount): TreasuryRejection =>
  a.treasury.transfersIn[c.transferId]
    ? reject('TREASURY_NOT_OPENED', 'this treasury is not opened; the transfer was already refused', {
        transferId: c.transferId,
      })
    : {
        ...reject('TREASURY_NOT_OPENED', 'this treasury is not opened: it cannot receive money', {
          transferId: c.transferId,
          amount: c.amount,
        }),
        recorded: [
          {
            type: 'TransferRefused',
            at: c.at,
            transferId: c.transferId,
            from: c.from,
            amount: c.amount,
            code: 'TREASURY_NOT_OPENED',
          },
        ],
      };

/** Takes back, once, a transfer this treasury sent and the payee refused: in flight → the bucket it left. */
export const decideReturnTransfer = (c: CommandOf<'ReturnTransfer'>, a: TreasuryAccount): Decision => {
  const sent = a.treasury.transfersSent[c.transferId];
  if (!sent)
    return E.left(
      reject('UNKNOWN_TRANSFER', `this treasury sent no transfer ${c.transferId}`, { transferId: c.transferId }),
    );
  if (sent.returned) return accept();
  return accept({
    type: 'TransferReturned',
    at: c.at,
    transferId: c.transferId,
    bucket: sent.bucket,
    amount: sent.amount,
    code: c.code,
  });
};
