import type { Observable } from 'rxjs';
import { FACADES, type FollowedKind } from './aggregates';
import type { WireEvent } from './answers';
import { followSse } from './follow-sse';
import { segment, type Http } from './http';

/** A read model's view as its stream sends it: the latest state wins (changes in between are coalesced). */
export interface ReadModelView<S = unknown> {
  readonly name: string;
  readonly position: number;
  readonly state: S;
}

/** Live streams as Observables that reconnect and resume (see `followSse`). */
export interface Follow {
  /** The whole log (operators, services): each event once, in position order. `after` a position. */
  events(options?: { after?: number }): Observable<WireEvent>;
  /** One aggregate's events (whoever may read it): each once, in revision order. `after` a revision. */
  aggregate(kind: FollowedKind, id: string, options?: { after?: number }): Observable<WireEvent>;
  /** A read model's view whenever it changes; never the same position twice. */
  readModel<S = unknown>(name: string): Observable<ReadModelView<S>>;
}

export const follow = (h: Http): Follow => ({
  events: (options = {}) =>
    followSse<WireEvent>(h, {
      path: '/v1/events/stream',
      eventName: 'event',
      ...(options.after === undefined ? {} : { after: options.after }),
    }),
  aggregate: (kind, id, options = {}) =>
    followSse<WireEvent>(h, {
      path: `/v1/${FACADES[kind]}/${segment(id)}/events/stream`,
      eventName: 'event',
      ...(options.after === undefined ? {} : { after: options.after }),
    }),
  readModel: <S>(name: string) =>
    followSse<ReadModelView<S>>(h, { path: `/v1/read-models/${segment(name)}/stream`, eventName: 'state' }),
});
