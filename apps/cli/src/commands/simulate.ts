import { auditStore } from '@ballast/engine';
import { ledgerLines } from './ledger-lines';
import {
  DEFAULT_ESDB_NAMESPACE,
  type EventStore,
  openEsdbStore,
  openMemoryStore,
  openSqliteStore,
} from '@ballast/event-store';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { EXIT, UsageError } from '../cli-io';
import type { CliCommand } from '../command';
import { reportHtml } from '../simulation/report-html';
import { appendRunMarker, simulationStream } from '../simulation/run-marker';
import { runSimulation } from '../simulation/run-simulation';
import { DEFAULT_SIMULATION, type SimulationOptions } from '../simulation/simulation-types';
import { backupStore } from '../simulation/store-backup';
import { summaryTable } from '../simulation/summary-table';
import { isEsdbUrl } from '../store-options';
import { SCENARIOS } from '@ballast/sim';

const positiveInt = (name: string, value: unknown, fallback: number, max: number): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1 || n > max)
    throw new UsageError(`--${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  return n;
};

/**
 * The simulation's own store, named by its seed: never `./data/ballast.db`, where the README's
 * library examples write, so that `pnpm start` cannot touch a store a user made by hand.
 */
export const simulationDb = (seed: number): string => `./data/sim-seed-${seed}.db`;

/** The default store's path, for the help text. */
const DEFAULT_DB = simulationDb(DEFAULT_SIMULATION.seed);

/** 128 + SIGINT, as a shell reports a command stopped by Ctrl-C. */
const EXIT_INTERRUPTED = 130;

export const simulateCommand: CliCommand = {
  name: 'simulate',
  summary: 'run agents through a deterministic simulation, report and audit it (the main job)',
  help: `Usage: ballast simulate [options]

Runs agents with treasuries (preset "agent"), one insurance pool and escrow jobs between them
through the engine for N days of virtual time, hour by hour: casino bets at true odds, perpetual
positions on a price path with crashes, escrows that are paid, disputed or defaulted, premiums,
claims and votes (some voters dishonest). Then prints a summary table, writes OUT/summary.json and
OUT/report.html, and audits the store. The same seed and options give a byte-identical summary
and the same audit digest.

The store records how the run ended: one event in the stream simulation-SEED, SimulationCompleted
or SimulationStopped (not folded by the audit, so it leaves the digest as it was).

Ctrl-C stops the run at the end of the current hour of virtual time: the events so far stay in the
store, SimulationStopped is appended, and the summary, report and audit of the partial run are
written with "complete": false in summary.json. A stopped run cannot be resumed (the random
streams, price paths and pending jobs live in the process, not in the store): run it again with
--fresh, which keeps the stopped store as a backup. A second Ctrl-C quits at once.

Options:
  --days N            days of virtual time (default ${DEFAULT_SIMULATION.days})
  --agents N          number of agents (default ${DEFAULT_SIMULATION.agents})
  --seed N            random seed (default ${DEFAULT_SIMULATION.seed})
  --store KIND        sqlite (default), memory, or an EventStoreDB/KurrentDB connection string
                      such as esdb://localhost:2113?tls=false (see docker-compose.yml)
  --db PATH           the SQLite store (default ./data/sim-seed-SEED.db: ${DEFAULT_DB} for seed ${DEFAULT_SIMULATION.seed})
  --namespace NAME    Ballast's stream prefix in EventStoreDB (default ${DEFAULT_ESDB_NAMESPACE}); a namespace
                      that already holds events is refused: pick another one per run
  --fresh             start a new store at PATH even if one exists there: the old one (with its
                      -wal and -shm files) is moved to NAME.backup-N.EXT, N one past the highest
                      backup there, never deleted. Without --fresh an existing store is refused
  --out DIR           where summary.json and report.html go (default ./out)
  --kelly FRACTION    trade sizing: full, half (default) or quarter Kelly
  --bet-cap RATIO     per-bet cap as a fraction of the casino bankroll (default ${DEFAULT_SIMULATION.betCap})
  --lottery on|off    casino bets by the explicit lottery policy (default on); off = Kelly, which
                      refuses every seeded game (each has a house edge)
  --scenario NAME     normal (default) or stress: crash days (a 40% gap every third day from
                      day 2), a bad counterparty (agent-1 mostly defaults or disputes when hired)
                      and a dishonest voter bloc (the last two agents), so that breakers trip
  --defi N            DeFi treasuries (preset "defi", $400,000 each) beside the agents (default 0):
                      one reading a day of a synthetic market cycle spread over the run, traded
                      as \`ballast backtest\` trades (base sleeve in simulated yield venues);
                      moves above the approval threshold are approved by the simulation's
                      operator. 0 leaves the run exactly as without it
  -h, --help          show this help

Exit codes: 0 ok, 1 the audit failed, 2 bad usage (or an existing store without --fresh), 3 the store could not be opened,
130 stopped by Ctrl-C (the partial run is kept, marked and summarised; its audit passed).`,
  options: {
    days: { type: 'string' },
    agents: { type: 'string' },
    seed: { type: 'string' },
    store: { type: 'string' },
    db: { type: 'string' },
    namespace: { type: 'string' },
    fresh: { type: 'boolean' },
    out: { type: 'string' },
    kelly: { type: 'string' },
    'bet-cap': { type: 'string' },
    lottery: { type: 'string' },
    scenario: { type: 'string' },
    defi: { type: 'string' },
  },
  run: async (values, io, signal) => {
    const kelly = (values.kelly as string | undefined) ?? 'half';
    if (!['full', 'half', 'quarter'].includes(kelly))
      throw new UsageError(`--kelly must be full, half or quarter, got ${kelly}`);
    const lottery = (values.lottery as string | undefined) ?? 'on';
    if (!['on', 'off'].includes(lottery)) throw new UsageError(`--lottery must be on or off, got ${lottery}`);
    const betCap = (values['bet-cap'] as string | undefined) ?? DEFAULT_SIMULATION.betCap;
    if (!/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/.test(betCap) || Number(betCap) <= 0)
      throw new UsageError(`--bet-cap must be a decimal in (0, 1], got ${betCap}`);
    const scenario = (values.scenario as string | undefined) ?? DEFAULT_SIMULATION.scenario;
    if (!(SCENARIOS as readonly string[]).includes(scenario))
      throw new UsageError(`--scenario must be ${SCENARIOS.join(' or ')}, got ${scenario}`);
    const kind = (values.store as string | undefined) ?? 'sqlite';
    const esdb = isEsdbUrl(kind);
    if (!esdb && !['sqlite', 'memory'].includes(kind))
      throw new UsageError(`--store must be sqlite, memory or an esdb:// connection string, got ${kind}`);
    if (values.namespace !== undefined && !esdb) throw new UsageError('--namespace only applies to --store esdb://…');
    const namespace = (values.namespace as string | undefined) ?? DEFAULT_ESDB_NAMESPACE;
    const defi = values.defi === undefined ? 0 : Number(values.defi);
    if (!Number.isSafeInteger(defi) || defi < 0 || defi > 20)
      throw new UsageError(`--defi must be an integer from 0 to 20, got ${String(values.defi)}`);
    const options: SimulationOptions = {
      ...DEFAULT_SIMULATION,
      days: positiveInt('days', values.days, DEFAULT_SIMULATION.days, 3650),
      agents: positiveInt('agents', values.agents, DEFAULT_SIMULATION.agents, 200),
      seed: positiveInt('seed', values.seed, DEFAULT_SIMULATION.seed, 2 ** 31),
      sizing: `${kelly}-kelly` as SimulationOptions['sizing'],
      lottery: lottery === 'on',
      betCap,
      scenario: scenario as SimulationOptions['scenario'],
      // Absent unless asked for, so that a run without DeFi treasuries writes the summary it always has.
      ...(defi > 0 ? { defi } : {}),
    };
    const out = (values.out as string | undefined) ?? './out';
    // Checked before the run, not after it: a run is minutes of work to lose to a typo.
    try {
      mkdirSync(out, { recursive: true });
    } catch (error) {
      throw new UsageError(
        `--out ${out} cannot be a directory for summary.json and report.html: ${(error as Error).message}`,
      );
    }
    const db = (values.db as string | undefined) ?? simulationDb(options.seed);

    let store: EventStore;
    if (kind === 'memory') store = openMemoryStore();
    else if (esdb) {
      store = await openEsdbStore(kind, { namespace });
      // Events in EventStoreDB are never deleted by Ballast, so a used namespace cannot be made fresh.
      if ((await store.headPosition()) > 0) {
        await store.close();
        throw new UsageError(
          `namespace ${namespace} at ${kind} already holds events (from an earlier run?). ` +
            'Pass --namespace with a new name, or wipe the development server (docker compose down -v); ' +
            'nothing was written',
        );
      }
    } else {
      if (existsSync(db)) {
        if (!values.fresh) {
          throw new UsageError(
            `${db} already holds a store (from an earlier run?). ` +
              'Pass --fresh to start anew (the old store is kept as a backup), ' +
              'or --db elsewhere; it was left untouched',
          );
        }
        // Refuse before moving anything if another process is writing to it.
        openSqliteStore(db).close();
        io.out(`kept the earlier store as ${backupStore(db)}`);
      }
      mkdirSync(dirname(db), { recursive: true });
      store = openSqliteStore(db);
    }
    try {
      const where = kind === 'memory' ? 'memory store' : esdb ? `EventStoreDB ${kind}, namespace ${namespace}` : db;
      const beside = defi > 0 ? ` and ${defi} DeFi treasur${defi === 1 ? 'y' : 'ies'}` : '';
      io.out(`simulating ${options.agents} agents${beside} for ${options.days} days (seed ${options.seed}, ${where})`);
      const started = performance.now();
      const onStop = () =>
        io.err(
          'stopping at the end of this hour of virtual time; the events so far are kept (Ctrl-C again quits at once)',
        );
      signal.addEventListener('abort', onStop, { once: true });
      const result = await runSimulation(
        store,
        options,
        (d) => {
          if (d % 10 === 0 || d === options.days)
            io.out(`  day ${String(d).padStart(String(options.days).length)}/${options.days}`);
        },
        signal,
      ).finally(() => signal.removeEventListener('abort', onStop));
      const seconds = (performance.now() - started) / 1000;
      const run = { complete: result.complete, hoursRun: result.hoursRun, totalHours: options.days * 24 };
      await appendRunMarker(store, options.seed, { ...run, ...(result.complete ? {} : { stoppedBy: 'SIGINT' }) });
      if (!result.complete)
        io.out(
          `stopped after hour ${run.hoursRun} of ${run.totalHours}: ` +
            `the run is INCOMPLETE (recorded in ${simulationStream(options.seed)}); what follows is the partial run`,
        );
      const audit = await auditStore(store);
      for (const line of summaryTable(result)) io.out(line);
      io.out(
        `simulation: ${result.commands} commands, ${result.events} events in ${seconds.toFixed(2)} s ` +
          `(${Math.round(result.events / seconds)} events/s)`,
      );
      const summary = {
        options,
        run,
        agents: result.agents,
        // Only in a run with DeFi treasuries, so a run without them writes the summary it always has.
        ...(result.defi === undefined
          ? {}
          : {
              defi: result.defi,
              series: result.series.map((point) => ({ hour: point.hour, defi: point.defi })),
            }),
        pool: result.pool,
        warnings: result.warnings,
        refusals: result.refusals,
        claims: result.claims,
        breakers: result.breakers.map(({ hour: _hour, ...b }) => b),
        commands: result.commands,
        events: result.events,
        audit: {
          ok: audit.ok,
          totalDigest: audit.totalDigest,
          aggregates: audit.aggregates.length,
          ledger: {
            ok: audit.ledger.ok,
            transfers: audit.ledger.transfers,
            inFlight: audit.ledger.inFlight,
            external: audit.ledger.external,
          },
        },
      };
      writeFileSync(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
      writeFileSync(join(out, 'report.html'), reportHtml(result, audit.totalDigest));
      io.out(`wrote ${join(out, 'summary.json')} and ${join(out, 'report.html')}`);
      for (const line of ledgerLines(audit.ledger)) io.out(line);
      const incomplete = result.complete ? '' : ` (of an INCOMPLETE run: ${run.hoursRun} of ${run.totalHours} hours)`;
      io.out(
        audit.ok
          ? `audit: ok, ${audit.aggregates.length} aggregates and ${audit.projections.length} read models re-folded; ` +
              `digest ${audit.totalDigest}${incomplete}`
          : `audit: FAILED at ${audit.problem!.streamId} revision ${audit.problem!.revision}: ${audit.problem!.message}`,
      );
      if (!audit.ok) return EXIT.checkFailed;
      return result.complete ? EXIT.ok : EXIT_INTERRUPTED;
    } finally {
      await store.close();
    }
  },
};
