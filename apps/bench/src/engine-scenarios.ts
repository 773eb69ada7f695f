import { agentPreset, money, TreasuryConfigCodec } from '@ballast/domain';
import Database from 'better-sqlite3';
import { openBallast, TREASURY, toStored } from '@ballast/engine';
import { type EventStore, openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './measure';

const ROOT = join(__dirname, '..', '..', '..');
const CHILD = join(__dirname, 'cold-command-child.ts');
const SNAPSHOT_EVERY = 100;
const FILL_BATCH = 500;
const START = Date.UTC(2026, 0, 1);
// About the size of a stored deposit's data and metadata.
const RAW_PAYLOAD = JSON.stringify({
  amount: '1',
  bucket: 'reserve',
  at: 1782864000000,
  metadata: { commandId: 'warm-1234', commandDigest: 'f'.repeat(64) },
});

/** Nearest-rank percentile (p in 0..100). */
const nearestRank = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};

const appendDeposits = async (store: EventStore, from: number, count: number, clock: { now(): number }) => {
  for (let done = 0; done < count; done += FILL_BATCH) {
    const n = Math.min(FILL_BATCH, count - done);
    const events = Array.from({ length: n }, () =>
      toStored(TREASURY, { type: 'FundsDeposited', at: clock.now(), bucket: 'reserve', amount: money('1') } as never, {
        commandId: 'fill',
      }),
    );
    const appended = await store.append('treasury-alpha', events, {
      expectedRevision: from + done - 1,
      commandId: `fill-${from + done}`,
    });
    if (E.isLeft(appended)) throw new Error(appended.left.message);
  }
};

/**
 * `treasury-alpha` with `events` events, left as the engine that wrote them would leave the store:
 * its durable snapshot as far behind the head as it can be (snapshotEvery - 1 events), so the
 * first command in a new process folds the longest tail it ever folds. The deposits go straight
 * through the store (the events are real, the chain is real); the engine loads the stream once
 * at the point where it would have saved its last snapshot.
 */
export const prefillTreasury = async (path: string, events: number): Promise<void> => {
  const store = openSqliteStore(path);
  let now = START;
  const clock = { now: () => (now += 1000) };
  const ballast = openBallast({ store, clock });
  const opened = await ballast.treasuries.execute(
    'alpha',
    { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) },
    { commandId: 'open' },
  );
  if (E.isLeft(opened)) throw new Error(opened.left.message);
  const tail = Math.min(SNAPSHOT_EVERY - 1, events - 1);
  await appendDeposits(store, 1, events - 1 - tail, clock);
  await ballast.treasuries.load('alpha');
  await ballast.snapshots.settled();
  await appendDeposits(store, events - tail, tail, clock);
  await store.close();
  // Closed cleanly, the file holds everything (no WAL), so a copy of it is the whole store.
  if (existsSync(`${path}-wal`))
    throw new Error(`${path}-wal is still there after close; copies of ${path} would miss its last commits`);
};

interface ChildResult {
  readonly ms: number;
  readonly cpuMs: number;
  readonly revision: number;
  readonly snapshotUsed: boolean;
  readonly durable: boolean;
}

const runChild = (path: string, mode: 'snapshots' | 'none', commandId: string): Promise<ChildResult> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, mode, commandId], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult)
        : reject(new Error(`cold-command child exited ${code}: ${err}`)),
    );
  });

export interface EngineCommandFigures {
  /** Events in the stream before the first cold command. */
  readonly events: number;
  /** First command in a new process (open store + load + fold tail + decide + append), ms per run. */
  readonly cold: {
    readonly withSnapshotsMs: readonly number[];
    readonly withSnapshotsMedianMs: number;
    /** The child's CPU time over the same span: on a shared machine, wall minus CPU is mostly waiting for a core. */
    readonly withSnapshotsMedianCpuMs: number;
    /** How many of those runs started from a durable snapshot (all of them, unless one was ignored). */
    readonly snapshotUsed: number;
    readonly withoutSnapshotsMs: readonly number[];
    readonly withoutSnapshotsMedianMs: number;
  };
  /** Deposits on the same treasury through `ballast.treasuries.execute`, one at a time, after a warm-up. */
  readonly warm: { readonly commands: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
  /**
   * Raw better-sqlite3 single-row durable inserts (WAL, synchronous=FULL) in the same directory, right after: the
   * disk's floor at that moment.
   */
  readonly rawInsert: { readonly inserts: number; readonly p50Ms: number; readonly p99Ms: number };
}

const rawInserts = (path: string, count: number, payload: string) => {
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(
      'CREATE TABLE events (position INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL)',
    );
    const insert = db.prepare('INSERT INTO events (stream_id, revision, data) VALUES (?, ?, ?)');
    const times: number[] = [];
    for (let i = 0; i < count + 200; i++) {
      const t0 = performance.now();
      insert.run('treasury-alpha', i, payload);
      if (i >= 200) times.push(performance.now() - t0);
    }
    return { inserts: count, p50Ms: median(times), p99Ms: nearestRank(times, 99) };
  } finally {
    db.close();
  }
};

