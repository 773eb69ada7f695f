import { TreasuryConfigCodec, agentPreset } from '@ballast/domain';
import { openBallast, systemClock } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import autocannon from 'autocannon';
import * as E from 'fp-ts/Either';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, percentile } from './measure';
import { runCli, startServerChild, startSubscribers, type Subscribers } from './server-process';
import { summarize, type Target, type Unit, type WorkloadResult } from './workload';

/**
 * Issue 14's performance figures: the HTTP server (`ballast serve` in a child process) under
 * autocannon on loopback, 64 connections, with 0 and with 100 SSE subscribers of the event log
 * attached (in a third process); the same command through the in-process library for the ratio;
 * SSE delivery latency after a command's acknowledgement. Every run starts from a copy of one
 * template store (64 treasuries opened and funded, their agents' keys, a service key), so all runs
 * see the same state; the kinds of run are interleaved, rotating order each repeat.
 */

export const AGENTS = 64;
const CONNECTIONS = 64;
const SUBSCRIBERS = 100;
/** Commands sent one at a time, each acknowledged before the next, for the SSE delivery latency. */
const PROBE_COMMANDS = 300;

/** The bet: a lottery-sized treasury takes an explicit stake on any game (every game in the table has a house edge). */
const betBody = (betId: string) => JSON.stringify({ type: 'PlaceBet', betId, game: 'coin_flip', stake: '0.01' });
const agentId = (i: number) => `agent-${i}`;

const epochNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Template {
  readonly dir: string;
  readonly db: string;
  readonly head: number;
  readonly serviceKey: string;
  readonly agentKeys: readonly string[];
}

const call = async (url: string, key: string, method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
};

/**
 * The store every run copies: an operator key (`ballast keys`), then over the API a service key,
 * 64 agent keys and their treasuries (the agent preset with lottery sizing), each funded at its
 * bucket targets (1,000,000 in all) so the drift rebalancer has nothing to do.
 */
const writeTemplate = async (dir: string): Promise<Template> => {
  const db = join(dir, 'template.db');
  const created = JSON.parse(
    await runCli(['keys', '--db', db, '--create', '--principal', 'ops', '--role', 'operator', '--json']),
  ) as { key: string };
  const ops = created.key;
  const server = await startServerChild(db);
  try {
    const serviceKey = (await call(server.url, ops, 'POST', '/v1/keys', { principal: 'bench-reader', role: 'service' }))
      .key as string;
    const config = TreasuryConfigCodec.encode({ ...agentPreset(), sizing: 'lottery' });
    // Each agent's steps in order, the agents side by side.
    const agentKeys = await Promise.all(
      Array.from({ length: AGENTS }, async (_, i) => {
        const path = `/v1/treasuries/${agentId(i)}/commands`;
        const key = (await call(server.url, ops, 'POST', '/v1/keys', { principal: agentId(i), role: 'agent' }))
          .key as string;
        await call(server.url, ops, 'POST', path, { type: 'OpenTreasury', config });
        for (const [bucket, amount] of [
          ['reserve', '400000'],
          ['trading', '350000'],
          ['casino', '150000'],
          ['referral', '100000'],
        ] as const)
          await call(server.url, key, 'POST', path, { type: 'Deposit', amount, bucket });
        return key;
      }),
    );
    const events = await call(server.url, ops, 'GET', '/v1/events?from=0&limit=1000');
    const head = (events.next as number) - 1;
    // Let the read models and process managers save their checkpoints at the head.
    await call(server.url, serviceKey, 'GET', `/v1/read-models/treasury-overview?waitFor=${head}`);
    await sleep(300);
    return { dir, db, head, serviceKey, agentKeys };
  } finally {
    await server.stop();
  }
};

