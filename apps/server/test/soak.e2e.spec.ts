import type { RecordedEvent } from '@ballast/domain';
import { openSqliteStore } from '@ballast/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeOperatorKey } from './server-fixture';
import { gapsAndDuplicates, mulberry32, notIncreasing, SseFollower } from './soak-followers';
import {
  auditAndTally,
  misrecorded,
  openAgents,
  orphansOf,
  runClient,
  type LoadClient,
  type SentCommand,
} from './soak-load';
import { memorySummary, rssMbOf, running, serve, sleep, waitReady, type MemorySample, type Serve } from './soak-serve';

/**
 * Issue 18, the long soak: `ballast serve` over a SQLite file under steady load from many agents, each
 * with its own key and treasury, for a bounded time, while live-stream followers drop their connections
 * at random and reconnect with Last-Event-ID, and the server is stopped now with SIGKILL, now with SIGTERM,
 * and started again on the same file and port. Clients now and then drop a command before its answer, and
 * send every command whose answer they never got again under the same Idempotency-Key.
 *
 * Afterwards: every acknowledged command's events are in the store once, where its answer said; nothing
 * is in the store that no client got an answer for; the audit passes (hash chains, re-folds, ledger); every
 * follower of the log saw positions 1..head, and every follower of a treasury revisions 0..last, each once
 * and in order; the read-model follower's positions never went back and it ends on the view the server
 * serves; and the server's resident memory after warm-up did not keep growing.
 *
 * BALLAST_SOAK_SECONDS: how long the server is up under load, restarts not counted (default 8; long mode e.g. 300).
 * BALLAST_SOAK_SEED: the seed of the schedule (restart times and signals, drops); printed on failure.
 * BALLAST_SOAK_CLIENTS: how many agents send commands (default 16, 64 from 60 s on).
 */
const SECONDS = Math.max(4, Number(process.env.BALLAST_SOAK_SECONDS ?? 8) || 8);
const SEED = Number(process.env.BALLAST_SOAK_SEED ?? 18) >>> 0;
const LONG = SECONDS >= 60;
const CLIENTS = Math.max(2, Number(process.env.BALLAST_SOAK_CLIENTS ?? (LONG ? 64 : 16)) || 16);
/** One restart every 30 s or so, at least one of each signal. */
const RESTARTS = Math.max(2, Math.round(SECONDS / 30));
/** A follower holds a connection this long at most before it drops it itself. */
const HOLD_MS = LONG ? 8000 : 2500;
/** Chance that a client drops a command before its answer (it sends it again). */
const DROP_RATE = 0.02;
/** RSS readings this soon after a start are warm-up: the JIT, the read models catching up, the recent events filling. */
const WARM_UP_MS = LONG ? 10_000 : 2000;
/** How far the median RSS of the last third of the warm readings may be above that of the first third. */
const RSS_GROWTH_MB = 150;
const RSS_MAX_MB = 1024;

/**
 * How long the server is up (ready) before each restart and after the last, and the signal of each restart:
 * SECONDS split into RESTARTS + 1 jittered parts, from the seed. Up time, not wall time: a restart slow on a
 * busy machine does not eat the next part, so every server process takes load and every follower meets it.
 */
const scheduleOf = (seed: number): { upMs: number[]; signals: NodeJS.Signals[] } => {
  const rng = mulberry32(seed);
  const weights = Array.from({ length: RESTARTS + 1 }, () => 0.5 + rng());
  const total = weights.reduce((a, b) => a + b, 0);
  const firstKill = rng() < 0.5 ? 0 : 1;
  return {
    upMs: weights.map((w) => Math.round((w / total) * SECONDS * 1000)),
    signals: Array.from({ length: RESTARTS }, (_, i) => ((i + firstKill) % 2 === 0 ? 'SIGKILL' : 'SIGTERM')),
  };
};

