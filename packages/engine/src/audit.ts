import type { EventStore, VerifyReport } from '@ballast/event-store';
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { kindOfStream } from './aggregate-kinds';
import { fromRecorded } from './event-mapping';
import { stateDigest } from './state-digest';

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
  /** sha256 over every aggregate's stream id and digest, in stream order. */
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
  const states = new Map<string, { kind: string; state: unknown; revision: number; evolve: (s: unknown, e: unknown) => unknown }>();
  const others = new Set<string>();
  let events = 0;
  let problem: AuditProblem | undefined = chains.ok ? undefined : { ...chains.problem, kind: chains.problem.kind };
  if (!problem) {
    for await (const recorded of store.readAll()) {
      events += 1;
      const kind = kindOfStream(recorded.streamId);
      if (!kind) {
        others.add(recorded.streamId);
        continue;
      }
      const event = fromRecorded(kind, recorded);
      if (E.isLeft(event)) {
        problem = { kind: 'UNDECODABLE_EVENT', streamId: recorded.streamId, revision: recorded.revision, message: event.left.message };
        break;
      }
      const entry = states.get(recorded.streamId) ?? { kind: kind.category, state: kind.decider.initialState, revision: -1, evolve: kind.decider.evolve };
      entry.state = entry.evolve(entry.state, event.right);
      entry.revision = recorded.revision;
      states.set(recorded.streamId, entry);
    }
  }
  const aggregates = [...states]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([streamId, s]) => ({ streamId, kind: s.kind, revision: s.revision, digest: stateDigest(s.state) }));
  const total = createHash('sha256');
  for (const a of aggregates) total.update(`${a.streamId}\u0000${a.digest}\n`);
  return { ok: problem === undefined, chains, events, aggregates, otherStreams: others.size, totalDigest: total.digest('hex'), ...(problem ? { problem } : {}) };
};
