import * as E from 'fp-ts/Either';
import type { RejectionDetail } from '../decider';
import { type Instant, instantToIso } from '../instant';
import { addMoney, type Money, ZERO } from '../money';
import { type Budget, spendWindowOf } from '../policy/policy-codecs';
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

const sum = (flows: readonly Outflow[]): Money => flows.reduce((n, f) => addMoney(n, f.amount), ZERO as Money);

const matches = (b: Budget, f: { category: string; counterparty?: string | undefined }): boolean =>
  (b.category === undefined || b.category === f.category) &&
  (b.counterparty === undefined || b.counterparty === f.counterparty);

const spendsFor = (b: Budget, spends: readonly SpendRecord[]) => spends.filter((s) => matches(b, s));

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
    const blocked = flows.filter((f) => !f.committed && f.category !== 'premium');
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

/** Escrow payees and withdrawal destinations against the policy's lists. */
const counterpartyRefusal = (
  c: TreasuryCommand,
  controls: Controls,
  flows: readonly Outflow[],
): TreasuryRejection | undefined => {
  const policy = controls.policy!;
  const version = controls.policyVersion;
  for (const f of flows) {
    if (f.committed || (f.category !== 'escrow' && f.category !== 'withdrawal')) continue;
    const who = f.counterparty;
    if (who !== undefined && (policy.deny ?? []).includes(who))
      return refuseMove(c, 'COUNTERPARTY_DENIED', `${who} is on the deny-list: no ${f.category} may pay it`, {
        counterparty: who,
        category: f.category,
        amount: f.amount,
        policyVersion: version,
      });
    if (policy.allow === undefined) continue;
    if (who === undefined)
      return refuseMove(
        c,
        'COUNTERPARTY_REQUIRED',
        `the policy allows ${f.category} payments only to listed counterparties: name the ${
          f.category === 'withdrawal' ? 'destination (to)' : 'payee'
        }`,
        { category: f.category, amount: f.amount, allowed: policy.allow.join(','), policyVersion: version },
      );
    if (!policy.allow.includes(who))
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
    const counted = flows.filter((f) => !f.committed && matches(b, f));
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
  executing: string | undefined,
): Decision => {
  if (controls === undefined) return E.right(events);
  const flows = outflowsOf(events);
  if (flows.length === 0) return E.right(events);
  const mode = modeRefusal(c, controls, flows);
  if (mode) return E.left(mode);
  const policy = controls.policy;
  if (policy === undefined) return E.right(events);
  const listed = counterpartyRefusal(c, controls, flows);
  if (listed) return E.left(listed);
  const budgets = checkBudgets(c, controls, flows, c.at);
  if (E.isLeft(budgets)) return budgets;
  const outflow = newSpending(flows);
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
