import type { LostAppendsTrial } from './emmett-finding';
import type { Machine } from './machine';
import type { Side, Unit, WorkloadResult } from './workload';

const UNIT_SHORT: Record<Unit, string> = {
  'events/s': 'ev/s',
  'appends/s': '/s',
  'commands/s': '/s',
  'requests/s': 'req/s',
  ms: 'ms',
  s: 's',
  MB: 'MB',
};

const fmt = (value: number | undefined, unit: Unit): string => {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (unit === 'ms') return `${value < 10 ? value.toFixed(2) : Math.round(value).toLocaleString('en-US')} ms`;
  if (unit === 's') return `${value.toFixed(1)} s`;
  if (unit === 'MB') return `${Math.round(value)} MB`;
  return `${Math.round(value).toLocaleString('en-US')} ${UNIT_SHORT[unit]}`;
};

const times = (ratio: number | undefined): string =>
  ratio === undefined ? '—' : `${ratio >= 100 ? Math.round(ratio).toLocaleString('en-US') : ratio.toFixed(2)}×`;

/** The floor a workload is compared with: raw better-sqlite3, or the bare client for EventStoreDB. */
const floorOf = (r: WorkloadResult): Side => (r.medians.bareClient !== undefined ? 'bareClient' : 'raw');

const verdict = (r: WorkloadResult): string =>
  r.met === undefined ? (r.target ? 'not measured' : '') : r.met ? 'met' : 'missed';

/** A Markdown table to paste into the README: medians, Ballast's speed relative to each peer, the target. */
export const markdownTable = (results: readonly WorkloadResult[]): string => {
  const lines = [
    '| workload | Ballast | Emmett, one connection | Emmett, default | raw better-sqlite3 / bare client ' +
      '| Ballast vs floor | Ballast vs Emmett | target | |',
    '|---|--:|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const r of results) {
    const floor = floorOf(r);
    const emmettRatio = r.ratios.emmett ?? r.ratios.emmettDefault;
    lines.push(
      `| ${r.title} | ${fmt(r.medians.ballast, r.unit)} | ${fmt(r.medians.emmett, r.unit)} ` +
        `| ${fmt(r.medians.emmettDefault, r.unit)} ` +
        `| ${fmt(r.medians[floor], r.unit)}${floor === 'bareClient' ? ' (bare)' : ''} ` +
        `| ${times(r.ratios[floor])} | ${times(emmettRatio)} | ${r.target ?? ''} | ${verdict(r)} |`,
    );
  }
  return lines.join('\n');
};

/**
 * The server group (issue 14) as one table: each figure with 0 and with 100 SSE subscribers, the
 * in-process library beside the bet rows, how many times as fast HTTP is (< 1: slower), the target.
 */
export const serverTable = (results: readonly WorkloadResult[]): string => {
  const byId = new Map(results.map((r) => [r.id, r]));
  const lines = [
    '| figure | 0 SSE subscribers | 100 SSE subscribers | in-process library | HTTP vs library (0 / 100) | target | |',
    '|---|--:|--:|--:|--:|---|---|',
  ];
  const rows: [string, string, string?][] = [
    ['bet command, durable commands/s (64 connections)', 'server-bet-rate-0', 'server-bet-rate-100'],
    ['bet command p50', 'server-bet-p50-0', 'server-bet-p50-100'],
    ['bet command p99', 'server-bet-p99-0', 'server-bet-p99-100'],
    ['read-model read, requests/s (64 connections)', 'server-read-rate-0', 'server-read-rate-100'],
    ['read-model read p50', 'server-read-p50-0', 'server-read-p50-100'],
    ['read-model read p99', 'server-read-p99-0', 'server-read-p99-100'],
    ['SSE delivery p50 after the acknowledgement (one bet at a time)', '', 'server-sse-delivery-p50'],
    ['SSE delivery p99 after the acknowledgement (one bet at a time)', '', 'server-sse-delivery-p99'],
    ['SSE delivery p50 under the bet load', '', 'server-sse-delivery-load-p50'],
    ['SSE delivery p99 under the bet load', '', 'server-sse-delivery-load-p99'],
  ];
  for (const [title, zero, hundred] of rows) {
    const a = byId.get(zero);
    const b = hundred === undefined ? undefined : byId.get(hundred);
    const any = a ?? b;
    if (any === undefined) continue;
    const ratio =
      a?.ratios.library === undefined && b?.ratios.library === undefined
        ? ''
        : `${times(a?.ratios.library)} / ${times(b?.ratios.library)}`;
    const verdicts = [a, b].filter((r) => r?.target !== undefined).map((r) => verdict(r!));
    lines.push(
      `| ${title} | ${a ? fmt(a.medians.ballast, a.unit) : ''} | ${b ? fmt(b.medians.ballast, b.unit) : ''} ` +
        `| ${fmt(any.medians.library, any.unit).replace('—', '')} | ${ratio} ` +
        `| ${any.target ?? ''} | ${verdicts.join(' / ')} |`,
    );
  }
  return lines.join('\n');
};

export const findingText = (trials: readonly LostAppendsTrial[]): string =>
  `Emmett's default SQLite store, ${trials[0]?.calls ?? 64} concurrent first appends (a finding, not counted as throughput): ` +
  trials
    .map((t: LostAppendsTrial & { crashed?: string }, i) =>
      t.crashed
        ? `run ${i + 1}: the trial's process crashed (${t.crashed})`
        : `run ${i + 1}: ${t.reportedOk} reported ok, ${t.rowsInFile} rows in the file`,
    )
    .join('; ');

export interface MeasuredBy {
  readonly date: string;
  readonly commit: string;
  readonly command: string;
}

export interface Results {
  readonly command: string;
  readonly machine: Machine;
  readonly repeats: number;
  readonly scale: number;
  readonly durability: string;
  readonly ratioMeaning: string;
  /** os.loadavg() (1, 5 and 15 minutes) when the run started and ended: other work on the machine. */
  readonly loadAverage?: { readonly before: readonly number[]; readonly after: readonly number[] };
  /** Every workload, with the run that measured it (a BALLAST_BENCH_ONLY run keeps the others'). */
  readonly workloads: readonly (WorkloadResult & { readonly measured?: MeasuredBy })[];
  /** The server group's every run: kind, repeat, figures, answers by status, load average after it. */
  readonly serverRuns?: readonly unknown[];
  readonly findings: {
    readonly emmettDefaultConcurrentFirstAppends: readonly LostAppendsTrial[];
    readonly emmettDefaultSynchronous: number;
    readonly emmettDefaultBusyRetries: number;
  };
  readonly fillSeconds: Record<string, number>;
  readonly notes: readonly string[];
  readonly totalSeconds: number;
}
