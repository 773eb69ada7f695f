import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { rawDeposit } from './deposits';
import { emmettColdCommandInChild, emmettWarmCommands, fillEmmettStream } from './emmett-command';
import { engineCommandScenarios } from './engine-scenarios';
import { percentile, withDir } from './measure';
import { openRawPeer } from './raw-sqlite-peer';
import { interleave, summarize, type WorkloadResult } from './workload';

/** Ballast's cold (new process, default durable snapshots) and warm command cost, from engine-scenarios.ts. */
const ballastCommandCosts = async (events: number, coldRuns: number) => {
  const figures = await engineCommandScenarios({ events, coldRuns, warmCommands: 2_000 });
  return {
    coldMs: [...figures.cold.withSnapshotsMs],
    coldWithoutSnapshotsMs: figures.cold.withoutSnapshotsMedianMs,
    snapshotUsed: `${figures.cold.snapshotUsed}/${figures.cold.withSnapshotsMs.length}`,
    warmP99Ms: [figures.warm.p99Ms],
    warmP50Ms: figures.warm.p50Ms,
  };
};

/** The floor for a warm command: one durable single-row insert, p99 over `count`. */
const rawInsertP99 = (dir: string, count: number): number => {
  const raw = openRawPeer(join(dir, 'raw-insert.db'));
  try {
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const t0 = performance.now();
      raw.insertOne('s-1', i, rawDeposit(i));
      times.push(performance.now() - t0);
    }
    return percentile(times, 99);
  } finally {
    raw.close();
  }
};

/**
 * A deposit on a stream of `events` deposits: the first command in a new process (cold) and the
 * p99 of commands in a process that already ran one (warm). Emmett's command is aggregateStream +
 * appendToStream (it has no snapshots, so warm and cold both read the whole stream).
 */
export const commandWorkloads = async (
  events: number,
  repeats: number,
  log: (line: string) => void,
): Promise<WorkloadResult[]> =>
  withDir(async (dir) => {
    const emmettFile = join(dir, 'emmett-stream.db');
    const stream = 'treasury-alpha';
    await fillEmmettStream(emmettFile, stream, events);
    const ballast = await ballastCommandCosts(events, repeats);
    const cold = await interleave(
      [{ side: 'emmettDefault', run: () => emmettColdCommandInChild(emmettFile, stream) }],
      repeats,
    );
    const emmettWarm = await emmettWarmCommands(emmettFile, stream, 10);
    const k = `${Math.round(events / 1000)}k`;
    log(
      `  Ballast cold without durable snapshots: ${ballast.coldWithoutSnapshotsMs.toFixed(0)} ms (median); ` +
        `snapshot used in ${ballast.snapshotUsed} cold runs; warm p50 ${ballast.warmP50Ms.toFixed(2)} ms`,
    );
    return [
      summarize(
        {
          id: 'cold-command',
          title: `first command on a ${k}-event stream (new process)`,
          unit: 'ms',
          target: { text: '≤ 20 ms', kind: 'max', value: 20 },
          note:
            "ms from opening the store to the command's result, in a new Node process; " +
            `Ballast with its default durable snapshots (without: ${Math.round(ballast.coldWithoutSnapshotsMs)} ms); ` +
            'Emmett: its default store, aggregateStream + appendToStream',
        },
        { ballast: ballast.coldMs, ...cold },
      ),
      summarize(
        {
          id: 'warm-command',
          title: `warm command p99 (${k}-event stream)`,
          unit: 'ms',
          target: { text: '≤ 1 ms', kind: 'max', value: 1 },
          note:
            `Ballast: p99 of 2,000 deposits (p50 ${ballast.warmP50Ms.toFixed(2)} ms); ` +
            'Emmett: p99 of 10 commands on one connection (it re-reads the stream each time); ' +
            'raw: p99 of 2,000 single durable inserts',
        },
        { ballast: ballast.warmP99Ms, emmett: [percentile(emmettWarm, 99)], raw: [rawInsertP99(dir, 2000)] },
      ),
    ];
  });
