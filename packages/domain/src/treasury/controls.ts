import type { ActorId } from '../ids';
import type { Instant } from '../instant';
import type { Money } from '../money';
import { LONGEST_WINDOW_MS, type OutflowCategory, type SpendPolicy } from '../policy/policy-codecs';
import type { TreasuryCommand } from './commands';
import type { TreasuryEvent } from './events';
import { outflowsOf } from './outflows';

export type RequestStatus = 'pending' | 'executed' | 'failed' | 'denied' | 'expired';

/** A move held for approvals, and what became of it. */
export interface ApprovalRequest {
  readonly requestId: string;
  /** The command as it was asked; it executes as asked, at the time of the last approval. */
  readonly command: TreasuryCommand;
  readonly amount: Money;
  readonly policyVersion: number;
  readonly approvers: readonly ActorId[];
  readonly required: number;
  readonly requestedAt: Instant;
  readonly expiresAt: Instant;
  readonly requestedBy?: string;
  readonly approvedBy: readonly ActorId[];
  readonly status: RequestStatus;
}

/** One outflow as budgets count it. */
export interface SpendRecord {
  readonly at: number;
  readonly amount: Money;
  readonly category: OutflowCategory;
  readonly counterparty?: string;
}

export interface EmergencyStopState {
  readonly by: ActorId;
  readonly at: Instant;
  readonly reason?: string;
  /** Distinct operators who voted to lift it so far. */
  readonly lifts: readonly ActorId[];
}

/**
 * The spend controls of one treasury: its policy and version, its mode, the emergency stop, the
 * outflows its budgets count and its approval requests. Absent until a treasury first has any of
 * them, so a treasury without a policy folds (and digests) exactly as before.
 */
export interface Controls {
  readonly policy?: SpendPolicy;
  readonly policyVersion: number;
  readonly mode: 'normal' | 'reduce-only';
  readonly stopped?: EmergencyStopState;
  /** Outflows of the last LONGEST_WINDOW_MS, oldest first. */
  readonly spends: readonly SpendRecord[];
  readonly requests: Readonly<Record<string, ApprovalRequest>>;
  readonly requestCount: number;
}

const initialControls: Controls = { policyVersion: 0, mode: 'normal', spends: [], requests: {}, requestCount: 0 };

const withRequest = (c: Controls, id: string, change: Partial<ApprovalRequest>): Controls => {
  const request = c.requests[id];
  return request === undefined ? c : { ...c, requests: { ...c.requests, [id]: { ...request, ...change } } };
};

const recordSpends = (c: Controls, event: TreasuryEvent): Controls => {
  const flows = outflowsOf([event]).filter((f) => !f.committed);
  if (flows.length === 0) return c;
  const horizon = event.at - LONGEST_WINDOW_MS;
  const kept = c.spends.filter((s) => s.at > horizon);
  const added = flows.map((f): SpendRecord => ({
    at: event.at,
    amount: f.amount,
    category: f.category,
    ...(f.counterparty === undefined ? {} : { counterparty: f.counterparty }),
  }));
  return { ...c, spends: [...kept, ...added] };
};

/** The controls' fold. Pure; returns `undefined` for as long as the treasury has no controls at all. */
export const evolveControls = (controls: Controls | undefined, event: TreasuryEvent): Controls | undefined => {
  switch (event.type) {
    case 'TreasuryOpened':
      return event.config.policy === undefined
        ? controls
        : { ...initialControls, policy: event.config.policy, policyVersion: 1 };
    case 'PolicyChanged':
      return { ...(controls ?? initialControls), policy: event.policy, policyVersion: event.version };
    case 'EmergencyStopped':
      return {
        ...(controls ?? initialControls),
        stopped: {
          by: event.by,
          at: event.at,
          lifts: [],
          ...(event.reason === undefined ? {} : { reason: event.reason }),
        },
      };
    case 'EmergencyLiftVoted':
      return controls?.stopped
        ? { ...controls, stopped: { ...controls.stopped, lifts: [...controls.stopped.lifts, event.by] } }
        : controls;
    case 'EmergencyStopLifted': {
      if (controls === undefined) return controls;
      const { stopped: _lifted, ...rest } = controls;
      return rest;
    }
    case 'ModeChanged':
      return { ...(controls ?? initialControls), mode: event.mode };
    case 'ApprovalRequested': {
      const c = controls ?? initialControls;
      const request: ApprovalRequest = {
        requestId: event.requestId,
        command: event.command,
        amount: event.amount,
        policyVersion: event.policyVersion,
        approvers: event.approvers,
        required: event.required,
        requestedAt: event.at,
        expiresAt: event.expiresAt,
        ...(event.requestedBy === undefined ? {} : { requestedBy: event.requestedBy }),
        approvedBy: [],
        status: 'pending',
      };
      return { ...c, requests: { ...c.requests, [event.requestId]: request }, requestCount: c.requestCount + 1 };
    }
    case 'RequestApproved': {
      const request = controls?.requests[event.requestId];
      return request === undefined
        ? controls
        : withRequest(controls!, event.requestId, { approvedBy: [...request.approvedBy, event.approver] });
    }
    case 'RequestExecuted':
      return controls && withRequest(controls, event.requestId, { status: 'executed' });
    case 'RequestFailed':
      return controls && withRequest(controls, event.requestId, { status: 'failed' });
    case 'RequestDenied':
      return controls && withRequest(controls, event.requestId, { status: 'denied' });
    case 'RequestExpired':
      return controls && withRequest(controls, event.requestId, { status: 'expired' });
    default:
      return controls === undefined ? controls : recordSpends(controls, event);
  }
};

/** Requests still waiting for approvals, oldest first. */
export const pendingRequests = (controls: Controls | undefined): ApprovalRequest[] =>
  Object.values(controls?.requests ?? {})
    .filter((r) => r.status === 'pending')
    .sort((a, b) => a.requestedAt - b.requestedAt || (a.requestId < b.requestId ? -1 : 1));
