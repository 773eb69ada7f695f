import * as t from 'io-ts';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { boundedArray, boundedInt, patternString } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { ActorIdCodec } from '../ids';
import { DAY_MS, HOUR_MS } from '../instant';
import type { SpendWindow } from './spend-windows';

export interface CounterpartyBrand {
  readonly Counterparty: unique symbol;
}
/**
 * Who money goes to, as `kind:id`: `treasury:bob` and `pool:main` for aggregates (a transfer's
 * party), or any other kind for an outside destination of a withdrawal (`bank:acme-1`,
 * `address:0xab12…`).
 */
export const CounterpartyCodec = patternString<CounterpartyBrand>(
  'counterparty',
  /^[a-z][a-z0-9-]{0,15}:[A-Za-z0-9][A-Za-z0-9_.:@-]*$/,
  160,
  'kind:id, e.g. treasury:bob, pool:main or bank:acme-1',
);
export type Counterparty = t.TypeOf<typeof CounterpartyCodec>;

/** What an outflow pays for; a budget without a category counts them all. */
export const OutflowCategoryCodec = t.keyof(
  { withdrawal: null, escrow: null, casino: null, margin: null, premium: null, stake: null, transfer: null },
  'outflow category',
);
export type OutflowCategory = t.TypeOf<typeof OutflowCategoryCodec>;

/** Rolling windows end now and reach back their length; calendar ones are the current UTC day or month. */
export const BudgetWindowCodec = t.keyof(
  { '1h': null, '24h': null, '7d': null, '30d': null, 'calendar-day': null, 'calendar-month': null },
  'budget window',
);
export type BudgetWindow = t.TypeOf<typeof BudgetWindowCodec>;

export const spendWindowOf = (w: BudgetWindow): SpendWindow => {
  switch (w) {
    case '1h':
      return { kind: 'rolling', ms: HOUR_MS };
    case '24h':
      return { kind: 'rolling', ms: DAY_MS };
    case '7d':
      return { kind: 'rolling', ms: 7 * DAY_MS };
    case '30d':
      return { kind: 'rolling', ms: 30 * DAY_MS };
    case 'calendar-day':
      return { kind: 'calendar', unit: 'day' };
    case 'calendar-month':
      return { kind: 'calendar', unit: 'month' };
  }
};

/** The longest any window reaches back (a calendar month starts at most 31 days before now): older spends can go. */
export const LONGEST_WINDOW_MS = 31 * DAY_MS;

const BudgetNameCodec = patternString<CounterpartyBrand>(
  'budget name',
  /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
  40,
  'letters, digits and _ . -',
);

export const BudgetCodec = strict(
  { name: BudgetNameCodec, window: BudgetWindowCodec, limit: NonNegativeMoneyFromString },
  { category: OutflowCategoryCodec, counterparty: CounterpartyCodec },
  'Budget',
);
export type Budget = t.TypeOf<typeof BudgetCodec>;

/** Whether a budget counts an outflow: one without a category or counterparty counts them all. */
export const budgetCounts = (
  b: Budget,
  outflow: { readonly category: string; readonly counterparty?: string | undefined },
): boolean =>
  (b.category === undefined || b.category === outflow.category) &&
  (b.counterparty === undefined || b.counterparty === outflow.counterparty);

export const ApprovalRuleCodec = strict(
  {
    /** A move paying out more than this (all its outflows together) waits for approvals. */
    threshold: PositiveMoneyFromString,
    /** How many distinct approvers must agree (M of N). */
    required: boundedInt('required approvals', 1, 32),
    /** A request not approved within this long (event time) expires and never executes. */
    expiresMs: boundedInt('expires ms', 60_000, 90 * DAY_MS),
  },
  {
    /** The operators whose approval counts (their key principals); without it, any distinct operators. */
    approvers: boundedArray(ActorIdCodec, 1, 32, 'approvers'),
    /** Policy changes wait for the same approvals, whatever they change. */
    policyChanges: t.boolean,
  },
  'ApprovalRule',
);
export type ApprovalRule = t.TypeOf<typeof ApprovalRuleCodec>;

/**
 * A treasury's spend policy: windowed budgets, counterparty lists (escrow payees and withdrawal
 * destinations) and approvals for large moves. Every part is optional; a treasury without a policy
 * decides exactly as before.
 */
export const SpendPolicyCodec = strict(
  {},
  {
    budgets: boundedArray(BudgetCodec, 0, 32, 'budgets'),
    /** Escrow payees and withdrawal destinations: with `allow`, only those; `deny` is refused always. */
    allow: boundedArray(CounterpartyCodec, 0, 256, 'allow-list'),
    deny: boundedArray(CounterpartyCodec, 0, 256, 'deny-list'),
    approvals: ApprovalRuleCodec,
    /** How many distinct operators must lift an emergency stop (default 1; approvers only, if named). */
    liftRequired: boundedInt('lift approvals', 1, 32),
  },
  'SpendPolicy',
);
export type SpendPolicy = t.TypeOf<typeof SpendPolicyCodec>;

/** The rules a policy must satisfy beyond its shape. */
export const policyProblems = (p: SpendPolicy): string[] => {
  const problems: string[] = [];
  const names = (p.budgets ?? []).map((b) => b.name);
  const dupes = [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  if (dupes.length > 0) problems.push(`budget names repeat: ${dupes.join(', ')}`);
  const both = (p.allow ?? []).filter((c) => (p.deny ?? []).includes(c));
  if (both.length > 0) problems.push(`counterparties both allowed and denied: ${both.join(', ')}`);
  if (p.approvals?.approvers) {
    const unique = new Set(p.approvals.approvers);
    if (unique.size !== p.approvals.approvers.length) problems.push('approvers repeat');
    if (p.approvals.required > unique.size)
      problems.push(`approvals need ${p.approvals.required} of only ${unique.size} approver(s)`);
    if (p.liftRequired !== undefined && p.liftRequired > unique.size)
      problems.push(`lifting an emergency stop needs ${p.liftRequired} of only ${unique.size} approver(s)`);
  }
  return problems;
};
