import { setImmediate as yieldToLoop } from 'node:timers/promises';
import {
  anchorLine,
  auditStore,
  type AuditReport,
  HeadTracker,
  type PreviousAnchor,
  previousOf,
  signAnchor,
} from '@ballast/engine';
import type { KeyObject } from 'node:crypto';
import type { EventStore } from '@ballast/event-store';

/**
 * How often the server audits its own store by default: every hour, counted from the end of the last
 * run. An audit re-folds the whole log: 0.7 s for 40,000 events, but 210 s of CPU for the 1,044,438
 * events of `ballast simulate --agents 10 --defi 2 --scenario stress` stopped at day 85 (measured on
 * this machine under load). It runs in-process, on the event loop, handing the loop back every
 * EVENTS_PER_SLICE events, so requests wait one slice (a few ms; /health answered within 35 ms during
 * an audit in the tests), not the whole audit; but on a big store it takes a core for minutes, so every
 * 10 minutes would spend a third of the server's CPU on it: an hour is the honest default, and an
 * operator can ask for one now (POST /v1/audit). A worker thread would need its own connection to the
 * store (a SQLite file or EventStoreDB); in-process with slices is the simple choice that holds.
 */
export const DEFAULT_AUDIT_INTERVAL_MS = 60 * 60_000;

/** Events folded between two yields to the event loop (each yield lets pending requests run). */
const EVENTS_PER_SLICE = 256;

/**
 * A write that lands between the audit's last page and its check of the stream heads makes a head
 * look ahead of its events (HEAD_MISMATCH) though nothing is wrong: the audit runs again, this many
 * times at most, and is then reported inconclusive rather than failed.
 */
const RACED_TRIES = 3;

export type AuditOutcome = 'passed' | 'failed' | 'inconclusive';

/**
 * Signed anchors written by the server (ballast serve --anchor-key): after every audit that passes,
 * and early once `everyEvents` events have landed since the last anchor. `write` appends one line to
 * the anchor file; the key stays in this process's memory and is never logged or served.
 */
export interface AnchorWriting {
  readonly signingKey: KeyObject;
  readonly write: (line: string) => void;
  /**
   * Whether the anchor file is as this server last left it: when someone else appended to it, moved
   * or truncated it, the next anchor lists every head instead of what changed (its base would not be
   * the line before it).
   */
  readonly untouched: () => boolean;
  /** Audit and anchor once this many events have landed since the last anchor (0: only on the audit's schedule). */
  readonly everyEvents: number;
}

/** What the last audit anchored, or why it could not. */
export type AnchorOutcome =
  | {
      readonly written: true;
      readonly createdAt: string;
      readonly events: number;
      readonly headsRoot: string;
      readonly keyId: string;
    }
  | { readonly written: false; readonly error: string };

/** The last audit, as `GET /v1/audit/last` answers it. */
export interface AuditResult {
  readonly outcome: AuditOutcome;
  readonly ok: boolean;
  /** Epoch ms: when it started and finished, and how long it took (the last try when writes raced it). */
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly durationMs: number;
  readonly tries: number;
  readonly events: number;
  readonly headPosition: number;
  readonly aggregates: number;
  readonly totalDigest: string;
  /** With anchors on: the anchor this audit wrote, or why none was. */
  readonly anchor?: AnchorOutcome;
  readonly problem?: {
    readonly kind: string;
    readonly streamId: string;
    readonly revision: number;
    readonly message: string;
  };
}

export interface AuditStatus {
  /** 0: no periodic audit (only on demand). */
  readonly intervalMs: number;
  readonly running: boolean;
  /** Epoch ms of the next periodic run, when one is scheduled. */
  readonly nextAt?: number;
  readonly last: AuditResult | null;
}

class Stopped extends Error {}

/**
 * Audits the running store once after start and then every `intervalMs` (0: only when asked),
 * one run at a time, keeping the last result. `stop` ends a run in progress at its next slice and
 * waits for it, so the store can be closed after it.
 */
export class AuditRunner {
  private last: AuditResult | null = null;
  private current: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private nextAt: number | undefined;
  private stopped = false;
  /**
   * Events that landed since the last run began (counted by the server's live tail): a run, passed
   * or not, resets it, so a failing audit or anchor write is retried after N more events, not on
   * every event.
   */
  private sinceRun = 0;
  /** The last anchor written since start: the next lists only the heads that changed since. */
  private previous: PreviousAnchor | undefined;

  constructor(
    private readonly store: EventStore,
    readonly intervalMs: number,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly anchors?: AnchorWriting,
  ) {}

  /** Told of each event appended while the server runs: anchors every N events ask for a run here. */
  noteAppended(): void {
    this.sinceRun += 1;
    const every = this.anchors?.everyEvents ?? 0;
    if (every > 0 && this.sinceRun >= every && this.current === undefined && !this.stopped) void this.runNow();
  }

