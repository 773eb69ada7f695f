import * as t from 'io-ts';
import { MoneyFromString, NonNegativeMoneyFromString } from '../codecs/money-codec';
import { boundedArray, boundedInt } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { InstantCodec } from '../instant';
import { SpendPolicyCodec } from '../policy/policy-codecs';
import { TreasuryCommandCodec } from './commands';
import { LocalIdCodec } from './treasury-ids';

const event = timedRecord;
const Version = boundedInt('policy version', 0, 1_000_000);
const Approvers = boundedArray(ActorIdCodec, 0, 32, 'approvers');

/** The next version of the spend policy, and who set it. */
export const PolicyChanged = event('PolicyChanged', { version: Version, policy: SpendPolicyCodec, by: ActorIdCodec });

const BudgetUse = strict(
  { name: t.string, window: t.string, spent: NonNegativeMoneyFromString, limit: NonNegativeMoneyFromString },
  {},
  'BudgetUse',
);
/**
 * Why a move that pays out was allowed: the policy version that checked it, what it pays out, and
 * each budget it counts against as it stands after the move.
 */
export const OutflowChecked = event('OutflowChecked', {
  command: t.string,
  policyVersion: Version,
  outflow: NonNegativeMoneyFromString,
  budgets: boundedArray(BudgetUse, 0, 32, 'budgets'),
});

/** A move above the approval threshold, held as a request instead of executed. */
export const ApprovalRequested = event(
  'ApprovalRequested',
  {
    requestId: LocalIdCodec,
    command: TreasuryCommandCodec,
    amount: NonNegativeMoneyFromString,
    threshold: MoneyFromString,
    policyVersion: Version,
    /** Empty: any distinct operators. */
    approvers: Approvers,
    required: boundedInt('required approvals', 1, 32),
    expiresAt: InstantCodec,
  },
  { requestedBy: ActorIdCodec },
);
/** `required`: how many the policy as it stood then asked for (the rule in force, which may be tighter than the request's). */
export const RequestApproved = event(
  'RequestApproved',
  { requestId: LocalIdCodec, approver: ActorIdCodec, approvals: boundedInt('approvals', 1, 32) },
  { required: boundedInt('required approvals', 1, 32) },
);
/** The approvals are complete: the move's own events follow in the same append. */
export const RequestExecuted = event('RequestExecuted', { requestId: LocalIdCodec, approvers: Approvers });
/** The approvals were complete but the move, re-checked as things stand now, was refused. */
export const RequestFailed = event('RequestFailed', { requestId: LocalIdCodec, code: t.string, message: t.string });
export const RequestDenied = event(
  'RequestDenied',
  { requestId: LocalIdCodec, by: ActorIdCodec },
  { reason: t.string },
);
export const RequestExpired = event('RequestExpired', { requestId: LocalIdCodec });
/** The escrow a held lock was for was settled first: the lock will never be needed. */
export const RequestCancelled = event('RequestCancelled', { requestId: LocalIdCodec, reason: t.string });
/**
 * An escrow lock paying its payee during an emergency stop: held, not refused, so the payee is paid
 * when the stop lifts (in the lift's own append) instead of the money staying locked for good.
 */
export const OutflowHeld = event('OutflowHeld', { requestId: LocalIdCodec, command: TreasuryCommandCodec });

export const EmergencyStopped = event('EmergencyStopped', { by: ActorIdCodec }, { reason: t.string });
export const EmergencyLiftVoted = event('EmergencyLiftVoted', {
  by: ActorIdCodec,
  votes: boundedInt('votes', 1, 32),
  required: boundedInt('required', 1, 32),
});
export const EmergencyStopLifted = event('EmergencyStopLifted', { by: ActorIdCodec, votes: Approvers });
export const ModeChanged = event(
  'ModeChanged',
  { mode: t.keyof({ normal: null, 'reduce-only': null }, 'mode'), by: ActorIdCodec },
  { note: t.string },
);

export const POLICY_EVENTS = [
  PolicyChanged,
  OutflowChecked,
  ApprovalRequested,
  RequestApproved,
  RequestExecuted,
  RequestFailed,
  RequestDenied,
  RequestExpired,
  RequestCancelled,
  OutflowHeld,
  EmergencyStopped,
  EmergencyLiftVoted,
  EmergencyStopLifted,
  ModeChanged,
] as const;
