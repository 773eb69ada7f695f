import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { anchorResultLine, anchorWorkloads } from './anchor-workloads';
import { appendWorkloads } from './append-workloads';
import { commandWorkloads } from './command-workloads';
import { dashboardWorkload } from './dashboard-workload';
import { emmettConcurrentFirstAppendsInChild, type LostAppendsTrial } from './emmett-finding';
import { emmettDefaultBusyRetries, emmettSynchronousDefault } from './emmett-peer';
import { esdbWorkload } from './esdb-workload';
import { writeLogFiles } from './log-files';
import { machineFacts } from './machine';
import { withDir } from './measure';
import { readWorkloads } from './read-workloads';
import { findingText, markdownTable, serverTable, type Results } from './report';
import { serverWorkloads } from './server-workloads';
import { interleave, summarize, type WorkloadResult } from './workload';

/**
 * `pnpm bench`: Ballast, Emmett's SQLite store and raw better-sqlite3 in one interleaved run, on
 * every workload of issue 12, all at WAL + synchronous=FULL. Writes apps/bench/results.json and
 * prints a Markdown table. BALLAST_BENCH_REPEATS (default 3) runs per side, BALLAST_BENCH_SCALE
 * (default 1) multiplies the work, BALLAST_BENCH_AUDIT_LARGE (auto | on | off) the 1M-event audit,
 * BALLAST_BENCH_ONLY (comma list of appends, reads, commands, esdb, finding, server, dashboard, anchors) a subset: its
 * workloads replace theirs in results.json, the others are kept. BALLAST_BENCH_SERVER_SECONDS
 * (default 5) is each server run's length, BALLAST_BENCH_SERVER_PROF a folder for the server child's
 * CPU profiles. BALLAST_BENCH_DASHBOARD_LOADS (default 20) the page loads of /dashboard measured.
 */
const REPEATS = Number(process.env.BALLAST_BENCH_REPEATS ?? 3);
const SCALE = Number(process.env.BALLAST_BENCH_SCALE ?? 1);
const AUDIT_LARGE = (process.env.BALLAST_BENCH_AUDIT_LARGE ?? 'auto') as 'auto' | 'on' | 'off';
const GROUPS = 'finding,appends,reads,commands,esdb,server,dashboard,anchors';
const ONLY = new Set((process.env.BALLAST_BENCH_ONLY ?? GROUPS).split(','));
const SERVER_SECONDS = Number(process.env.BALLAST_BENCH_SERVER_SECONDS ?? 5);
const SERVER_PROF = process.env.BALLAST_BENCH_SERVER_PROF;
/** Page loads of /dashboard measured in the dashboard group (issue 17), after one warm-up. */
const DASHBOARD_LOADS = Number(process.env.BALLAST_BENCH_DASHBOARD_LOADS ?? 20);
const RESULTS = join(__dirname, '..', 'results.json');

const log = (line: string) => console.log(line);

const commandLine = () => {
  const env = Object.entries(process.env)
    .filter(([k]) => k.startsWith('BALLAST_BENCH_') || k === 'BALLAST_ESDB_URL')
    .map(([k, v]) => `${k}=${v}`);
  return [...env, 'pnpm bench'].join(' ');
};

