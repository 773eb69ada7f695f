import {
  budgetCounts,
  type Controls,
  pendingRequests,
  spendWindowOf,
  spentIn,
  TreasuryCommandCodec,
} from '@ballast/domain';
import type { TreasuryAccounts } from './treasury-overview';

export interface PendingApprovalRow {
  readonly treasuryId: string;
  readonly requestId: string;
  /** The held command in its JSON wire form (as it would be sent), `type` first. */
  readonly command: { readonly type: string } & Readonly<Record<string, unknown>>;
  /** What the move pays out (all its outflows together); 0 for a held policy change. */
  readonly amount: string;
  readonly policyVersion: number;
  readonly approvers: readonly string[];
  readonly required: number;
  readonly approvedBy: readonly string[];
  readonly requestedAt: number;
  readonly expiresAt: number;
  readonly requestedBy?: string;
}

/** Opened treasuries that have spend controls, in id order. */
const withControls = (accounts: TreasuryAccounts): [string, Controls, number][] =>
  Object.entries(accounts)
    .filter(([, a]) => a.treasury.opened && a.treasury.controls !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([id, a]) => [id, a.treasury.controls!, a.treasury.lastAt]);

/**
 * The pending-approvals read model: every request still waiting for approvals, in every treasury,
 * soonest expiry first (what an approver should look at next). A view over `treasuryAccounts`, so
 * it shows exactly the requests the decider would act on; a request past its expiry stays listed
 * until time passes in its treasury (any command there, a Tick) and closes it.
 */
export const pendingApprovals = (accounts: TreasuryAccounts): PendingApprovalRow[] =>
  withControls(accounts)
    .flatMap(([treasuryId, controls]) =>
      pendingRequests(controls).map((r): PendingApprovalRow => ({
        treasuryId,
        requestId: r.requestId,
        command: TreasuryCommandCodec.encode(r.command),
        amount: r.amount.toFixed(),
        policyVersion: r.policyVersion,
        approvers: r.approvers,
        required: r.required,
        approvedBy: r.approvedBy,
        requestedAt: r.requestedAt,
        expiresAt: r.expiresAt,
        ...(r.requestedBy === undefined ? {} : { requestedBy: r.requestedBy }),
      })),
    )
    .sort(
      (a, b) =>
        a.expiresAt - b.expiresAt ||
        (a.treasuryId === b.treasuryId ? 0 : a.treasuryId < b.treasuryId ? -1 : 1) ||
        (a.requestId < b.requestId ? -1 : 1),
    );

export interface BudgetStanding {
  readonly name: string;
  readonly window: string;
  /** Absent: the budget counts every category (or every counterparty). */
  readonly category?: string;
  readonly counterparty?: string;
  readonly limit: string;
  /** What the window holds as of the treasury's last event. */
  readonly spent: string;
}

export interface TreasuryControlsRow {
  readonly treasuryId: string;
  readonly policyVersion: number;
  readonly mode: 'normal' | 'reduce-only';
  readonly emergencyStop: {
    readonly by: string;
    readonly at: number;
    readonly reason?: string;
    readonly lifts: readonly string[];
    readonly liftRequired: number;
  } | null;
  readonly budgets: readonly BudgetStanding[];
}

/**
 * The treasury-controls read model: per treasury with controls, its policy version, mode, emergency
 * stop and each budget's spend. "Now" is the treasury's last event time, not the wall clock, so the
 * view is a pure function of the log (a rolling window empties only as the treasury's time moves).
 */
export const treasuryControls = (accounts: TreasuryAccounts): TreasuryControlsRow[] =>
  withControls(accounts).map(([treasuryId, c, lastAt]) => ({
    treasuryId,
    policyVersion: c.policyVersion,
    mode: c.mode,
    emergencyStop:
      c.stopped === undefined
        ? null
        : {
            by: c.stopped.by,
            at: c.stopped.at,
            ...(c.stopped.reason === undefined ? {} : { reason: c.stopped.reason }),
            lifts: c.stopped.lifts,
            liftRequired: c.policy?.liftRequired ?? 1,
          },
    budgets: (c.policy?.budgets ?? []).map((b) => ({
      name: b.name,
      window: b.window,
      ...(b.category === undefined ? {} : { category: b.category }),
      ...(b.counterparty === undefined ? {} : { counterparty: b.counterparty }),
      limit: b.limit.toFixed(),
      spent: spentIn(
        c.spends.filter((s) => budgetCounts(b, s)),
        spendWindowOf(b.window),
        lastAt,
      ).toFixed(),
    })),
  }));
