import * as E from 'fp-ts/Either';
import type { RejectionDetail } from '../decider';
import { type Instant, instantToIso } from '../instant';
import { addMoney, type Money, ZERO } from '../money';
import { type Budget, budgetCounts, spendWindowOf } from '../policy/policy-codecs';
import { checkBudget, spentIn } from '../policy/spend-windows';
import type { Decision } from './account';
import type { TreasuryCommand } from './commands';
import type { Controls, SpendRecord } from './controls';
import type { TreasuryEvent } from './events';
import { newSpending, type Outflow, outflowsOf } from './outflows';
import { refuseMove } from './policy-refusals';
import type { TreasuryRejection } from './rejections';

const describe = (flows: readonly Outflow[]): string =>
  flows.map((f) => `${f.category} ${f.amount.toFixed()}${f.counterparty ? ` to ${f.counterparty}` : ''}`).join(', ');

/** The request whose approvals are complete, executing now, and the amount its approvers saw. */
export interface ExecutingRequest {
  readonly requestId: string;
  readonly amount: Money;
}

const sum = (flows: readonly Outflow[]): Money => flows.reduce((n, f) => addMoney(n, f.amount), ZERO as Money);

const spendsFor = (b: Budget, spends: readonly SpendRecord[]) => spends.filter((s) => budgetCounts(b, s));

/** The modes: an emergency stop holds every outflow; reduce-only lets existing commitments and premiums through. */
const modeRefusal = (
  c: TreasuryCommand,
  controls: Controls,
  flows: readonly Outflow[],
): TreasuryRejection | undefined => {
  const version = controls.policyVersion;
  if (controls.stopped) {
    const { by, at, lifts } = controls.stopped;
    const required = controls.policy?.liftRequired ?? 1;
    return refuseMove(
      c,
      'EMERGENCY_STOP',
      `emergency stop since ${instantToIso(at)} (by ${by}): every outflow is frozen (this one: ${describe(flows)}); ` +
        `money may still come in and positions may close; ${required} operator(s) must lift it, ${lifts.length} have`,
      {
        blocked: describe(flows),
        amount: sum(flows),
        stoppedBy: by,
        stoppedAt: at,
        liftVotes: lifts.length,
        liftRequired: required,
        policyVersion: version,
      },
    );
  }
  if (controls.mode === 'reduce-only') {
    const blocked = flows.filter((f) => !f.committed && f.category !== 'premium' && f.reducing !== true);
    if (blocked.length === 0) return undefined;
    return refuseMove(
      c,
      'REDUCE_ONLY',
      `reduce-only mode: nothing new opens and nothing is spent (this one: ${describe(blocked)}); ` +
        'positions may close, bets settle, escrows already locked pay out and premiums keep existing cover',
      { blocked: describe(blocked), amount: sum(blocked), mode: 'reduce-only', policyVersion: version },
    );
  }
  return undefined;
};

/**
 * Counterparties against the policy's lists: the deny-list holds for every outflow that names one;
 * the allow-list for withdrawals, escrow payees and plain transfers (a pool's premiums and stakes
 * are the pool's business). Where any list or a counterparty budget exists, a withdrawal or lock
 * must name whom it pays, or leaving the name out would slip past them.
 */
const counterpartyRefusal = (
  c: TreasuryCommand,
  controls: Controls,
  flows: readonly Outflow[],
): TreasuryRejection | undefined => {
  const policy = controls.policy!;
  const version = controls.policyVersion;
  const scoped =
    policy.allow !== undefined || policy.deny !== undefined || (policy.budgets ?? []).some((b) => b.counterparty);
  for (const f of flows) {
    if (f.committed) continue;
    const who = f.counterparty;
    if (who !== undefined && (policy.deny ?? []).includes(who))
      return refuseMove(c, 'COUNTERPARTY_DENIED', `${who} is on the deny-list: no ${f.category} may pay it`, {
        counterparty: who,
        category: f.category,
        amount: f.amount,
        policyVersion: version,
      });
    if (f.category !== 'withdrawal' && f.category !== 'escrow' && f.category !== 'transfer') continue;
    if (who === undefined) {
      if (!scoped) continue;
      return refuseMove(
        c,
        'COUNTERPARTY_REQUIRED',
        `the policy names counterparties, so a ${f.category} must name whom it pays (${
          f.category === 'withdrawal' ? 'to' : 'payee'
        })`,
        { category: f.category, amount: f.amount, allowed: (policy.allow ?? []).join(','), policyVersion: version },
      );
    }
    if (policy.allow !== undefined && !policy.allow.includes(who))
      return refuseMove(c, 'COUNTERPARTY_NOT_ALLOWED', `${who} is not on the allow-list for ${f.category} payments`, {
        counterparty: who,
        category: f.category,
        amount: f.amount,
        allowed: policy.allow.join(','),
        policyVersion: version,
      });
  }
  return undefined;
};

interface BudgetUse {
  readonly name: string;
  readonly window: string;
  readonly spent: Money;
  readonly limit: Money;
}

