import { aggregates, type Aggregates } from './aggregates';
import type { Answer, WireEvent } from './answers';
import { follow, type Follow, type ReadModelView } from './follow';
import { http, segment, type ClientOptions } from './http';
import { keys, type Keys } from './keys';

export interface BallastClient {
  readonly treasuries: Aggregates<'treasury'>;
  readonly pools: Aggregates<'pool'>;
  readonly escrows: Aggregates<'escrow'>;
  /** A read model's view (operators, services); `waitFor` a position to read your own write. */
  readModel<S = unknown>(
    name: string,
    options?: { waitFor?: number; timeoutMs?: number },
  ): Promise<Answer<ReadModelView<S>>>;
  /** A page of the log from `from` (inclusive), with `next`, the cursor of the following page. */
  events(options?: { from?: number; limit?: number }): Promise<Answer<{ events: readonly WireEvent[]; next?: number }>>;
  readonly keys: Keys;
  readonly follow: Follow;
}

/**
 * A client of `ballast serve`. Answers are data: `{ ok: true, status, … }` or a `Failure` with the
 * server's code (a refusal is never an exception); only a network error rejects.
 */
export const ballastClient = (options: ClientOptions): BallastClient => {
  const h = http(options);
  return {
    treasuries: aggregates(h, 'treasury'),
    pools: aggregates(h, 'pool'),
    escrows: aggregates(h, 'escrow'),
    readModel: (name, o = {}) =>
      h.json('GET', `/v1/read-models/${segment(name)}`, { query: { waitFor: o.waitFor, timeoutMs: o.timeoutMs } }),
    events: (o = {}) => h.json('GET', '/v1/events', { query: { from: o.from, limit: o.limit } }),
    keys: keys(h),
    follow: follow(h),
  };
};
