import type { RecordedEvent } from '@ballast/domain';

/**
 * A read model: a name, a version (bump it when `evolve` changes, and the projection rebuilds from
 * the first event), an initial state and a fold over recorded events. States are JSON plus decimals
 * and sets (see state-json.ts), so a checkpoint stores them exactly. `evolve` may throw: the runner retries
 * it, then parks the event as a dead letter and reports it; it never skips one silently.
 *
 * `evolve` must leave the state it is given untouched: the runner has already emitted it to
 * subscribers, who may still hold it. That makes each step pay for copying what it changes, which a
 * live projection (one event at a time) can afford and a fold over millions of events cannot; such a
 * read model also offers `inPlace`.
 */
export interface Projection<S> {
  readonly name: string;
  readonly version: number;
  readonly initial: S;
  /** May be async (a process manager issues commands here); a rejected promise counts as a failure. */
  evolve(state: S, event: RecordedEvent): S | Promise<S>;
  /**
   * The same fold over a private draft changed in place, for a caller that owns the whole fold
   * and shows no state until the end (the audit). `from` is copied, never changed; after `finish`
   * the fold is spent and the state it returned is never changed again, so it is as immutable as
   * one `evolve` returns. Folding any events either way gives the same state
   * (tests/engine/read-models.int.spec.ts checks every read model).
   *
   * Why not in-place updates in the runner, or persistent maps: the runner emits after every event,
   * so it would have to copy on emit (the cost `evolve` already pays), and a persistent map would
   * change the states' shape, their checkpoints and their digests.
   */
  inPlace?(from: S): InPlaceFold<S>;
}

/** A fold in progress over a draft only it can see (see Projection.inPlace). */
export interface InPlaceFold<S> {
  /** Applies one event; may throw, like `evolve`, leaving the draft as it was before the event. */
  step(event: RecordedEvent): void;
  finish(): S;
}

/**
 * A projection's fold from `from` in place when it offers one, else step by step through `evolve`
 * (which must then be synchronous: an audit is).
 */
export const startFold = <S>(projection: Projection<S>, from: S): InPlaceFold<S> => {
  if (projection.inPlace) return projection.inPlace(from);
  let state = from;
  return {
    step: (event) => {
      const next = projection.evolve(state, event);
      if (next instanceof Promise) throw new Error(`${projection.name}: an asynchronous evolve cannot be folded here`);
      state = next;
    },
    finish: () => state,
  };
};