  /** Schedules the first run (the server calls it once the read models have caught up). */
  start(firstInMs = 1000): void {
    if (this.intervalMs > 0 && !this.stopped) this.schedule(firstInMs);
  }

  status(): AuditStatus {
    return {
      intervalMs: this.intervalMs,
      running: this.current !== undefined,
      ...(this.nextAt === undefined ? {} : { nextAt: this.nextAt }),
      last: this.last,
    };
  }

  /** Starts a run now unless one is running; resolves when that run (new or current) ends. */
  runNow(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.current ??= this.run().finally(() => {
      this.current = undefined;
      if (!this.stopped && this.intervalMs > 0) this.schedule(this.intervalMs);
    });
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    this.nextAt = undefined;
    await this.current;
  }

  private schedule(inMs: number): void {
    clearTimeout(this.timer);
    this.nextAt = Date.now() + inMs;
    this.timer = setTimeout(() => {
      this.nextAt = undefined;
      void this.runNow();
    }, inMs);
    // A scheduled audit alone never keeps the process alive.
    this.timer.unref();
  }

  private async run(): Promise<void> {
    // What landed before this run is covered by it, whatever its outcome.
    this.sinceRun = 0;
    for (let tries = 1; ; tries++) {
      const startedAt = Date.now();
      let report: AuditReport;
      const log = new HeadTracker();
      try {
        report = await auditStore(this.sliced(), this.anchors ? { observe: (event) => log.add(event) } : {});
      } catch (error) {
        if (error instanceof Stopped) return;
        this.onError(error);
        const finishedAt = Date.now();
        this.last = {
          outcome: 'inconclusive',
          ok: false,
          startedAt,
          finishedAt,
          durationMs: finishedAt - startedAt,
          tries,
          events: 0,
          headPosition: 0,
          aggregates: 0,
          totalDigest: '',
          problem: { kind: 'AUDIT_ERROR', streamId: '', revision: -1, message: (error as Error).message },
        };
        return;
      }
      const finishedAt = Date.now();
      const raced =
        !report.ok &&
        report.problem?.kind === 'HEAD_MISMATCH' &&
        (await this.store.headPosition()) > report.chains.headPosition;
      if (raced && tries < RACED_TRIES && !this.stopped) continue;
      const anchor = report.ok && this.anchors ? this.writeAnchor(log, report) : undefined;
      this.last = {
        outcome: report.ok ? 'passed' : raced ? 'inconclusive' : 'failed',
        ok: report.ok,
        startedAt,
        finishedAt,
        durationMs: finishedAt - startedAt,
        tries,
        events: report.events,
        headPosition: report.chains.headPosition,
        aggregates: report.aggregates.length,
        totalDigest: report.totalDigest,
        ...(anchor === undefined ? {} : { anchor }),
        ...(report.problem === undefined
          ? {}
          : {
              problem: {
                kind: report.problem.kind,
                streamId: report.problem.streamId,
                revision: report.problem.revision,
                message: raced
                  ? `writes kept landing while the audit checked the stream heads (${tries} tries): ${report.problem.message}`
                  : report.problem.message,
              },
            }),
      };
      return;
    }
  }

  /** Signs what a passed audit saw and appends it to the anchor file; a failure is reported, not thrown. */
  private writeAnchor(log: HeadTracker, report: AuditReport): AnchorOutcome {
    const { signingKey, write, untouched } = this.anchors!;
    try {
      const anchor = signAnchor(
        {
          createdAt: new Date().toISOString(),
          events: log.events,
          headPosition: log.headPosition,
          heads: log.heads(),
          auditDigest: report.totalDigest,
        },
        signingKey,
        this.previous !== undefined && untouched() ? this.previous : undefined,
      );
      write(anchorLine(anchor));
      this.previous = previousOf(anchor, log.heads());
      return {
        written: true,
        createdAt: anchor.createdAt,
        events: anchor.events,
        headsRoot: anchor.headsRoot,
        keyId: anchor.keyId,
      };
    } catch (error) {
      this.onError(error);
      return { written: false, error: (error as Error).message };
    }
  }

  /**
   * The store as the audit sees it: its verify hands each event to the audit's fold as before, and
   * every EVENTS_PER_SLICE events waits for the event loop's next turn (a page of rows is read
   * synchronously and its awaits are microtasks, so without this the whole audit is one long block).
   * A stop ends the walk there.
   */
  private sliced(): EventStore {
    const store = this.store;
    const sliced = Object.create(store) as EventStore;
    let seen = 0;
    sliced.verify = (options) =>
      store.verify({
        onEvent: async (event) => {
          if (++seen % EVENTS_PER_SLICE === 0) {
            await yieldToLoop();
            if (this.stopped) throw new Stopped('the server is stopping');
          }
          const handled = options?.onEvent?.(event);
          if (handled !== undefined) await handled;
        },
      });
    return sliced;
  }
}
