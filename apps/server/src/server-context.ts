import type { Ballast, CheckpointStore, Projection, RunningProjection } from '@ballast/engine';
import type { LiveStreams } from './live-streams';
import type { KeyIndex, Principal } from './principals';
import type { AuditRunner } from './routes/audit-runner';

/** What the routes share: the engine, the keys, the running read models. */
export interface ServerContext {
  readonly ballast: Ballast;
  readonly keys: KeyIndex;
  readonly projections: ReadonlyMap<Projection<unknown>, RunningProjection<unknown>>;
  /** False until every projection has caught up with the store's head at start, and again when closing. */
  readonly ready: () => boolean;
  readonly limits: ServerLimits;
  /** The log's head as last seen, and every open live stream (ended at shutdown). */
  readonly live: LiveStreams;
  /** Every read model and process manager the server runs, and the checkpoints that keep what they parked. */
  readonly parked: {
    readonly running: readonly RunningProjection<unknown>[];
    readonly checkpoints: CheckpointStore;
  };
  /** The store's background audit and its last result (GET /v1/audit/last). */
  readonly audit: AuditRunner;
}

export interface ServerLimits {
  /** Largest request body, bytes (default 64 KiB: the largest command, a treasury config, is ~2 KiB). */
  readonly bodyLimit: number;
  /** Requests per key (or per address without a key) per minute (default 6,000). */
  readonly ratePerMinute: number;
  /** A request not answered in this time is ended with 503 (default 30 s). */
  readonly requestTimeoutMs: number;
  /** Longest wait a read may ask for with `waitFor` (default 10 s). */
  readonly maxWaitMs: number;
  /**
   * A live-stream client that has not taken one event in this time (its socket buffer full) is sent
   * a `resume` event with its cursor and disconnected (default 10 s): it reconnects with Last-Event-ID.
   */
  readonly sseStallMs: number;
}

export const DEFAULT_LIMITS: ServerLimits = {
  bodyLimit: 64 * 1024,
  ratePerMinute: 6000,
  requestTimeoutMs: 30_000,
  maxWaitMs: 10_000,
  sseStallMs: 10_000,
};

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every route that needs a key. */
    principal: Principal | null;
  }
}
