import type { ActorId } from '../ids';
import { type Instant, MAX_INSTANT_MS } from '../instant';
import { type Money, ZERO } from '../money';
import { LONGEST_WINDOW_MS, type OutflowCategory, type SpendPolicy } from '../policy/policy-codecs';
import type { TreasuryCommand } from './commands';
import type { TreasuryEvent } from './events';
import { outflowsOf } from './outflows';

/** `held`: an escrow payment waiting for an emergency stop to lift (it needs no approvals). */
export type RequestStatus = 'pending' | 'held' | 'executed' | 'failed' | 'denied' | 'expired' | 'cancelled';

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

/** Closed requests kept (newest), so a late approval hears REQUEST_CLOSED; older ones go, so state stays bounded. */
export const CLOSED_REQUESTS_KEPT = 256;

const isOpen = (r: ApprovalRequest) => r.status === 'pending' || r.status === 'held';

const pruneClosed = (
  requests: Readonly<Record<string, ApprovalRequest>>,
): Readonly<Record<string, ApprovalRequest>> => {
  const closed = Object.values(requests).filter((r) => !isOpen(r));
  if (closed.length <= CLOSED_REQUESTS_KEPT) return requests;
  // Insertion order is creation order (ids are never reused): the oldest closed ones go first.
  const gone = new Set(closed.slice(0, closed.length - CLOSED_REQUESTS_KEPT).map((r) => r.requestId));
  return Object.fromEntries(Object.entries(requests).filter(([id]) => !gone.has(id)));
};

const withRequest = (c: Controls, id: string, change: Partial<ApprovalRequest>): Controls => {
  const request = requestOf(c, id);
  if (request === undefined) return c;
  const requests = { ...c.requests, [id]: { ...request, ...change } };
  return { ...c, requests: change.status === undefined ? requests : pruneClosed(requests) };
};

/** A request by id: own keys only, so an id such as `constructor` names no request. */
export const requestOf = (c: Controls | undefined, id: string): ApprovalRequest | undefined =>
  c !== undefined && Object.prototype.hasOwnProperty.call(c.requests, id) ? c.requests[id] : undefined;

const recordSpends = (c: Controls, event: TreasuryEvent): Controls => {
  // Only budgets read spends: without any, none are kept.
  if ((c.policy?.budgets ?? []).length === 0) return c;
  const flows = outflowsOf([event]).filter((f) => !f.committed && f.internal !== true);
  if (flows.length === 0) return c;
  const horizon = event.at - LONGEST_WINDOW_MS;
  const kept = c.spends.filter((s) => s.at > horizon);
  const added = flows.map((f): SpendRecord => ({
    at: event.at,
    amount: f.amount,
    category: f.category as OutflowCategory, // internal (swap) flows were filtered out above
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
    case 'OutflowHeld': {
      const c = controls ?? initialControls;
      const request: ApprovalRequest = {
        requestId: event.requestId,
        command: event.command,
        amount: ZERO,
        policyVersion: c.policyVersion,
        approvers: [],
        required: 0,
        requestedAt: event.at,
        expiresAt: MAX_INSTANT_MS as Instant,
        approvedBy: [],
        status: 'held',
      };
      return { ...c, requests: { ...c.requests, [event.requestId]: request }, requestCount: c.requestCount + 1 };
    }
    case 'RequestCancelled':
      return controls && withRequest(controls, event.requestId, { status: 'cancelled' });
    case 'RequestApproved': {
      const request = requestOf(controls, event.requestId);
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

/** Escrow payments held by an emergency stop, oldest first: they execute when it lifts. */
export const heldRequests = (controls: Controls | undefined): ApprovalRequest[] =>
  Object.values(controls?.requests ?? {}).filter((r) => r.status === 'held');

/** Requests still waiting for approvals, oldest first. */
export const pendingRequests = (controls: Controls | undefined): ApprovalRequest[] =>
  Object.values(controls?.requests ?? {})
    .filter((r) => r.status === 'pending')
    .sort((a, b) => a.requestedAt - b.requestedAt || (a.requestId < b.requestId ? -1 : 1));