/**
 * (a) The first command on an `events`-event stream in a new process, with the default durable
 * snapshots and without (alternating child processes, `coldRuns` of each); (b) warm command p50/p99
 * on the same SQLite file (WAL, synchronous=FULL), `warmCommands` deposits after 200 unmeasured;
 * then raw single durable inserts on the same disk, for the floor at that moment.
 */
export const engineCommandScenarios = async ({
  events = 100_000,
  coldRuns = 5,
  warmCommands = 2_000,
} = {}): Promise<EngineCommandFigures> => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-bench-engine-'));
  try {
    const path = join(dir, 'ballast.db');
    await prefillTreasury(path, events);
    const withSnapshots: ChildResult[] = [];
    const withoutSnapshots: ChildResult[] = [];
    // Each run on a fresh copy of the prefilled file: a cold command appends, and may save a
    // snapshot at the head, which would shorten the next run's tail.
    const copy = join(dir, 'cold.db');
    const fresh = () => {
      for (const suffix of ['', '-wal', '-shm', '.lock']) rmSync(copy + suffix, { force: true });
      copyFileSync(path, copy);
      return copy;
    };
    for (let i = 0; i < coldRuns; i++) {
      withSnapshots.push(await runChild(fresh(), 'snapshots', `cold-s-${i}`));
      withoutSnapshots.push(await runChild(fresh(), 'none', `cold-n-${i}`));
    }

    const store = openSqliteStore(path);
    const ballast = openBallast({ store, clock: { now: () => Date.UTC(2026, 6, 2) } });
    const times: number[] = [];
    for (let i = 0; i < warmCommands + 200; i++) {
      const t0 = performance.now();
      const r = await ballast.treasuries.execute(
        'alpha',
        { type: 'Deposit', amount: '1', bucket: 'reserve' },
        { commandId: `warm-${i}` },
      );
      const ms = performance.now() - t0;
      if (E.isLeft(r)) throw new Error(r.left.message);
      if (i >= 200) times.push(ms);
    }
    await ballast.snapshots.settled();
    await store.close();
    const ms = (rs: readonly ChildResult[]) => rs.map((r) => r.ms);
    return {
      events,
      cold: {
        withSnapshotsMs: ms(withSnapshots),
        withSnapshotsMedianMs: median(ms(withSnapshots)),
        withSnapshotsMedianCpuMs: median(withSnapshots.map((r) => r.cpuMs)),
        snapshotUsed: withSnapshots.filter((r) => r.snapshotUsed).length,
        withoutSnapshotsMs: ms(withoutSnapshots),
        withoutSnapshotsMedianMs: median(ms(withoutSnapshots)),
      },
      warm: { commands: times.length, p50Ms: median(times), p99Ms: nearestRank(times, 99), maxMs: Math.max(...times) },
      rawInsert: rawInserts(join(dir, 'raw.db'), warmCommands, RAW_PAYLOAD),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/**
 * The earlier shape, for callers not yet moved to `engineCommandScenarios`: per stream length, warm
 * p50 (`warmMs`) and p99, and the first command in a new process with snapshots (`coldMs`) and without.
 */
export const commandCostByStreamLength = async (lengths: readonly number[], samples: number) => {
  const rows: { events: number; warmMs: number; warmP99Ms: number; coldMs: number; coldNoSnapshotsMs: number }[] = [];
  for (const events of lengths) {
    const f = await engineCommandScenarios({ events, coldRuns: Math.max(1, Math.min(samples, 7)) });
    rows.push({
      events,
      warmMs: f.warm.p50Ms,
      warmP99Ms: f.warm.p99Ms,
      coldMs: f.cold.withSnapshotsMedianMs,
      coldNoSnapshotsMs: f.cold.withoutSnapshotsMedianMs,
    });
  }
  return rows;
};

/** `tsx apps/bench/src/engine-scenarios.ts [events]`: this scenario alone. */
if (require.main === module) {
  void engineCommandScenarios({ events: Number(process.argv[2] ?? 100_000) }).then((f) =>
    console.log(JSON.stringify(f, null, 2)),
  );
}
