import { funded, HOUR, T0 } from './treasury-fixtures';

/** Alice, Bob and Carol approve; two of them must agree; a request waits an hour. */
export const approvals = (overrides: Record<string, unknown> = {}) => ({
  threshold: '5000',
  approvers: ['alice', 'bob', 'carol'],
  required: 2,
  expiresMs: HOUR,
  ...overrides,
});

/**
 * A treasury of 100,000 (reserve 40,000, trading 35,000, casino 15,000, referral 10,000) under
 * `policy`, with lottery sizing so any game may be played.
 */
export const policed = (policy: Record<string, unknown>) => funded({ policy, sizing: 'lottery' }, '100000');

export const at = (hours: number) => T0 + hours * HOUR;

export const withdraw = (hours: number, amount: string, extra: Record<string, unknown> = {}) => ({
  type: 'Withdraw',
  at: at(hours),
  bucket: 'referral',
  amount,
  ...extra,
});

export const approve = (hours: number, approver: string, requestId = 'req-1') => ({
  type: 'ApproveRequest',
  at: at(hours),
  requestId,
  approver,
});