const main = async () => {
  const start = performance.now();
  const loadBefore = loadavg();
  const machine = machineFacts();
  const notes: string[] = [];
  const workloads: WorkloadResult[] = [];
  let fillSeconds: Record<string, number> = {};
  const finding: LostAppendsTrial[] = [];
  log(
    'Ballast vs Emmett 0.38.5 (SQLite) vs raw better-sqlite3; WAL + synchronous=FULL for all; ' +
      `medians of ${REPEATS} interleaved runs; scale ${SCALE}`,
  );
  log(
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ` +
      `commit ${machine.commit.slice(0, 10)}${machine.uncommittedChanges ? ' (+ uncommitted changes)' : ''}`,
  );
  const synchronous = await withDir((dir) => emmettSynchronousDefault(join(dir, 'pragma.db')));
  log(
    `Emmett's driver opens connections at synchronous=${synchronous} (2 = FULL); ` +
      'its one-connection setup sets PRAGMA synchronous = FULL itself',
  );

  if (ONLY.has('finding')) {
    log('\nfinding: Emmett default store, 64 concurrent first appends, three times');
    for (let i = 0; i < 3; i++) finding.push(await emmettConcurrentFirstAppendsInChild(64));
    log(`  ${findingText(finding)}`);
  }
  if (ONLY.has('appends')) {
    for (const spec of appendWorkloads(SCALE)) {
      log(`\n${spec.title} (${spec.note ?? ''})`);
      const result = summarize(spec, await interleave(spec.contenders, REPEATS));
      log(markdownTable([result]).split('\n')[2]!);
      workloads.push(result);
    }
  }
  if (ONLY.has('reads')) {
    log('\nread workloads: writing the logs (not measured)');
    await withDir(async (dir) => {
      const files = await writeLogFiles(dir, Math.round(200_000 * SCALE), Math.round(1_000_000 * SCALE), log);
      fillSeconds = files.fillSeconds;
      const reads = await readWorkloads(files, REPEATS, AUDIT_LARGE, log);
      for (const r of reads.results) log(markdownTable([r]).split('\n')[2]!);
      workloads.push(...reads.results);
    });
  }
  if (ONLY.has('commands')) {
    const streamEvents = Math.round(100_000 * SCALE);
    log(`\ncommands on a ${streamEvents.toLocaleString('en-US')}-event stream`);
    const results = await commandWorkloads(streamEvents, REPEATS, (line) => (log(line), notes.push(line.trim())));
    for (const r of results) log(markdownTable([r]).split('\n')[2]!);
    workloads.push(...results);
  }
  if (ONLY.has('esdb')) {
    log('\nEventStoreDB adapter vs the bare client');
    const r = await esdbWorkload(Math.max(50, Math.round(500 * SCALE)), REPEATS);
    log(markdownTable([r]).split('\n')[2]!);
    workloads.push(r);
  }

  let serverRuns: unknown[] | undefined;
  if (ONLY.has('server')) {
    log(
      '\nserver (issue 14): ballast serve in a child process, autocannon, 64 connections, ' +
        `0 and 100 SSE subscribers; ${SERVER_SECONDS} s runs`,
    );
    const server = await withDir((dir) =>
      serverWorkloads(dir, {
        repeats: REPEATS,
        seconds: SERVER_SECONDS,
        ...(SERVER_PROF === undefined ? {} : { cpuProfDir: SERVER_PROF }),
        log,
      }),
    );
    log(`\n${serverTable(server.results)}`);
    workloads.push(...server.results);
    notes.push(...server.notes);
    serverRuns = server.runs;
  }

  if (ONLY.has('dashboard')) {
    log(`\ndashboard (issue 17): /dashboard in Chromium over a simulated store, ${DASHBOARD_LOADS} loads`);
    const dashboard = await dashboardWorkload({ loads: DASHBOARD_LOADS, log });
    workloads.push(...dashboard.results);
    notes.push(...dashboard.notes);
  }

  if (ONLY.has('anchors')) {
    const events = Math.round(200_000 * SCALE);
    log(`\nanchors, export and import (issue 18), ${events.toLocaleString('en-US')} events over 1,000 treasuries`);
    const results = await withDir((dir) => anchorWorkloads(dir, events, REPEATS, log));
    for (const r of results) log(anchorResultLine(r));
    workloads.push(...results);
  }

  const busy = emmettDefaultBusyRetries();
  if (busy > 0)
    notes.push(
      `Emmett default setup: ${busy} appends failed with SQLITE_BUSY (one caller at a time) and were retried; the retries are in its time`,
    );
  const totalSeconds = (performance.now() - start) / 1000;
  const loadAverage = { before: loadBefore, after: loadavg() };
  log(
    `load average (1, 5, 15 min): ${loadBefore.map((l) => l.toFixed(2)).join(', ')} before, ` +
      `${loadAverage.after.map((l) => l.toFixed(2)).join(', ')} after`,
  );
  // A subset run replaces its own workloads in results.json and keeps the others' (each says when it was measured).
  const stamp = { date: machine.date, commit: machine.commit, command: commandLine() };
  const measured = workloads.map((w) => ({ ...w, measured: stamp }));
  const previous =
    ONLY.size < GROUPS.split(',').length && existsSync(RESULTS)
      ? (JSON.parse(readFileSync(RESULTS, 'utf8')) as Results)
      : undefined;
  const ids = new Set(measured.map((w) => w.id));
  const kept = (previous?.workloads ?? [])
    .filter((w) => !ids.has(w.id))
    .map((w) => ({
      ...w,
      measured: w.measured ?? {
        date: previous!.machine.date,
        commit: previous!.machine.commit,
        command: previous!.command,
      },
    }));
  const results: Results = {
    command: commandLine(),
    machine,
    repeats: REPEATS,
    scale: SCALE,
    durability: 'WAL + synchronous=FULL for every side',
    ratioMeaning:
      'how many times faster Ballast is than that side (> 1: Ballast faster), for rates and durations alike',
    loadAverage,
    workloads: [...kept, ...measured],
    ...(serverRuns !== undefined ? { serverRuns } : previous?.serverRuns ? { serverRuns: previous.serverRuns } : {}),
    findings: {
      emmettDefaultConcurrentFirstAppends:
        finding.length || !previous ? finding : previous.findings.emmettDefaultConcurrentFirstAppends,
      emmettDefaultSynchronous: synchronous,
      emmettDefaultBusyRetries: busy,
    },
    fillSeconds: Object.keys(fillSeconds).length || !previous ? fillSeconds : previous.fillSeconds,
    notes: [...notes, ...(previous?.notes ?? []).filter((n) => !(ONLY.has('server') && n.startsWith('server group')))],
    totalSeconds,
  };
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  const peerRows = workloads.filter((w) => !w.id.startsWith('server-'));
  if (peerRows.length > 0) log(`\n${markdownTable(peerRows)}\n`);
  if (finding.length) log(`${findingText(finding)}\n`);
  for (const note of notes) log(note);
  log(
    `${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, ${machine.date.slice(0, 10)}, ` +
      `commit ${machine.commit.slice(0, 10)}; \`${results.command}\`; ${Math.round(totalSeconds)} s`,
  );
  log(`wrote ${RESULTS}`);
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
