import { type Rejection, type RejectionDetail, rejection, rejectionDetails } from '../decider';
import type { Instant } from '../instant';
import type { TreasuryEvent } from './events';

/** Stable codes: callers and dashboards key on them; never rename one, only add. */
export const TREASURY_REJECTION_CODES = [
  'TREASURY_NOT_OPENED',
  'ALREADY_OPENED',
  'CONFIG_INVALID',
  'TIME_WENT_BACKWARDS',
  'UNKNOWN_BUCKET',
  'SAME_BUCKET',
  'INSUFFICIENT_FUNDS',
  'FLOOR_BREACH',
  'REBALANCE_NOT_NEEDED',
  'RISK_PAUSED',
  'RISK_HALTED',
  'NOT_STOPPED',
  'NO_CASINO_BUCKET',
  'CASINO_STOPPED',
  'NEGATIVE_EDGE',
  'BET_ABOVE_CAP',
  'BET_TOO_SMALL',
  'DUPLICATE_ID',
  'UNKNOWN_BET',
  'NO_OPEN_SESSION',
  'NO_TRADING_BUCKET',
  'TRADING_HALTED',
  'TRADING_NOT_HALTED',
  'STOP_LOSS_REQUIRED',
  'REWARD_RISK_TOO_LOW',
  'POSITION_TOO_LARGE',
  'LEVERAGE_TOO_HIGH',
  'UNKNOWN_POSITION',
  'ESCROW_OVERCOMMIT',
  'UNKNOWN_ESCROW',
  'RELEASE_EXCEEDS_LOCK',
  'NO_REFERRAL_BUCKET',
  'REFERRAL_BELOW_MINIMUM',
  'UNKNOWN_TRANSFER',
  // Spend policy, approvals and modes.
  'POLICY_INVALID',
  'BUDGET_EXCEEDED',
  'COUNTERPARTY_DENIED',
  'COUNTERPARTY_NOT_ALLOWED',
  'COUNTERPARTY_REQUIRED',
  'EMERGENCY_STOP',
  'REDUCE_ONLY',
  'UNKNOWN_REQUEST',
  'REQUEST_CLOSED',
  'REQUEST_EXPIRED',
  'NOT_AN_APPROVER',
  'ALREADY_APPROVED',
  'SELF_APPROVAL',
  'APPROVAL_DENIED',
  'APPROVAL_EXPIRED',
  'ALREADY_STOPPED',
  'MODE_UNCHANGED',
  'APPROVED_AMOUNT_EXCEEDED',
  'ESCROW_NOT_LOCKED',
  'PAYEE_MISMATCH',
  // Market readings.
  'MARKET_DATA_INVALID',
  'MARKET_OUT_OF_ORDER',
  'ADVICE_STALE',
  'ADVICE_OUT_OF_BOUNDS',
  // Swaps in the tactical sleeve.
  'SWAP_INVALID',
  'NO_MARKET_PRICE',
  'GAS_TOO_HIGH',
  'SLIPPAGE_EXCEEDED',
  'FILL_IMPLAUSIBLE',
  'GAS_FEE_TOO_HIGH',
  'VOLATILE_CAP_EXCEEDED',
  'ASSET_CAP_EXCEEDED',
  // Yield venues of the reserve bucket.
  'VENUE_INVALID',
  'UNKNOWN_VENUE',
  'VENUE_TERMS_FIXED',
  'VENUE_NOT_MATURED',
  'VENUE_RATE_UNCHANGED',
  'NOTHING_TO_ACCRUE',
  'FUNDS_IN_VENUE',
  // Tokens on chains.
  'ASSET_INVALID',
] as const;
export type TreasuryRejectionCode = (typeof TREASURY_REJECTION_CODES)[number];
export type TreasuryRejection = Rejection<TreasuryRejectionCode, TreasuryEvent>;

/** A refusal returned to the caller only. */
export const reject = (
  code: TreasuryRejectionCode,
  message: string,
  details: Record<string, RejectionDetail> = {},
): TreasuryRejection => rejection(code, message, details);

/** A risk-relevant refusal: also recorded as a CommandRejected event so the audit shows it. */
export const rejectAndRecord = (
  code: TreasuryRejectionCode,
  message: string,
  details: Record<string, RejectionDetail>,
  command: { readonly type: string; readonly at: Instant },
  subject: string,
): TreasuryRejection =>
  rejection(code, message, details, [
    {
      type: 'CommandRejected',
      at: command.at,
      command: command.type,
      subject,
      code,
      details: rejectionDetails(details),
    },
  ]);