let copies = 0;
/** A fresh copy of the template store (and its checkpoints) for one run. */
const copyTemplate = (t: Template): string => {
  const dir = join(t.dir, `run-${++copies}`);
  mkdirSync(dir);
  const base = join(dir, 'ballast');
  for (const suffix of ['.db', '.db-wal', '.checkpoints.db', '.checkpoints.db-wal']) {
    const from = t.db.replace(/\.db$/, suffix);
    if (existsSync(from)) copyFileSync(from, base + suffix);
  }
  return `${base}.db`;
};

/** What one load run measured: rate of 2xx answers, latency percentiles, the answers by status. */
export interface LoadFigures {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly statuses: Record<string, number>;
  readonly seconds: number;
}

interface Acked {
  readonly position: number;
  readonly at: number;
}

/**
 * Autocannon runs side by side (one per connection when each connection needs state of its own:
 * autocannon resets a request's context on every request); rates, latencies (2xx only) and
 * statuses from their `response` events, latencies as floats in ms (its histogram keeps whole ms).
 */
const cannon = async (runs: readonly autocannon.Options[]): Promise<LoadFigures> => {
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const results = await Promise.all(
    runs.map(
      (options) =>
        new Promise<autocannon.Result>((resolve, reject) => {
          const instance = autocannon(options, (error: unknown, result) => (error ? reject(error) : resolve(result)));
          instance.on('response', (_client, status, _bytes, ms) => {
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status >= 200 && status < 300) latencies.push(ms);
          });
        }),
    ),
  );
  const errors = results.reduce((n, r) => n + r.errors + r.timeouts, 0);
  if (errors > 0) statuses.errors = errors;
  const seconds = Math.max(...results.map((r) => r.duration));
  return {
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    statuses,
    seconds,
  };
};

/**
 * Bets over HTTP on `CONNECTIONS` connections, each the agent of its own treasury (so no two
 * commands fight over a stream), each bet a new id and no Idempotency-Key. Every 20th 201's
 * position and arrival time are kept (for delivery latency under load).
 */
const commandLoad = async (
  url: string,
  t: Template,
  tag: string,
  seconds: number,
): Promise<LoadFigures & { acked: Acked[] }> => {
  const acked: Acked[] = [];
  let answered = 0;
  const figures = await cannon(
    Array.from({ length: CONNECTIONS }, (_, c) => {
      const agent = c % AGENTS;
      let sent = 0;
      return {
        url: `${url}/v1/treasuries/${agentId(agent)}/commands`,
        connections: 1,
        duration: seconds,
        method: 'POST' as const,
        headers: { authorization: `Bearer ${t.agentKeys[agent]}`, 'content-type': 'application/json' },
        requests: [
          {
            setupRequest: (req: autocannon.Request) => ({ ...req, body: betBody(`${tag}-${c}-${++sent}`) }),
            onResponse: (status: number, body: string) => {
              if (status === 201 && ++answered % 20 === 0)
                acked.push({ position: (JSON.parse(body) as { position: number }).position, at: epochNow() });
            },
          },
        ],
      };
    }),
  );
  return { ...figures, acked };
};

/** `GET /v1/read-models/treasury-overview` from `CONNECTIONS` connections with the service key. */
const readLoad = (url: string, t: Template, seconds: number): Promise<LoadFigures> =>
  cannon([
    {
      url: `${url}/v1/read-models/treasury-overview`,
      connections: CONNECTIONS,
      duration: seconds,
      headers: { authorization: `Bearer ${t.serviceKey}` },
    },
  ]);

