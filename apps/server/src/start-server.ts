import {
  driftRebalancer,
  escrowSettlement,
  openBallast,
  type CheckpointStore,
  type Projection,
  type RunningProjection,
  runProcessManager,
  runProjection,
  schedules,
  approvalExpiry,
  systemClock,
  transferSettlement,
} from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { loadAccessAt } from './access-keys';
import { buildApp } from './build-app';
import { InFlight } from './in-flight';
import { LiveStreams } from './live-streams';
import { KeyIndex } from './principals';
import { projectionsToRun } from './read-models';
import { type AnchorWriting, AuditRunner, DEFAULT_AUDIT_INTERVAL_MS } from './routes/audit-runner';
import { DEFAULT_LIMITS, type ServerContext, type ServerLimits } from './server-context';

/**
 * Caught-up read models and process managers save their checkpoint at most once a second: saving
 * after every event serializes each whole read model and syncs the checkpoint file once per command.
 */
const CHECKPOINTS = { checkpointIntervalMs: 1000 } as const;

export interface ServerOptions {
  readonly store: EventStore;
  /** Where read models and process managers keep their checkpoints (a SQLite file beside the store). */
  readonly checkpoints: CheckpointStore;
  readonly host?: string;
  /** 0 picks a free port (tests); the default is 8787. */
  readonly port?: number;
  /** The pool whose members get the automatic counterparty-default claim when an escrow expires. */
  readonly insurancePool?: string;
  readonly limits?: Partial<ServerLimits>;
  readonly logger?: FastifyServerOptions['logger'];
  /**
   * The background audit of the store: once the read models have caught up, then every this many ms
   * (default an hour: audit-runner.ts says why); 0: only on demand (POST /v1/audit).
   */
  readonly auditIntervalMs?: number;
  /** Signed anchors of the log after each passed audit (and every N events), written outside the store. */
  readonly anchors?: AnchorWriting;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  /** `http://host:port` as bound. */
  readonly url: string;
  /** Stops accepting, finishes requests in flight, stops the projections (saving checkpoints), closes the store. */
  close(): Promise<void>;
}

/**
 * One process owns the store: it runs the read models and the process managers from their
 * checkpoints and serves the API. Ready once every read model has caught up with the head it found.
 */
export const startServer = async (options: ServerOptions): Promise<RunningServer> => {
  const { checkpoints } = options;
  // One tail of the log for the live streams, the read models and the process managers alike.
  const live = await LiveStreams.start(options.store);
  const store = live.sharing(options.store);
  const ballast = openBallast({ store, clock: systemClock });
  const access = await loadAccessAt(ballast);
  const keys = new KeyIndex(access.state, access.revision);
  const projections = new Map<Projection<unknown>, RunningProjection<unknown>>();
  const managers: RunningProjection<unknown>[] = [];
  /** The read models and the process managers: where GET /v1/dead-letters looks. */
  const everyFold: RunningProjection<unknown>[] = [];
  let ready = false;
  const ctx: ServerContext = {
    ballast,
    keys,
    projections,
    ready: () => ready,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    live,
    parked: { running: everyFold, checkpoints },
    audit: new AuditRunner(
      options.store,
      options.auditIntervalMs ?? DEFAULT_AUDIT_INTERVAL_MS,
      options.anchors
        ? (error) => process.stderr.write(`anchor not written: ${(error as Error).message}\n`)
        : undefined,
      options.anchors,
    ),
  };
  for (const projection of projectionsToRun())
    projections.set(projection, await runProjection(store, checkpoints, projection, CHECKPOINTS));
  for (const manager of [
    driftRebalancer,
    escrowSettlement(options.insurancePool ?? 'main'),
    transferSettlement,
    schedules,
    approvalExpiry,
  ] as const)
    managers.push(
      (await runProcessManager(ballast, checkpoints, manager as never, CHECKPOINTS)) as RunningProjection<unknown>,
    );

  const inFlight = new InFlight();
  const app = await buildApp(ctx, { inFlight, ...(options.logger === undefined ? {} : { logger: options.logger }) });
  const url = await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8787 });
  const head = await store.headPosition();
  // Anchors every N events count what lands from here on, on the one shared tail of the log.
  const appended = options.anchors?.everyEvents
    ? store
        .subscribe({ fromPosition: head + 1 })
        .subscribe({ next: () => ctx.audit.noteAppended(), error: () => undefined })
    : undefined;
  void Promise.all([...projections.values()].map((p) => p.whenProcessed(head))).then(() => {
    ready = true;
    ctx.audit.start();
  });
  everyFold.push(...projections.values(), ...managers);

  let closing: Promise<void> | undefined;
  return {
    app,
    url,
    close: () =>
      (closing ??= (async () => {
        ready = false;
        // An audit in progress ends at its next slice (a few ms); awaited before the store closes.
        appended?.unsubscribe();
        const audited = ctx.audit.stop();
        // Live streams never end by themselves: end them (clients resume with Last-Event-ID), or close would wait forever.
        ctx.live.closeAll();
        // Stop accepting; requests in flight finish (commands are answered); then drop connections
        // clients keep open after their last answer, which server.close would otherwise wait for.
        const closed = app.close();
        await inFlight.drained(ctx.limits.requestTimeoutMs);
        app.server.closeAllConnections();
        await closed;
        for (const running of [...managers, ...projections.values()]) await running.stop();
        await audited;
        await ballast.snapshots.settled();
        await checkpoints.close();
        await store.close();
      })()),
  };
};
