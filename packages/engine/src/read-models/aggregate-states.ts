import type { Projection } from '../projections/projection';
import { decodeDomain, type DomainEvent } from './decode-domain';

interface Fold<S, E> {
  readonly initialState: S;
  evolve(state: S, event: E): S;
}

/**
 * A read model holding every aggregate of one kind, folded by that kind's own decider, so a view
 * can never disagree with the aggregate it shows. `keep` may drop finished aggregates.
 */
export const aggregateStates = <S, E>(name: string, kind: DomainEvent['kind'], fold: Fold<S, E>, keep: (state: S) => boolean = () => true): Projection<Record<string, S>> => ({
  name,
  version: 1,
  initial: {},
  evolve: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (d?.kind !== kind) return state;
    const next = fold.evolve(state[d.id] ?? fold.initialState, d.event as E);
    if (keep(next)) return { ...state, [d.id]: next };
    const { [d.id]: _dropped, ...rest } = state;
    return rest;
  },
});