/** The same bets through the library in this process: `openBallast` on a copy of the template, 64 concurrent callers. */
const libraryLoad = async (t: Template, seconds: number): Promise<LoadFigures> => {
  const store = openSqliteStore(copyTemplate(t));
  const ballast = openBallast({ store, clock: systemClock });
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const run = async (until: number, measure: boolean, tag: string) =>
    Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, c) => {
        const agent = agentId(c % AGENTS);
        for (let n = 1; performance.now() < until; n++) {
          const t0 = performance.now();
          const r = await ballast.treasuries.executeJson(
            agent,
            { type: 'PlaceBet', betId: `${tag}-${c}-${n}`, game: 'coin_flip', stake: '0.01' },
            { commandId: `lib.${tag}.${c}.${n}`, actor: agent },
          );
          if (!measure) continue;
          latencies.push(performance.now() - t0);
          const status = E.isRight(r) ? 'ok' : r.left.code;
          statuses[status] = (statuses[status] ?? 0) + 1;
        }
      }),
    );
  try {
    await run(performance.now() + 1000, false, 'warm');
    const t0 = performance.now();
    await run(t0 + seconds * 1000, true, 'lib');
    const elapsed = (performance.now() - t0) / 1000;
    return {
      perSecond: (statuses.ok ?? 0) / elapsed,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      statuses,
      seconds: elapsed,
    };
  } finally {
    await ballast.snapshots.settled();
    await store.close();
  }
};

/** Delivery latency: for each acknowledged position, every subscriber's arrival time minus the acknowledgement's. */
const deliveryMs = async (subs: Subscribers, acked: readonly Acked[]): Promise<{ ms: number[]; missing: number }> => {
  const times = await subs.times(acked.map((a) => a.position));
  const ms: number[] = [];
  let missing = 0;
  times.forEach((perSub, i) => {
    for (const at of perSub) {
      if (at === null) continue;
      ms.push(at - acked[i]!.at);
    }
    missing += perSub.filter((x) => x === null).length;
  });
  return { ms, missing };
};

/** What one run of each kind returns: named figures (a rate or ms) and notes. */
type RunFigures = Record<string, number>;

interface Kind {
  readonly name: string;
  run(repeat: number): Promise<RunFigures>;
}

export interface ServerGroupOptions {
  readonly repeats: number;
  readonly seconds: number;
  /** Writes the server child's V8 CPU profile (`--cpu-prof`) of every HTTP run here. */
  readonly cpuProfDir?: string;
  readonly log: (line: string) => void;
}

export interface ServerGroupResult {
  readonly results: WorkloadResult[];
  readonly notes: string[];
  readonly runs: { kind: string; repeat: number; loadAverage: number[]; figures: RunFigures; statuses?: unknown }[];
}

