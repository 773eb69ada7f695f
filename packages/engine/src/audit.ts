import type { EventStore, VerifyReport } from '@ballast/event-store';
import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@ballast/domain';
import { kindOfStream } from './aggregate-kinds';
import { AuditLedger, type LedgerReport } from './ledger-audit';
import { type Projection, startFold } from './projections/projection';
import {
  auditTrail,
  breakerHistory,
  decodeDomain,
  type DomainEvent,
  escrowStates,
  poolStates,
  treasuryAccounts,
} from './read-models';
import { evolveShared } from './read-models/aggregate-states';
import { stateDigest } from './state-digest';

/** The read models an audit rebuilds from the first event (all folds here are synchronous). */
const READ_MODELS = [treasuryAccounts, breakerHistory, poolStates, escrowStates, auditTrail];

export interface AggregateDigest {
  readonly streamId: string;
  readonly kind: string;
  readonly revision: number;
  readonly digest: string;
}

export interface AuditProblem {
  readonly kind: string;
  readonly streamId: string;
  readonly revision: number;
  readonly message: string;
}

export interface AuditReport {
  readonly ok: boolean;
  readonly chains: VerifyReport;
  readonly events: number;
  readonly aggregates: readonly AggregateDigest[];
  /** Streams outside Ballast's categories: their chains are verified, they are not folded. */
  readonly otherStreams: number;
  /** Every read model re-folded from the first event, with its digest. */
  readonly projections: readonly { readonly name: string; readonly digest: string }[];
  /** G6: the double-entry ledger over every money event, reconciled with every aggregate's state. */
  readonly ledger: LedgerReport;
  /** sha256 over every aggregate's and read model's digest, in order. */
  readonly totalDigest: string;
  /** The total digest after the first `digestAfter` events, when asked for and the log reached it. */
  readonly digestAfter?: { readonly events: number; readonly totalDigest: string };
  readonly problem?: AuditProblem;
}

/**
 * The auditor's replay: verify every hash chain, re-fold every aggregate from its first event and
 * digest the result. The same events always give the same digests (G1); the first problem is
 * named by stream and revision.
 *
 * One pass over the log: the store hands over each event as soon as its row's hash checks out, and
 * the fold runs there and then (memory grows with streams and aggregates, not events). A broken
 * chain anywhere still wins over a fold problem, and reports nothing folded, as when the chains were
 * verified first: what was folded from an unproven log is dropped.
 */
export const auditStore = async (store: EventStore, options: AuditOptions = {}): Promise<AuditReport> => {
  const replay = new AuditReplay(options.digestAfter);
  const { observe } = options;
  const chains = await store.verify({
    onEvent: (recorded) => {
      replay.add(recorded);
      observe?.(recorded);
    },
  });
  if (!chains.ok) return new AuditReplay().report(chains, { ...chains.problem, kind: chains.problem.kind });
  return replay.report(chains, replay.problem);
};

export interface AuditOptions {
  /** Told of every event the audit folds, once its chain has checked out, in global order. */
  readonly observe?: (recorded: RecordedEvent) => void;
  /**
   * Also take the total digest as it stood after this many events (an anchor's cut), in
   * `digestAfter` of the report: what a signed anchor of that moment should hold.
   */
  readonly digestAfter?: number;
}

interface AggregateEntry {
  readonly kind: string;
  readonly id: string;
  state: unknown;
  revision: number;
  readonly evolve: (s: unknown, e: unknown) => unknown;
}

/** The fold half of an audit: every aggregate, the ledger and every read model, fed one event at a time. */
class AuditReplay {
  private readonly states = new Map<string, AggregateEntry>();
  private readonly ledger = new AuditLedger();
  private readonly others = new Set<string>();
  private readonly models = READ_MODELS.map((p) => ({
    name: p.name,
    fold: startFold<unknown>(p as Projection<unknown>, p.initial),
  }));
  private events = 0;
  private cut: { readonly events: number; readonly totalDigest: string } | undefined;
  private atCut = false;
  /** The first fold problem; events after it are not folded. */
  problem: AuditProblem | undefined;

