import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root, and the CLI's entry run through tsx (what `pnpm ballast` runs). */
export const ROOT = join(__dirname, '..', '..', '..');
export const MAIN = join(ROOT, 'apps/cli/src/main.ts');

/** Runs `ballast ARGS…` to the end in a child process. */
export const ballast = (...args: string[]): { code: number | null; out: string; err: string } => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
};

export interface ServeChild {
  readonly child: ChildProcess;
  /** `http://host:port`, from its "listening on" line. */
  readonly url: string;
  /** Everything it printed so far, standard output then standard error; and standard error alone. */
  readonly output: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

/** Starts `ballast serve ARGS…` and resolves once it prints where it listens. */
export const startServe = (args: readonly string[], timeoutMs = 30_000): Promise<ServeChild> => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk) => (err += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise<ServeChild>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening on" in ${timeoutMs} ms: ${out} ${err}`)), timeoutMs);
    child.stdout.on('data', (chunk) => {
      out += String(chunk);
      const found = /listening on (http:\/\/\S+)/.exec(out);
      if (!found) return;
      clearTimeout(timer);
      resolve({ child, url: found[1]!, output: () => out + err, stderr: () => err, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited ${code} before listening: ${err}`)));
  });
};
