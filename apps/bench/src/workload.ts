import { performance } from 'node:perf_hooks';
import { median } from './measure';

/**
 * Who is measured: Ballast, Emmett's SQLite store (best and default setups), raw better-sqlite3, the bare ESDB client;
 * in the server group, `ballast` is the HTTP server and `library` the same command through `openBallast` in-process;
 * in the anchors group, `unanchored` is the same check without an anchor file.
 */
export type Side = 'ballast' | 'emmett' | 'emmettDefault' | 'raw' | 'bareClient' | 'library' | 'unanchored';

export const SIDE_LABEL: Record<Side, string> = {
  ballast: 'Ballast',
  emmett: 'Emmett (one connection)',
  emmettDefault: 'Emmett (default)',
  raw: 'raw better-sqlite3',
  bareClient: 'bare ESDB client',
  library: 'in-process library',
  unanchored: 'Ballast without anchors',
};

export type Unit = 'events/s' | 'appends/s' | 'commands/s' | 'requests/s' | 'ms' | 's' | 'MB';

/** One side's run: returns the figure in the workload's unit (a rate, or a duration in ms). */
export interface Contender {
  readonly side: Side;
  run(): Promise<number>;
}

/** The target for the workload: a floor or ceiling on Ballast's figure, or on its ratio to a side. */
export type Target =
  | { readonly text: string; readonly kind: 'ratio'; readonly vs: Side; readonly min: number }
  | { readonly text: string; readonly kind: 'min' | 'max'; readonly value: number };

export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly unit: Unit;
  /** Medians per side, in `unit`. */
  readonly medians: Partial<Record<Side, number>>;
  readonly samples: Partial<Record<Side, number[]>>;
  /** How many times faster Ballast is than each side (> 1: Ballast faster), whatever the unit. */
  readonly ratios: Partial<Record<Side, number>>;
  readonly target?: string;
  readonly met?: boolean;
  readonly note?: string;
}

export const lowerIsBetter = (unit: Unit) => unit === 'ms' || unit === 's' || unit === 'MB';

/** A run longer than this is not repeated: the bench must finish in ten minutes on two cores. */
export const LONG_RUN_MS = 30_000;

/**
 * Runs every contender once per repeat, rotating the order each repeat, so all sides see the same
 * noise from a shared machine and none always runs first (cold caches) or last.
 */
export const interleave = async (
  contenders: readonly Contender[],
  repeats: number,
): Promise<Partial<Record<Side, number[]>>> => {
  const samples: Partial<Record<Side, number[]>> = {};
  const skip = new Set<Side>();
  for (let r = 0; r < repeats; r++) {
    for (let i = 0; i < contenders.length; i++) {
      const c = contenders[(i + r) % contenders.length]!;
      if (skip.has(c.side)) continue;
      const t0 = performance.now();
      (samples[c.side] ??= []).push(await c.run());
      if (performance.now() - t0 > LONG_RUN_MS) skip.add(c.side);
    }
  }
  return samples;
};

const judge = (
  target: Target,
  ballast: number | undefined,
  ratios: Partial<Record<Side, number>>,
): boolean | undefined => {
  if (target.kind === 'ratio') {
    const r = ratios[target.vs];
    return r === undefined ? undefined : r >= target.min;
  }
  if (ballast === undefined) return undefined;
  return target.kind === 'min' ? ballast >= target.value : ballast <= target.value;
};

/** Medians, ratios to Ballast and the verdict against the target. */
export const summarize = (
  spec: { id: string; title: string; unit: Unit; target?: Target; note?: string },
  samples: Partial<Record<Side, number[]>>,
): WorkloadResult => {
  const medians: Partial<Record<Side, number>> = {};
  for (const [side, values] of Object.entries(samples) as [Side, number[]][]) medians[side] = median(values);
  const ballast = medians.ballast;
  const ratios: Partial<Record<Side, number>> = {};
  for (const [side, value] of Object.entries(medians) as [Side, number][]) {
    if (side === 'ballast' || ballast === undefined) continue;
    ratios[side] = lowerIsBetter(spec.unit) ? value / ballast : ballast / value;
  }
  const met = spec.target ? judge(spec.target, ballast, ratios) : undefined;
  return {
    id: spec.id,
    title: spec.title,
    unit: spec.unit,
    medians,
    samples,
    ratios,
    ...(spec.target ? { target: spec.target.text } : {}),
    ...(met === undefined ? {} : { met }),
    ...(spec.note ? { note: spec.note } : {}),
  };
};
