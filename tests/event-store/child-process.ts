import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

export interface Child {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every complete line printed so far. */
  readonly lines: string[];
  /** Resolves at the first line that matches. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<number | null>;
}

/**
 * Runs a child script under tsx (a name in tests/event-store/children, or an absolute path), collecting its stdout line
 * by line. `env` adds to this process's environment (the fault tests' LD_PRELOAD shim).
 */
export const spawnChild = (script: string, args: string[], env?: Record<string, string>): Child => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', isAbsolute(script) ? script : join(__dirname, 'children', script), ...args],
    { cwd: ROOT, stdio: 'pipe', ...(env === undefined ? {} : { env: { ...process.env, ...env } }) },
  );
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let partial = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      for (const w of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    process: child,
    lines,
    exited,
    waitFor: (pattern, timeoutMs = 20_000) =>
      new Promise<string>((resolve, reject) => {
        const found = lines.find((l) => pattern.test(l));
        if (found !== undefined) return resolve(found);
        const timer = setTimeout(
          () => reject(new Error(`child ${script} printed no ${pattern} in ${timeoutMs} ms; stderr: ${stderr}`)),
          timeoutMs,
        );
        waiters.push({ pattern, resolve: (line) => (clearTimeout(timer), resolve(line)) });
        void exited.then(() =>
          setTimeout(() => reject(new Error(`child ${script} exited before ${pattern}; stderr: ${stderr}`)), 50),
        );
      }),
  };
};
