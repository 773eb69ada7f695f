import type { Projection } from '../projections/projection';
import { decodeDomain, type DomainEvent } from './decode-domain';

interface Fold<S, E> {
  readonly initialState: S;
  evolve(state: S, event: E): S;
}

// The last call of an aggregate's evolve, by the identity of its arguments. Evolve is pure, so the
// same (state, event) objects give the same result. The audit folds every aggregate itself and
// again inside these read models, from the same initial state over the same decoded events (see
// decodeDomain), so the read model's call finds the audit's result here instead of paying for the
// fold a second time; any call with other arguments simply computes.
let lastEvolve:
  { readonly evolve: unknown; readonly state: unknown; readonly event: unknown; readonly after: unknown } | undefined;

/** `evolve(state, event)`, or the result of the same call just made. */
export const evolveShared = <S, E>(evolve: (state: S, event: E) => S, state: S, event: E): S => {
  const seen = lastEvolve;
  if (seen !== undefined && seen.event === event && seen.state === state && seen.evolve === evolve)
    return seen.after as S;
  const after = evolve(state, event);
  lastEvolve = { evolve, state, event, after };
  return after;
};

/**
 * A read model holding every aggregate of one kind, folded by that kind's own decider, so a view
 * can never disagree with the aggregate it shows. `keep` may drop finished aggregates.
 *
 * `evolve` copies the record (one entry per aggregate) on every event of its kind; `inPlace` keeps
 * the record in a Map while it folds, so an audit pays per event only for the aggregate's own evolve.
 */
export const aggregateStates = <S, E>(
  name: string,
  kind: DomainEvent['kind'],
  fold: Fold<S, E>,
  keep: (state: S) => boolean = () => true,
): Projection<Record<string, S>> => {
  const next = (current: S | undefined, d: DomainEvent): S =>
    evolveShared(fold.evolve, current ?? fold.initialState, d.event as E);
  return {
    name,
    version: 1,
    initial: {},
    evolve: (state, recorded) => {
      const d = decodeDomain(recorded);
      if (d?.kind !== kind) return state;
      const after = next(state[d.id], d);
      if (keep(after)) return { ...state, [d.id]: after };
      const { [d.id]: _dropped, ...rest } = state;
      return rest;
    },
    inPlace: (from) => {
      // Insertion order matches evolve's (a dropped id that comes back goes last), not that any reader depends on it.
      const states = new Map(Object.entries(from));
      return {
        step: (recorded) => {
          const d = decodeDomain(recorded);
          if (d?.kind !== kind) return;
          const after = next(states.get(d.id), d);
          if (keep(after)) states.set(d.id, after);
          else states.delete(d.id);
        },
        finish: () => Object.fromEntries(states),
      };
    },
  };
};
