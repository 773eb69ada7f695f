import type { RejectionDetail } from '../decider';
import type { TreasuryCommand } from './commands';
import { refuseDebit } from './decide-transfers';
import type { EventOf } from './events';
import { rejectAndRecord, type TreasuryRejection, type TreasuryRejectionCode } from './rejections';

/** What a recorded refusal of a command is about, as the deciders name it. */
export const subjectOf = (c: TreasuryCommand): string => {
  switch (c.type) {
    case 'PlaceBet':
      return `bet:${c.betId}`;
    case 'OpenPosition':
      return `position:${c.positionId}`;
    case 'LockEscrow':
    case 'ReleaseEscrow':
      return `escrow:${c.escrowId}`;
    case 'SendTransfer':
      return `transfer:${c.transferId}`;
    case 'Withdraw':
      return `bucket:${c.bucket}`;
    case 'ChangePolicy':
      return 'policy';
    default:
      return 'treasury';
  }
};

/**
 * A move refused by the policy (or never approved), recorded with its numbers: a transfer's with
 * the fields its payer's saga needs to cancel it, an escrow lock's under its escrow, so the
 * waiting side learns of it.
 */
export const refuseMove = (
  c: TreasuryCommand,
  code: TreasuryRejectionCode,
  message: string,
  details: Record<string, RejectionDetail>,
): TreasuryRejection =>
  c.type === 'SendTransfer'
    ? refuseDebit(code, message, details, c)
    : rejectAndRecord(code, message, details, c, subjectOf(c));

/** The CommandRejected record of such a refusal, alone. */
export const refusalRecord = (
  c: TreasuryCommand,
  code: TreasuryRejectionCode,
  message: string,
  details: Record<string, RejectionDetail>,
): EventOf<'CommandRejected'> => refuseMove(c, code, message, details).recorded[0] as EventOf<'CommandRejected'>;