/** Each budget this move counts against: refused with the numbers, or what each holds after it. */
const checkBudgets = (
  c: TreasuryCommand,
  controls: Controls,
  flows: readonly Outflow[],
  at: Instant,
): E.Either<TreasuryRejection, BudgetUse[]> => {
  const uses: BudgetUse[] = [];
  for (const b of controls.policy!.budgets ?? []) {
    const counted = flows.filter((f) => !f.committed && f.internal !== true && budgetCounts(b, f));
    if (counted.length === 0) continue;
    const amount = sum(counted);
    const window = spendWindowOf(b.window);
    const spends = spendsFor(b, controls.spends);
    const check = checkBudget(spends, window, b.limit, amount, at);
    if (!check.ok) {
      const details: Record<string, RejectionDetail> = {
        budget: b.name,
        window: b.window,
        category: b.category ?? 'any',
        ...(b.counterparty === undefined ? {} : { counterparty: b.counterparty }),
        limit: b.limit,
        spent: check.spent,
        amount,
        wouldBe: addMoney(check.spent, amount),
        freesAt: check.freesAt ?? 'never',
        ...(check.freesAt === undefined ? {} : { freesAtIso: new Date(check.freesAt).toISOString() }),
        policyVersion: controls.policyVersion,
      };
      const when =
        check.freesAt === undefined
          ? `${amount.toFixed()} alone is more than the budget: it never fits`
          : `enough of it frees up at ${new Date(check.freesAt).toISOString()}`;
      return E.left(
        refuseMove(
          c,
          'BUDGET_EXCEEDED',
          `budget ${b.name} (${b.window}, ${b.category ?? 'every outflow'}${b.counterparty ? ` to ${b.counterparty}` : ''}) ` +
            `allows ${b.limit.toFixed()}; ${check.spent.toFixed()} is spent in the window and this adds ` +
            `${amount.toFixed()}; ${when}`,
          details,
        ),
      );
    }
    uses.push({ name: b.name, window: b.window, spent: addMoney(spentIn(spends, window, at), amount), limit: b.limit });
  }
  return E.right(uses);
};

/**
 * The spend controls over a move the treasury's own rules accepted: modes, counterparties, budgets
 * and the approval threshold, in that order, judged on the outflows among its events. An allowed
 * move is prefixed with OutflowChecked (the policy version and budgets that allowed it); a move above
 * the threshold becomes an ApprovalRequested instead, unless it is that request being executed.
 */
export const gateMove = (
  c: TreasuryCommand,
  controls: Controls | undefined,
  events: readonly TreasuryEvent[],
  executing: ExecutingRequest | undefined,
): Decision => {
  if (controls === undefined) return E.right(events);
  const flows = outflowsOf(events);
  if (flows.length === 0) return E.right(events);
  // An escrow paying out what it already locked is held through a stop, not refused: refused, its
  // money would stay locked for good (the escrow is released), held, it pays when the stop lifts.
  if (controls.stopped && c.type === 'ReleaseEscrow' && executing === undefined)
    return E.right([
      { type: 'OutflowHeld', at: c.at, requestId: `req-${controls.requestCount + 1}` as never, command: c },
    ]);
  const mode = modeRefusal(c, controls, flows);
  if (mode) return E.left(mode);
  const policy = controls.policy;
  if (policy === undefined) return E.right(events);
  const listed = counterpartyRefusal(c, controls, flows);
  if (listed) return E.left(listed);
  const budgets = checkBudgets(c, controls, flows, c.at);
  if (E.isLeft(budgets)) return budgets;
  const outflow = newSpending(flows);
  // What executes is what was approved, or less: a move sized when it runs (Kelly, all of a lock)
  // must not grow past the amount its approvers saw.
  if (executing !== undefined && outflow.gt(executing.amount))
    return E.left(
      refuseMove(
        c,
        'APPROVED_AMOUNT_EXCEEDED',
        `request ${executing.requestId} was approved for ${executing.amount.toFixed()}; ` +
          `as things stand now it would pay out ${outflow.toFixed()}`,
        {
          requestId: executing.requestId,
          approved: executing.amount,
          amount: outflow,
          policyVersion: controls.policyVersion,
        },
      ),
    );
  const rule = policy.approvals;
  if (rule !== undefined && executing === undefined && outflow.gt(rule.threshold)) {
    return E.right([
      {
        type: 'ApprovalRequested',
        at: c.at,
        requestId: `req-${controls.requestCount + 1}` as never,
        command: c,
        amount: outflow,
        threshold: rule.threshold,
        policyVersion: controls.policyVersion,
        approvers: rule.approvers ?? [],
        required: rule.required,
        expiresAt: (c.at + rule.expiresMs) as Instant,
      },
    ]);
  }
  return E.right([
    {
      type: 'OutflowChecked',
      at: c.at,
      command: c.type,
      policyVersion: controls.policyVersion,
      outflow,
      budgets: budgets.right,
    },
    ...events,
  ]);
};
