import { Decimal, type TreasuryEvent } from '@ballast/domain';

/**
 * The spend-control invariants, checked on a treasury's event log alone and written apart from the
 * decider (windows re-derived here, not with its checkBudget), so a decider that breaks a rule
 * cannot also excuse it. Each returns the first violation in words, or undefined.
 */

export interface BudgetRule {
  readonly name: string;
  readonly windowMs: number;
  readonly limit: string;
  /** Which outflow events count (by type), and to whom (a withdrawal's `to`), when limited. */
  readonly types: readonly string[];
  readonly to?: string;
}

interface Out {
  readonly type: string;
  readonly at: number;
  readonly amount: Decimal;
  readonly to?: string;
}

const outflowOf = (e: TreasuryEvent): Out | undefined => {
  switch (e.type) {
    case 'FundsWithdrawn':
      return { type: e.type, at: e.at, amount: e.amount, ...(e.to === undefined ? {} : { to: e.to }) };
    case 'BetPlaced':
      return { type: e.type, at: e.at, amount: e.stake };
    case 'PositionOpened':
      return { type: e.type, at: e.at, amount: e.margin };
    case 'EscrowLocked':
      return { type: e.type, at: e.at, amount: e.amount.plus(e.fee) };
    case 'EscrowReleased':
      return { type: e.type, at: e.at, amount: e.amount.plus(e.fee) };
    case 'TransferSent':
      return { type: e.type, at: e.at, amount: e.amount, to: `${e.to.kind}:${e.to.id}` };
    default:
      return undefined;
  }
};

/** BUDGET: at every outflow's instant, what a rolling budget counts over (at − window, at] is at most its limit. */
export const budgetViolation = (events: readonly TreasuryEvent[], budgets: readonly BudgetRule[]) => {
  const outs = events.flatMap((e) => outflowOf(e) ?? []);
  for (const b of budgets) {
    const counted = outs.filter((o) => b.types.includes(o.type) && (b.to === undefined || o.to === b.to));
    for (const o of counted) {
      const inWindow = counted.filter((p) => p.at > o.at - b.windowMs && p.at <= o.at);
      const total = inWindow.reduce((n, p) => n.plus(p.amount), new Decimal(0));
      if (total.gt(b.limit))
        return `budget ${b.name}: ${total.toFixed()} in the window ending ${o.at}, above its limit ${b.limit}`;
    }
  }
  return undefined;
};

/**
 * APPROVAL: every outflow above the threshold is executed by the last of `required` approvals from
 * distinct listed approvers, in the same decision (RequestExecuted just before it); a request
 * executes at most once, and never after it was denied or expired.
 */
export const approvalViolation = (events: readonly TreasuryEvent[], threshold: string) => {
  const approvals = new Map<string, Set<string>>();
  const requests = new Map<
    string,
    { approvers: readonly string[]; required: number; amount: Decimal; closed?: string }
  >();
  // What the request being executed may still pay out: its move's outflows, no more.
  let executing: Decimal | undefined;
  for (const e of events) {
    if (e.type === 'ApprovalRequested')
      requests.set(e.requestId, { approvers: e.approvers, required: e.required, amount: e.amount });
    if (e.type === 'RequestApproved') {
      const r = requests.get(e.requestId);
      if (r === undefined) return `approval of an unknown request ${e.requestId}`;
      if (!r.approvers.includes(e.approver)) return `${e.approver} approved ${e.requestId} without being an approver`;
      approvals.set(e.requestId, new Set([...(approvals.get(e.requestId) ?? []), e.approver]));
    }
    if (e.type === 'RequestDenied' || e.type === 'RequestExpired' || e.type === 'RequestFailed')
      requests.set(e.requestId, { ...requests.get(e.requestId)!, closed: e.type });
    if (e.type === 'RequestExecuted') {
      const r = requests.get(e.requestId);
      if (r === undefined) return `execution of an unknown request ${e.requestId}`;
      if (r.closed !== undefined) return `${e.requestId} executed after ${r.closed}`;
      const distinct = approvals.get(e.requestId)?.size ?? 0;
      if (distinct < r.required) return `${e.requestId} executed with ${distinct} of ${r.required} distinct approvals`;
      requests.set(e.requestId, { ...r, closed: 'RequestExecuted' });
      executing = r.amount;
      continue;
    }
    const out = outflowOf(e);
    if (out === undefined || out.type === 'EscrowReleased') continue;
    if (executing !== undefined && out.amount.lte(executing)) {
      executing = executing.minus(out.amount);
      if (executing.isZero()) executing = undefined;
      continue;
    }
    executing = undefined;
    if (out.amount.gt(threshold))
      return `${e.type} of ${out.amount.toFixed()} at ${e.at} above the threshold ${threshold} without approvals`;
  }
  return undefined;
};

/** STOP: nothing leaves the treasury between an EmergencyStopped and the EmergencyStopLifted that ends it. */
export const stopViolation = (events: readonly TreasuryEvent[]) => {
  let stopped = false;
  for (const e of events) {
    if (e.type === 'EmergencyStopped') stopped = true;
    if (e.type === 'EmergencyStopLifted') stopped = false;
    const out = outflowOf(e);
    if (stopped && out !== undefined) return `${e.type} of ${out.amount.toFixed()} at ${e.at} during an emergency stop`;
  }
  return undefined;
};
