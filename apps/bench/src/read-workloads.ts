import { openSqliteStore } from '@ballast/event-store';
import { type AuditMeasure, type AuditRun, measureAuditInChild } from './audit-workload';
import { openEmmettPersistent } from './emmett-peer';
import type { LogFiles } from './log-files';
import { rateOf, time } from './measure';
import { openRawPeer } from './raw-sqlite-peer';
import { interleave, summarize, type Side, type WorkloadResult } from './workload';

/** Each audit run is a new Node process, so its peak RSS is its own. A failed run is reported, not thrown. */
const auditRun = async (
  path: string,
  measure: AuditMeasure,
  runs: AuditRun[],
  log: (line: string) => void,
): Promise<number> => {
  const run = await measureAuditInChild(path, measure);
  runs.push(run);
  if (!run.ok) log(`  ${measure}: the run reported a problem (ok=false), check=${run.check}`);
  return run.eventsPerSecond;
};

/** Every event read and its JSON parsed, nothing else: the price of reading, per side. */
const plainFold = (files: LogFiles) => [
  {
    side: 'ballast' as Side,
    run: async () => {
      const store = openSqliteStore(files.ballastSmall, { readonly: true });
      try {
        return rateOf(
          await time(async () => {
            let n = 0;
            for await (const e of store.readAll()) if (e.type) n++;
            return n;
          }),
        );
      } finally {
        await store.close();
      }
    },
  },
  {
    side: 'emmett' as Side,
    run: async () => {
      const emmett = await openEmmettPersistent(files.emmettSmall);
      try {
        let n = 0;
        return rateOf(await time(() => emmett.readAll((e) => e.type && n++)));
      } finally {
        await emmett.close();
      }
    },
  },
  {
    side: 'raw' as Side,
    run: async () => {
      const raw = openRawPeer(files.rawSmall);
      try {
        return rateOf(await time(() => raw.foldAll(() => {})));
      } finally {
        raw.close();
      }
    },
  },
];

export interface ReadResults {
  readonly results: WorkloadResult[];
  readonly auditRuns: AuditRun[];
}

/**
 * A plain fold of the small log on every side, `auditStore` on it, verify + fold on the large log,
 * then `auditStore` on the large one (time and peak RSS) when `large1M` says so: `auto` runs it
 * only if the small audit's rate predicts it finishes within `autoLimitS` seconds.
 */
export const readWorkloads = async (
  files: LogFiles,
  repeats: number,
  large1M: 'auto' | 'on' | 'off',
  log: (line: string) => void,
  autoLimitS = 60,
): Promise<ReadResults> => {
  const auditRuns: AuditRun[] = [];
  const results: WorkloadResult[] = [];
  const k = (n: number) => (n >= 1_000_000 ? `${+(n / 1_000_000).toFixed(1)}M` : `${Math.round(n / 1000)}k`);

  const fold = summarize(
    {
      id: 'plain-fold',
      title: `plain fold (read + JSON.parse every event), ${k(files.small)} events`,
      unit: 'events/s',
      note: 'the same events in each store',
    },
    await interleave(plainFold(files), repeats),
  );
  const rawFold = fold.medians.raw;

  const auditSmall = await interleave(
    [{ side: 'ballast', run: () => auditRun(files.ballastSmall, 'audit', auditRuns, log) }],
    repeats,
  );
  results.push(
    summarize(
      {
        id: 'audit',
        title: `auditStore, ${k(files.small)} events over 1,000 treasuries`,
        unit: 'events/s',
        target: { text: '≥ 150k ev/s', kind: 'min', value: 150_000 },
        note: 'every check on; raw column: its plain fold of the same log',
      },
      { ...auditSmall, ...(rawFold ? { raw: [rawFold] } : {}) },
    ),
  );

  let verifyFold: Partial<Record<Side, number[]>> = {};
  try {
    verifyFold = await interleave(
      [{ side: 'ballast', run: () => auditRun(files.ballastLarge, 'verify+fold', auditRuns, log) }],
      repeats,
    );
  } catch (error) {
    log(`  verify+fold: not measured (${(error as Error).message.split('\n')[0]})`);
  }
  results.push(
    summarize(
      {
        id: 'verify-fold',
        title: `verify chains + fold, ${k(files.large)} events (one pass)`,
        unit: 'events/s',
        target: { text: '≥ 250k ev/s', kind: 'min', value: 250_000 },
        note: `raw column: its plain fold of the ${k(files.small)} log`,
      },
      { ...verifyFold, ...(rawFold ? { raw: [rawFold] } : {}) },
    ),
  );
  results.push(fold);

  const smallRate = results[0]!.medians.ballast ?? 0;
  const predictedS = smallRate > 0 ? files.large / smallRate : Number.POSITIVE_INFINITY;
  if (large1M === 'on' || (large1M === 'auto' && predictedS <= autoLimitS)) {
    const before = auditRuns.length;
    await auditRun(files.ballastLarge, 'audit', auditRuns, log);
    const run = auditRuns[before]!;
    results.push(
      summarize(
        {
          id: 'audit-large-time',
          title: `auditStore, ${k(files.large)} events: time`,
          unit: 's',
          target: { text: '≤ 10 s', kind: 'max', value: 10 },
        },
        { ballast: [run.ms / 1000] },
      ),
    );
    results.push(
      summarize(
        {
          id: 'audit-large-rss',
          title: `auditStore, ${k(files.large)} events: peak RSS`,
          unit: 'MB',
          target: { text: '≤ 256 MB', kind: 'max', value: 256 },
        },
        { ballast: [run.peakRssBytes / 2 ** 20] },
      ),
    );
  } else {
    const why =
      large1M === 'off'
        ? 'BALLAST_BENCH_AUDIT_LARGE=off'
        : `the ${k(files.small)} audit predicts ${Math.round(predictedS)} s (over ${autoLimitS} s); BALLAST_BENCH_AUDIT_LARGE=on forces it`;
    results.push(
      summarize(
        {
          id: 'audit-large-time',
          title: `auditStore, ${k(files.large)} events: time`,
          unit: 's',
          target: { text: '≤ 10 s', kind: 'max', value: 10 },
          note: `not run: ${why}`,
        },
        {},
      ),
    );
  }
  return { results, auditRuns };
};
