import { type Rejection, type RejectionDetail, rejection, rejectionDetails } from '../decider';
import type { Instant } from '../instant';
import type { PoolEvent } from './pool-events';

export const POOL_REJECTION_CODES = [
  'POOL_NOT_OPENED',
  'POOL_ALREADY_OPENED',
  'POOL_CONFIG_INVALID',
  'TIME_WENT_BACKWARDS',
  'ALREADY_MEMBER',
  'STAKE_BELOW_TIER_MINIMUM',
  'ADMISSIONS_CLOSED',
  'UNDERFUNDED_AFTER_ADMISSION',
  'PREMIUM_TOO_HIGH',
  'NOT_A_MEMBER',
  'MEMBER_SUSPENDED',
  'PREMIUM_ALREADY_COLLECTED',
  'DUPLICATE_CLAIM',
  'UNKNOWN_CLAIM',
  'CLAIM_NOT_PENDING',
  'CLAIMANT_CANNOT_VOTE',
  'NOT_ELIGIBLE',
  'ALREADY_VOTED',
  'VOTING_CLOSED',
  'VOTING_STILL_OPEN',
  'NOT_ON_PANEL',
  'CLAIM_NOT_APPROVED',
  'RESERVE_EMPTY',
  'NO_CAPACITY',
  'TRANSFER_ID_REUSED',
  'UNKNOWN_TRANSFER',
  'ALREADY_REPAID',
  'INSUFFICIENT_RESERVE',
  'JOIN_PENDING',
  'COVERAGE_LAPSED',
  'CLAIM_OPEN',
  'TRANSFER_NOT_EXPECTED',
] as const;
export type PoolRejectionCode = (typeof POOL_REJECTION_CODES)[number];
export type PoolRejection = Rejection<PoolRejectionCode, PoolEvent>;

export const poolReject = (
  code: PoolRejectionCode,
  message: string,
  details: Record<string, RejectionDetail> = {},
): PoolRejection => rejection(code, message, details);

/** Admission refusals are recorded: who was turned away, and why, is part of a pool's audit. */
export const poolRejectAndRecord = (
  code: PoolRejectionCode,
  message: string,
  details: Record<string, RejectionDetail>,
  command: { type: string; at: Instant },
  subject: string,
): PoolRejection =>
  rejection(code, message, details, [
    {
      type: 'PoolCommandRejected',
      at: command.at,
      command: command.type,
      subject,
      code,
      details: rejectionDetails(details),
    },
  ]);
