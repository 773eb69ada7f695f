import type { RecordedEvent } from '@ballast/domain';

/**
 * A read model: a name, a version (bump it when `evolve` changes, and the projection rebuilds from
 * the first event), an initial state and a fold over recorded events. States are JSON plus decimals
 * and sets (see state-json.ts), so a checkpoint stores them exactly. `evolve` may throw: the runner retries
 * it, then parks the event as a dead letter and reports it; it never skips one silently.
 */
export interface Projection<S> {
  readonly name: string;
  readonly version: number;
  readonly initial: S;
  /** May be async (a process manager issues commands here); a rejected promise counts as a failure. */
  evolve(state: S, event: RecordedEvent): S | Promise<S>;
}