export const serverWorkloads = async (dir: string, options: ServerGroupOptions): Promise<ServerGroupResult> => {
  const { repeats, seconds, log } = options;
  const t0 = performance.now();
  const t = await writeTemplate(dir);
  log(
    `  template store: ${AGENTS} treasuries, keys, head ${t.head} (${((performance.now() - t0) / 1000).toFixed(1)} s, not measured)`,
  );
  const runs: ServerGroupResult['runs'] = [];

  /** One server on a fresh copy; `subscribers` SSE subscribers of the log attached before the load. */
  const withServer = async <T>(
    subscribers: number,
    kind: string,
    fn: (url: string, subs: Subscribers | undefined) => Promise<T>,
  ): Promise<T> => {
    const server = await startServerChild(copyTemplate(t), options.cpuProfDir);
    if (options.cpuProfDir !== undefined)
      log(`  ${kind}: server pid ${server.pid} (CPU profile in ${options.cpuProfDir})`);
    try {
      // `after` one before the head: each subscriber gets one event at once, so its response has begun.
      const subs =
        subscribers > 0 ? await startSubscribers(server.url, t.serviceKey, subscribers, t.head - 1) : undefined;
      try {
        return await fn(server.url, subs);
      } finally {
        await subs?.close();
      }
    } finally {
      await server.stop();
    }
  };

  const commandKind = (subscribers: number): Kind => ({
    name: `http-command-${subscribers}`,
    run: (repeat) =>
      withServer(subscribers, `http-command-${subscribers}`, async (url, subs) => {
        await commandLoad(url, t, `w${repeat}`, 1);
        // Under load, arrival times are kept for every 10th subscriber only (the child keeps up better).
        subs?.forget(10);
        const load = await commandLoad(url, t, `m${repeat}`, seconds);
        const figures: RunFigures = { perSecond: load.perSecond, p50: load.p50, p99: load.p99 };
        if (subs !== undefined) {
          const lastPosition = Math.max(...load.acked.map((a) => a.position));
          const caught = await subs.waitFor(lastPosition, 30_000);
          figures.catchUpMs = caught.ms;
          const underLoad = await deliveryMs(subs, load.acked);
          figures.loadDeliveryP50 = percentile(underLoad.ms, 50);
          figures.loadDeliveryP99 = percentile(underLoad.ms, 99);
          // Then the probe: one command at a time, every subscriber's arrival time of its position.
          subs.forget(1);
          const acked: Acked[] = [];
          for (let i = 0; i < PROBE_COMMANDS; i++) {
            const agent = i % AGENTS;
            const answer = await call(url, t.agentKeys[agent]!, 'POST', `/v1/treasuries/${agentId(agent)}/commands`, {
              type: 'PlaceBet',
              betId: `p${repeat}-${i}`,
              game: 'coin_flip',
              stake: '0.01',
            });
            acked.push({ position: answer.position as number, at: epochNow() });
            await sleep(2);
          }
          await subs.waitFor(acked.at(-1)!.position, 10_000);
          const probe = await deliveryMs(subs, acked);
          figures.deliveryP50 = percentile(probe.ms, 50);
          figures.deliveryP99 = percentile(probe.ms, 99);
          figures.deliveryMissing = probe.missing;
        }
        runs.push({
          kind: `http-command-${subscribers}`,
          repeat,
          loadAverage: loadavg(),
          figures,
          statuses: load.statuses,
        });
        return figures;
      }),
  });

  const readKind = (subscribers: number): Kind => ({
    name: `http-read-${subscribers}`,
    run: (repeat) =>
      withServer(subscribers, `http-read-${subscribers}`, async (url) => {
        await readLoad(url, t, 1);
        const load = await readLoad(url, t, seconds);
        const figures = { perSecond: load.perSecond, p50: load.p50, p99: load.p99 };
        runs.push({
          kind: `http-read-${subscribers}`,
          repeat,
          loadAverage: loadavg(),
          figures,
          statuses: load.statuses,
        });
        return figures;
      }),
  });

  const libraryKind: Kind = {
    name: 'library-command',
    run: async (repeat) => {
      const load = await libraryLoad(t, seconds);
      const figures = { perSecond: load.perSecond, p50: load.p50, p99: load.p99 };
      runs.push({ kind: 'library-command', repeat, loadAverage: loadavg(), figures, statuses: load.statuses });
      return figures;
    },
  };

  const kinds = [commandKind(0), commandKind(SUBSCRIBERS), readKind(0), readKind(SUBSCRIBERS), libraryKind];
  const samples: Record<string, RunFigures[]> = {};
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < kinds.length; i++) {
      const kind = kinds[(i + r) % kinds.length]!;
      const figures = await kind.run(r);
      (samples[kind.name] ??= []).push(figures);
      log(
        `  ${kind.name} run ${r + 1}: ${Object.entries(figures)
          .map(([k, v]) => `${k} ${v < 100 ? v.toFixed(2) : Math.round(v)}`)
          .join(', ')} (load ${loadavg()[0]!.toFixed(2)})`,
      );
    }
  }

  const of = (kind: string, figure: string): number[] => (samples[kind] ?? []).map((f) => f[figure]!);
  const row = (
    id: string,
    title: string,
    unit: Unit,
    http: number[],
    library: number[] | undefined,
    note: string,
    target?: Target,
  ): WorkloadResult =>
    summarize(
      { id, title, unit, note, ...(target ? { target } : {}) },
      { ballast: http, ...(library ? { library } : {}) },
    );
  const commandTarget: Target = { text: '≥ 3,000 commands/s', kind: 'min', value: 3000 };
  const lib = 'library-command';
  const results: WorkloadResult[] = [];
  for (const subs of [0, SUBSCRIBERS]) {
    const k = `http-command-${subs}`;
    const with_ = `${subs} SSE subscribers`;
    results.push(
      row(
        `server-bet-rate-${subs}`,
        `bet command over HTTP, 64 connections, ${with_}`,
        'commands/s',
        of(k, 'perSecond'),
        of(lib, 'perSecond'),
        `durable PlaceBet (201) per second, autocannon, ${seconds} s; ` +
          'library: the same bets through openBallast in one process, 64 concurrent callers',
        commandTarget,
      ),
      row(
        `server-bet-p50-${subs}`,
        `bet command p50, ${with_}`,
        'ms',
        of(k, 'p50'),
        of(lib, 'p50'),
        'latency at the client (autocannon); library: executeJson to result',
      ),
      row(
        `server-bet-p99-${subs}`,
        `bet command p99, ${with_}`,
        'ms',
        of(k, 'p99'),
        of(lib, 'p99'),
        'latency at the client (autocannon); library: executeJson to result',
      ),
    );
  }
  for (const subs of [0, SUBSCRIBERS]) {
    const k = `http-read-${subs}`;
    const with_ = `${subs} SSE subscribers`;
    results.push(
      row(
        `server-read-rate-${subs}`,
        `read-model read over HTTP, 64 connections, ${with_}`,
        'requests/s',
        of(k, 'perSecond'),
        undefined,
        `GET /v1/read-models/treasury-overview (64 treasuries) per second, autocannon, ${seconds} s`,
      ),
      row(`server-read-p50-${subs}`, `read-model read p50, ${with_}`, 'ms', of(k, 'p50'), undefined, 'autocannon'),
      row(`server-read-p99-${subs}`, `read-model read p99, ${with_}`, 'ms', of(k, 'p99'), undefined, 'autocannon', {
        text: '≤ 5 ms',
        kind: 'max',
        value: 5,
      }),
    );
  }
  const sse = `http-command-${SUBSCRIBERS}`;
  results.push(
    row(
      'server-sse-delivery-p50',
      'SSE delivery p50 after the acknowledgement',
      'ms',
      of(sse, 'deliveryP50'),
      undefined,
      `${PROBE_COMMANDS} bets one at a time (2 ms apart), ` +
        "each subscriber's arrival of the position minus the client's acknowledgement, " +
        `all ${SUBSCRIBERS} subscribers`,
    ),
    row(
      'server-sse-delivery-p99',
      'SSE delivery p99 after the acknowledgement',
      'ms',
      of(sse, 'deliveryP99'),
      undefined,
      `${PROBE_COMMANDS} bets one at a time (2 ms apart), all ${SUBSCRIBERS} subscribers`,
      { text: '≤ 20 ms', kind: 'max', value: 20 },
    ),
    row(
      'server-sse-delivery-load-p50',
      'SSE delivery p50 under the 64-connection bet load',
      'ms',
      of(sse, 'loadDeliveryP50'),
      undefined,
      'every 20th bet of the measured load, every 10th subscriber',
    ),
    row(
      'server-sse-delivery-load-p99',
      'SSE delivery p99 under the 64-connection bet load',
      'ms',
      of(sse, 'loadDeliveryP99'),
      undefined,
      'every 20th bet of the measured load, every 10th subscriber',
    ),
  );
  const notes = [
    'server group: subscribers caught up with the last acknowledged bet ' +
      `${median(of(sse, 'catchUpMs')).toFixed(0)} ms (median) ` +
      `after the load ended; the probe missed ${of(sse, 'deliveryMissing').reduce((a, b) => a + b, 0)} deliveries`,
  ];
  return { results, notes, runs };
};