describe('soak: steady load, random disconnects, SIGKILL and SIGTERM restarts', () => {
  let dir: string;
  let current: Serve | undefined;
  /** What a failure's message adds: how each follower's connections ended. */
  let diagnostics = () => '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-soak-'));
  });
  afterAll(async () => {
    if (current !== undefined && running(current)) {
      current.child.kill('SIGKILL');
      await current.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    `${CLIENTS} clients for ${SECONDS} s, ${RESTARTS} restarts (BALLAST_SOAK_SEED=${SEED})`,
    async () => {
      try {
        await soak();
      } catch (error) {
        if (error instanceof Error)
          error.message = `replay with BALLAST_SOAK_SEED=${SEED} BALLAST_SOAK_SECONDS=${SECONDS}\n${error.message}\n${diagnostics()}`;
        throw error;
      }
    },
    90_000 + SECONDS * 3000,
  );

  const soak = async (): Promise<void> => {
    const t0 = Date.now();
    const db = join(dir, 'ballast.db');
    const ops = await writeOperatorKey(db);

    current = await serve(db, 0);
    const url = current.url;
    const port = Number(new URL(url).port);
    await waitReady(url);
    let incarnation = 1;
    let startedAt = Date.now();

    const { agents, watcher } = await openAgents(url, ops, CLIENTS);
    const setupMs = Date.now() - t0;

    // Followers: of the log (one never drops its connection itself), of two treasuries, of a read model.
    let followerSeed = SEED ^ 0x5eed;
    // Each follower its own generator, so its holds are the same in a replay whatever the others did meanwhile.
    const randomHold = () => {
      const rng = mulberry32(followerSeed++);
      return () => 100 + Math.floor(rng() * HOLD_MS);
    };
    const position = (data: unknown) => (data as RecordedEvent).position;
    const revision = (data: unknown) => (data as RecordedEvent).revision;
    const followerOf = (
      path: string,
      eventName: string,
      key: string,
      idInData: (data: unknown) => number,
      hold = true,
    ) =>
      new SseFollower({
        url: () => url,
        key,
        path,
        eventName,
        idInData,
        holdMs: hold ? randomHold() : () => undefined,
      });
    const logFollowers = [
      followerOf('/v1/events/stream', 'event', watcher, position, false),
      ...[1, 2, 3].map(() => followerOf('/v1/events/stream', 'event', watcher, position)),
    ];
    const treasuryFollowers = [
      [followerOf('/v1/treasuries/agent-1/events/stream', 'event', agents[0]!.key, revision), 'treasury-agent-1'],
      [followerOf('/v1/treasuries/agent-2/events/stream', 'event', watcher, revision), 'treasury-agent-2'],
    ] as const;
    const viewFollower = followerOf('/v1/read-models/treasury-overview/stream', 'state', watcher, position);
    const followers = [...logFollowers, ...treasuryFollowers.map(([f]) => f), viewFollower];
    for (const f of followers) f.start();
    diagnostics = () =>
      followers.map((f, i) => `follower ${i} (connected at ms: how it ended): ${f.history.join('; ')}`).join('\n');

    // Memory, read from /proc every 250 ms, of whichever server process is up.
    const rss: MemorySample[] = [];
    const sampler = setInterval(() => {
      const pid = current?.child.pid;
      const mb = pid === undefined ? undefined : rssMbOf(pid);
      if (mb !== undefined) rss.push({ incarnation, sinceStartMs: Date.now() - startedAt, mb });
    }, 250);

    // The load.
    let loading = true;
    const sent: SentCommand[] = [];
    const failures: string[] = [];
    const clients = agents.map((agent, c) => {
      const clientRng = mulberry32(SEED + 1000 + c);
      const client: LoadClient = {
        url: () => url,
        agent: agent.id,
        key: agent.key,
        failures,
        dropAfterMs: () => (clientRng() < DROP_RATE ? Math.floor(clientRng() * 8) : undefined),
      };
      return runClient(client, c, () => loading, sent);
    });

    // The restarts, on schedule, while the load goes on.
    const loadStart = Date.now();
    const { upMs, signals } = scheduleOf(SEED);
    const restarts: { upMs: number; signal: string; exitMs: number; listeningMs: number; readyMs: number }[] = [];
    for (const [i, signal] of signals.entries()) {
      await sleep(upMs[i]!);
      const stoppedAt = Date.now();
      current.child.kill(signal);
      const exit = await current.exited;
      // SIGTERM is a clean stop (exit 0: requests in flight answered, streams told `closing`).
      expect(signal === 'SIGKILL' ? exit.signal : exit.code).toBe(signal === 'SIGKILL' ? 'SIGKILL' : 0);
      const exitMs = Date.now() - stoppedAt;
      current = await serve(db, port);
      incarnation++;
      startedAt = Date.now();
      const listeningMs = startedAt - stoppedAt - exitMs;
      expect(current.url).toBe(url);
      await waitReady(url);
      restarts.push({ upMs: upMs[i]!, signal, exitMs, listeningMs, readyMs: Date.now() - startedAt });
    }
    await sleep(upMs.at(-1)!);
    loading = false;
    await Promise.all(clients);
    const loadMs = Date.now() - loadStart;

    // The followers catch up with the head (process managers settle first): the log's, each treasury's, the view.
    const catchUpAt = Date.now();
    const reader = openSqliteStore(db, { readonly: true });
    const lastRevisionOf = async (stream: string) => (await reader.streamHead(stream))?.revision ?? -1;
    const overview = async () => {
      const response = await fetch(`${url}/v1/read-models/treasury-overview`, {
        headers: { authorization: `Bearer ${watcher}` },
      });
      return ((await response.json()) as { state: unknown }).state;
    };
    let head = -1;
    for (let steady = 0, i = 0; i < 600 && steady < 5; i++) {
      await sleep(50);
      const now = await reader.headPosition();
      let caughtUp = logFollowers.every((f) => f.last() === now);
      for (const [f, stream] of treasuryFollowers) caughtUp &&= f.last() === (await lastRevisionOf(stream));
      steady = now === head && caughtUp ? steady + 1 : 0;
      head = now;
    }
    await reader.close();
    let view: unknown;
    for (let i = 0; i < 100; i++) {
      view = await overview();
      if (JSON.stringify((viewFollower.lastData as { state?: unknown } | undefined)?.state) === JSON.stringify(view))
        break;
      await sleep(50);
    }
    clearInterval(sampler);
    const catchUpMs = Date.now() - catchUpAt;

    // A clean stop at the end, then the store is read with the library once no server holds it.
    current.child.kill('SIGTERM');
    expect((await current.exited).code).toBe(0);
    await Promise.all(followers.map((f) => f.stop()));
    const auditAt = Date.now();
    const { audit, byCommand, byStream } = await auditAndTally(db);
    const auditMs = Date.now() - auditAt;
    const events = audit.events;

    const acknowledged = sent.filter((r) => r.status! >= 200 && r.status! < 300);
    const retried = sent.filter((r) => r.unknown > 0);
    const memory = memorySummary(rss, WARM_UP_MS);
    const stats = {
      seed: SEED,
      seconds: SECONDS,
      clients: CLIENTS,
      setupMs,
      loadMs,
      catchUpMs,
      auditMs,
      totalMs: Date.now() - t0,
      sent: sent.length,
      acknowledged: acknowledged.length,
      refused: sent.filter((r) => r.status === 422).length,
      retried: retried.length,
      dropped: sent.reduce((n, r) => n + r.dropped, 0),
      retriedAndReplayed: retried.filter((r) => r.answer?.replayed === true).length,
      events,
      restarts,
      followers: followers.map((f) => ({
        values: f.ids.length,
        connects: f.connects,
        drops: f.drops,
        closings: f.closings,
        resumes: f.resumes,
        refused: f.refused.length,
      })),
      memory,
    };
    process.stdout.write(`soak: ${JSON.stringify(stats)}\n`);

    // Commands: every one answered; each acknowledged one's events in the store once, where its answer said;
    // a refusal recorded once however often it was sent; nothing in the store no client was answered for.
    expect(failures).toEqual([]);
    expect(sent.filter((r) => r.status === undefined).map((r) => r.idempotencyKey)).toEqual([]);
    expect(misrecorded(acknowledged, byCommand).slice(0, 10)).toEqual([]);
    expect(sent.filter((r) => r.status === 422 && byCommand.get(r.commandId)!.length !== 1)).toEqual([]);
    expect(orphansOf(sent, byCommand)).toEqual([]);
    // The restarts and the drops did leave commands without an answer, and sending them again settled them.
    expect(retried.length).toBeGreaterThan(0);
    expect({ ok: audit.ok, problem: audit.problem }).toEqual({ ok: true, problem: undefined });

    // Streams: the log 1..head and each treasury 0..last, once each and in order, across every reconnect.
    expect(head).toBe(events);
    for (const f of logFollowers) {
      expect(f.mismatched).toEqual([]);
      expect(gapsAndDuplicates(f.ids, 1, head)).toEqual([]);
      expect(f.connects).toBeGreaterThanOrEqual(RESTARTS + 1);
    }
    for (const [f, stream] of treasuryFollowers) {
      expect(f.mismatched).toEqual([]);
      expect(gapsAndDuplicates(f.ids, 0, byStream.get(stream)! - 1)).toEqual([]);
    }
    // The view: the latest wins, so positions may skip, but never repeat or go back; it ends on the view served.
    expect(viewFollower.mismatched).toEqual([]);
    expect(notIncreasing(viewFollower.ids)).toEqual([]);
    expect((viewFollower.lastData as { state: unknown }).state).toEqual(view);
    // Every follower did drop connections itself, save the one that only the server ends.
    expect(followers.map((f) => f.drops > 0)).toEqual(followers.map((f) => f !== logFollowers[0]));

    // Memory: past each start's warm-up, the last third's median not far above the first third's, overall and
    // within each start that ran long enough to tell.
    expect(memory.warm).toBeGreaterThanOrEqual(6);
    for (const growth of [memory, ...memory.perStart].map((m) => m.growthMb))
      if (growth !== undefined) expect(growth).toBeLessThanOrEqual(RSS_GROWTH_MB);
    expect(memory.maxMb).toBeLessThanOrEqual(RSS_MAX_MB);
  };
});
