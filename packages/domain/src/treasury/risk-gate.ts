import type { Instant } from '../instant';
import type { TreasuryAccount } from './account';
import { rejectAndRecord, type TreasuryRejection } from './rejections';

/** R1: no bet, trade or escrow is accepted unless the status is ACTIVE. The refusal is recorded. */
export const riskGate = (
  a: TreasuryAccount,
  command: { type: string; at: Instant },
  subject: string,
): TreasuryRejection | undefined => {
  const { status, pausedUntil } = a.risk;
  if (status === 'HALTED') {
    return rejectAndRecord(
      'RISK_HALTED',
      'risk status is HALTED: an operator must review and resume',
      { status },
      command,
      subject,
    );
  }
  if (status === 'PAUSED') {
    return rejectAndRecord(
      'RISK_PAUSED',
      `risk status is PAUSED until ${new Date(pausedUntil ?? 0).toISOString()}`,
      { status, pausedUntil: pausedUntil ?? 0 },
      command,
      subject,
    );
  }
  return undefined;
};
