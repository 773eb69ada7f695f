import {
  LedgerBook,
  type LedgerProblem,
  type Money,
  type Party,
  type PoolEvent,
  poolBalances,
  poolPostings,
  type PoolState,
  type TreasuryAccount,
  treasuryBalances,
  type TreasuryEvent,
  treasuryPostings,
} from '@ballast/domain';
import type { AccountName } from '@ballast/domain';

/** The ledger's part of an audit: what G6 proved, and what it could not for history older than transfers. */
export interface LedgerReport {
  readonly ok: boolean;
  readonly postings: number;
  readonly transfers: {
    readonly completed: number;
    readonly pending: number;
    readonly returned: number;
    readonly refused: number;
  };
  /** Money debited and not yet credited or returned, as a decimal string. */
  readonly inFlight: string;
  readonly external: readonly { readonly flow: string; readonly inflow: string; readonly outflow: string }[];
  /**
   * Events written before transfers existed that moved money with one leg (stakes and premiums
   * credited to a pool, payouts and escrow payments credited to a treasury). G6 books them as
   * the external flow `legacy`: it proves the system balances with them, not that they were paid.
   */
  readonly legacyEvents: number;
  readonly problems: readonly LedgerProblem[];
  readonly problemCount: number;
}

const LEGACY_TYPES = new Set([
  'LegacyEscrowReleased',
  'PaymentReceived',
  'LegacyMemberJoined',
  'LegacyPremiumCollected',
  'LegacyClaimPaid',
]);

/** Feeds every treasury and pool event of an audit into the double-entry ledger, with the state it was decided on. */
export class AuditLedger {
  private readonly book = new LedgerBook();
  private legacy = 0;

  post(kind: string, id: string, streamId: string, revision: number, before: unknown, event: { type: string }): void {
    if (LEGACY_TYPES.has(event.type)) this.legacy += 1;
    // No closure per event: this runs once per event of the whole log.
    if (kind === 'treasury')
      this.book.post(
        { party: { kind: 'treasury', id } as Party, streamId, revision },
        treasuryPostings(id, (before as TreasuryAccount).treasury, event as TreasuryEvent),
      );
    else if (kind === 'pool')
      this.book.post(
        { party: { kind: 'pool', id } as Party, streamId, revision },
        poolPostings(id, before as PoolState, event as PoolEvent),
      );
  }

  /** Reconciles with the aggregates' final states and reports. */
  finish(states: Iterable<{ readonly kind: string; readonly id: string; readonly state: unknown }>): LedgerReport {
    const expected: [AccountName, Money][] = [];
    for (const s of states) {
      if (s.kind === 'treasury') expected.push(...treasuryBalances(s.id, (s.state as TreasuryAccount).treasury));
      if (s.kind === 'pool') expected.push(...poolBalances(s.id, s.state as PoolState));
    }
    const late = this.book.reconcile(expected);
    const problems = [...this.book.problems, ...late];
    return {
      ok: problems.length === 0,
      postings: this.book.postings,
      transfers: this.book.transferCounts(),
      inFlight: this.book.inFlight().toFixed(),
      external: this.book
        .externalFlows()
        .map((f) => ({ flow: f.flow, inflow: f.inflow.toFixed(), outflow: f.outflow.toFixed() })),
      legacyEvents: this.legacy,
      problems,
      problemCount: this.book.problemCount + late.length,
    };
  }
}
