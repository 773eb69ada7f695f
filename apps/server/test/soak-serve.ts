import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `ballast serve` as a child process for the soak (soak.e2e.spec.ts): started, stopped with a signal,
 * started again on the same file and port, and its resident memory read from /proc while it runs.
 */

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Serve {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<Exit>;
  readonly stderr: () => string;
}

/** Starts `ballast serve` on `db` (port 0: a free one) and resolves once it prints "listening on". */
export const serve = async (db: string, port: number): Promise<Serve> => {
  // The node process itself (no shell, no wrapper), so its pid is the one whose memory is sampled.
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', MAIN, 'serve', '--db', db, '--port', String(port), '--rate-limit', '1000000'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr!.on('data', (chunk) => (err += String(chunk)));
  const exited = new Promise<Exit>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" in 30 s: ${out} ${err}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      out += String(chunk);
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]!);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code ?? signal}) before listening: ${err}`));
    });
  });
  return { child, url, exited, stderr: () => err };
};

export const running = (s: Serve): boolean => s.child.exitCode === null && s.child.signalCode === null;

/** Waits for GET /ready (every read model caught up with the head it found at start). */
export const waitReady = async (url: string, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ready = await fetch(`${url}/ready`).catch(() => undefined);
    if (ready?.status === 200) return;
    await ready?.body?.cancel();
    await sleep(25);
  }
  throw new Error(`${url} not ready in ${ms} ms`);
};

/** A process's resident set in MB (VmRSS of /proc/PID/status), or undefined once it is gone. */
export const rssMbOf = (pid: number): number | undefined => {
  try {
    const found = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return found === null ? undefined : Number(found[1]) / 1024;
  } catch {
    return undefined;
  }
};

/** One reading of the server's memory (MB): which process (1 = the first start), how long after its start. */
export interface MemorySample {
  readonly incarnation: number;
  readonly sinceStartMs: number;
  readonly mb: number;
}

export const median = (xs: readonly number[]): number => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** Medians of the first and the last third of `xs`, in order. */
export const thirds = (xs: readonly number[]): { first: number; last: number } => {
  const third = Math.max(1, Math.floor(xs.length / 3));
  return { first: median(xs.slice(0, third)), last: median(xs.slice(-third)) };
};

/**
 * Readings of the server's memory over a soak, in MB; `warm` leaves out those of the first `warmUpMs` after
 * each start. Growth: the median of the last third of the warm readings less that of the first third, in time
 * order across every start, and within each start that has enough of them.
 */
export const memorySummary = (samples: readonly MemorySample[], warmUpMs: number) => {
  const round = (mb: number) => Math.round(mb);
  const growthOf = (mbs: readonly number[]) => {
    if (mbs.length < 6) return {};
    const { first, last } = thirds(mbs);
    return { warmFirstThirdMb: round(first), warmLastThirdMb: round(last), growthMb: round(last - first) };
  };
  const warmOf = (xs: readonly MemorySample[]) => xs.filter((s) => s.sinceStartMs >= warmUpMs).map((s) => s.mb);
  const all = samples.map((s) => s.mb);
  const perStart = [...new Set(samples.map((s) => s.incarnation))].map((incarnation) => {
    const mine = samples.filter((s) => s.incarnation === incarnation);
    return {
      seconds: round((mine.at(-1)?.sinceStartMs ?? 0) / 1000),
      firstMb: round(mine[0]?.mb ?? NaN),
      maxMb: round(Math.max(...mine.map((s) => s.mb))),
      ...growthOf(warmOf(mine)),
    };
  });
  return {
    samples: samples.length,
    warm: warmOf(samples).length,
    firstMb: round(all[0] ?? NaN),
    medianMb: round(median(all)),
    maxMb: round(Math.max(...all)),
    ...growthOf(warmOf(samples)),
    perStart,
  };
};
