import type { EventStore, VerifyReport } from '@ballast/event-store';
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { kindOfStream } from './aggregate-kinds';
import { fromRecorded } from './event-mapping';
import { AuditLedger, type LedgerReport } from './ledger-audit';
import { auditTrail, breakerHistory, escrowStates, poolStates, treasuryAccounts } from './read-models';
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
  readonly problem?: AuditProblem;
}

/**
 * The auditor's replay: verify every hash chain, then re-fold every aggregate from its first event
 * and digest the result. The same events always give the same digests (G1); the first problem is
 * named by stream and revision.
 */
export const auditStore = async (store: EventStore): Promise<AuditReport> => {
  const chains = await store.verify();
  const states = new Map<string, { kind: string; id: string; state: unknown; revision: number; evolve: (s: unknown, e: unknown) => unknown }>();
  const ledger = new AuditLedger();
  const others = new Set<string>();
  let events = 0;
  let problem: AuditProblem | undefined = chains.ok ? undefined : { ...chains.problem, kind: chains.problem.kind };
  const models = READ_MODELS.map((p) => ({ projection: p, state: p.initial as unknown }));
  if (!problem) {
    for await (const recorded of store.readAll()) {
      events += 1;
      const kind = kindOfStream(recorded.streamId);
      if (!kind) others.add(recorded.streamId);
      else {
        const event = fromRecorded(kind, recorded);
        if (E.isLeft(event)) {
          problem = { kind: 'UNDECODABLE_EVENT', streamId: recorded.streamId, revision: recorded.revision, message: event.left.message };
          break;
        }
        const entry = states.get(recorded.streamId) ?? { kind: kind.category, id: recorded.streamId.slice(kind.category.length + 1), state: kind.decider.initialState, revision: -1, evolve: kind.decider.evolve };
        ledger.post(entry.kind, entry.id, recorded.streamId, recorded.revision, entry.state, event.right);
        entry.state = entry.evolve(entry.state, event.right);
        entry.revision = recorded.revision;
        states.set(recorded.streamId, entry);
      }
      try {
        for (const m of models) m.state = (m.projection.evolve as (s: unknown, e: typeof recorded) => unknown)(m.state, recorded);
      } catch (error) {
        problem = { kind: 'READ_MODEL_FAILED', streamId: recorded.streamId, revision: recorded.revision, message: (error as Error).message };
        break;
      }
    }
  }
  const ledgerReport = ledger.finish(states.values());
  if (!problem && !ledgerReport.ok) problem = ledgerProblem(ledgerReport, states);
  const aggregates = [...states]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([streamId, s]) => ({ streamId, kind: s.kind, revision: s.revision, digest: stateDigest(s.state) }));
  const projections = models.map((m) => ({ name: m.projection.name, digest: stateDigest(m.state) }));
  const total = createHash('sha256');
  for (const a of aggregates) total.update(`${a.streamId}\u0000${a.digest}\n`);
  for (const p of projections) total.update(`projection:${p.name}\u0000${p.digest}\n`);
  return { ok: problem === undefined, chains, events, aggregates, projections, otherStreams: others.size, ledger: ledgerReport, totalDigest: total.digest('hex'), ...(problem ? { problem } : {}) };
};

/** The first G6 problem, named by stream and revision (an account's problem names its aggregate's last revision). */
const ledgerProblem = (report: LedgerReport, states: ReadonlyMap<string, { readonly revision: number }>): AuditProblem => {
  const first = report.problems[0]!;
  const owner = first.account?.split('/').slice(0, 2).join('-');
  const streamId = first.streamId ?? owner ?? '';
  const revision = first.revision ?? states.get(streamId)?.revision ?? -1;
  return { kind: `G6_${first.code}`, streamId, revision, message: first.message };
};
