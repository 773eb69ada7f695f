import type { LostAppendsTrial } from './emmett-finding';
import type { Machine } from './machine';
import type { Side, Unit, WorkloadResult } from './workload';

const UNIT_SHORT: Record<Unit, string> = { 'events/s': 'ev/s', 'appends/s': '/s', ms: 'ms', s: 's', MB: 'MB' };

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
    '| workload | Ballast | Emmett, one connection | Emmett, default | raw better-sqlite3 / bare client | Ballast vs floor | Ballast vs Emmett | target | |',
    '|---|--:|--:|--:|--:|--:|--:|---|---|',
  ];
  for (const r of results) {
    const floor = floorOf(r);
    const emmettRatio = r.ratios.emmett ?? r.ratios.emmettDefault;
    lines.push(
      `| ${r.title} | ${fmt(r.medians.ballast, r.unit)} | ${fmt(r.medians.emmett, r.unit)} | ${fmt(r.medians.emmettDefault, r.unit)} | ${fmt(r.medians[floor], r.unit)}${floor === 'bareClient' ? ' (bare)' : ''} | ${times(r.ratios[floor])} | ${times(emmettRatio)} | ${r.target ?? ''} | ${verdict(r)} |`,
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

export interface Results {
  readonly command: string;
  readonly machine: Machine;
  readonly repeats: number;
  readonly scale: number;
  readonly durability: string;
  readonly ratioMeaning: string;
  readonly workloads: readonly WorkloadResult[];
  readonly findings: {
    readonly emmettDefaultConcurrentFirstAppends: readonly LostAppendsTrial[];
    readonly emmettDefaultSynchronous: number;
    readonly emmettDefaultBusyRetries: number;
  };
  readonly fillSeconds: Record<string, number>;
  readonly notes: readonly string[];
  readonly totalSeconds: number;
}