  constructor(private readonly digestAfter?: number) {}

  add(recorded: RecordedEvent): void {
    if (this.problem) return;
    if (this.atCut) {
      this.atCut = false;
      this.cut = { events: this.events, totalDigest: this.digests().totalDigest };
    }
    this.events += 1;
    const kind = kindOfStream(recorded.streamId);
    if (!kind) this.others.add(recorded.streamId);
    else {
      let domain: DomainEvent | undefined;
      try {
        domain = decodeDomain(recorded);
      } catch (error) {
        this.problem = {
          kind: 'UNDECODABLE_EVENT',
          streamId: recorded.streamId,
          revision: recorded.revision,
          message: (error as Error).message,
        };
        return;
      }
      const event = domain!.event;
      let entry = this.states.get(recorded.streamId);
      if (entry === undefined) {
        entry = {
          kind: kind.category,
          id: domain!.id,
          state: kind.decider.initialState,
          revision: -1,
          evolve: kind.decider.evolve,
        };
        this.states.set(recorded.streamId, entry);
      }
      this.ledger.post(entry.kind, entry.id, recorded.streamId, recorded.revision, entry.state, event);
      entry.state = evolveShared(entry.evolve, entry.state, event);
      entry.revision = recorded.revision;
    }
    try {
      for (const m of this.models) m.fold.step(recorded);
    } catch (error) {
      this.problem = {
        kind: 'READ_MODEL_FAILED',
        streamId: recorded.streamId,
        revision: recorded.revision,
        message: (error as Error).message,
      };
    }
    // The digest at the cut is taken when the next event comes (the fold still stands at the cut), or
    // by the report when none does: at the log's end it is the total, computed once.
    if (this.events === this.digestAfter && !this.problem) this.atCut = true;
  }

  /** Every aggregate's and read model's digest as the fold stands now, and their total. */
  private digests(): Pick<AuditReport, 'aggregates' | 'projections' | 'totalDigest'> {
    const aggregates = [...this.states]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([streamId, s]) => ({ streamId, kind: s.kind, revision: s.revision, digest: stateDigest(s.state) }));
    const projections = this.models.map((m) => ({ name: m.name, digest: stateDigest(m.fold.finish()) }));
    const total = createHash('sha256');
    for (const a of aggregates) total.update(`${a.streamId}\u0000${a.digest}\n`);
    for (const p of projections) total.update(`projection:${p.name}\u0000${p.digest}\n`);
    return { aggregates, projections, totalDigest: total.digest('hex') };
  }

  report(chains: VerifyReport, foldProblem: AuditProblem | undefined): AuditReport {
    const { states } = this;
    const ledgerReport = this.ledger.finish(states.values());
    const problem = foldProblem ?? (ledgerReport.ok ? undefined : ledgerProblem(ledgerReport, states));
    const { aggregates, projections, totalDigest } = this.digests();
    return {
      ok: problem === undefined,
      chains,
      events: this.events,
      aggregates,
      projections,
      otherStreams: this.others.size,
      ledger: ledgerReport,
      totalDigest,
      ...(this.cut
        ? { digestAfter: this.cut }
        : this.atCut
          ? { digestAfter: { events: this.events, totalDigest } }
          : {}),
      ...(problem ? { problem } : {}),
    };
  }
}

/** The first G6 problem, named by stream and revision (an account's problem names its aggregate's last revision). */
const ledgerProblem = (
  report: LedgerReport,
  states: ReadonlyMap<string, { readonly revision: number }>,
): AuditProblem => {
  const first = report.problems[0]!;
  const owner = first.account?.split('/').slice(0, 2).join('-');
  const streamId = first.streamId ?? owner ?? '';
  const revision = first.revision ?? states.get(streamId)?.revision ?? -1;
  return { kind: `G6_${first.code}`, streamId, revision, message: first.message };
};
