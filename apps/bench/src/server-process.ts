import { fork, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const REPO = join(__dirname, '..', '..', '..');
const CLI = join(REPO, 'apps', 'cli', 'src', 'main.ts');
const SUBSCRIBERS = join(__dirname, 'sse-subscribers-child.ts');

const exited = (child: ChildProcess): Promise<number | null> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : once(child, 'exit').then(([code]) => code as number | null);

/** `ballast ARGS` in a new process; its stdout, or an error with its stderr. */
export const runCli = async (args: readonly string[]): Promise<string> => {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await exited(child);
  if (code !== 0) throw new Error(`ballast ${args.join(' ')}: exit ${code}: ${err}`);
  return out;
};

export interface ServerChild {
  readonly url: string;
  readonly pid: number;
  /** SIGTERM (the server finishes requests in flight, saves checkpoints, writes its CPU profile), then waits. */
  stop(): Promise<void>;
}

/**
 * `ballast serve --db FILE --port 0` in a child process, so the load generator does not share its
 * event loop; no practical rate limit. With `cpuProfDir`, the child writes a V8 CPU profile there on exit.
 */
export const startServerChild = async (db: string, cpuProfDir?: string): Promise<ServerChild> => {
  const node = cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir];
  const child = spawn(
    process.execPath,
    [...node, '--import', 'tsx', CLI, 'serve', '--db', db, '--port', '0', '--rate-limit', '100000000'],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) {
        child.stdout!.off('data', onData);
        child.stdout!.resume();
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`ballast serve exited (${code}) before listening: ${err}`)));
  });
  // Ready once every read model has caught up with the head it found at start.
  for (let i = 0; ; i++) {
    const ready = await fetch(`${url}/ready`).catch(() => undefined);
    if (ready?.status === 200) break;
    if (i > 300) throw new Error(`${url} not ready after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited(child);
      clearTimeout(timer);
    },
  };
};

export interface Subscribers {
  /** Per id asked, per subscriber: when it arrived (ms, `timeOrigin + now()`), or null. */
  times(ids: readonly number[]): Promise<(number | null)[][]>;
  /** Drops the times kept so far; from now on keeps them for every `every`-th subscriber only. */
  forget(every: number): void;
  /** Resolves when every subscriber has seen `id`, or the timeout passed: how many had, and how long it took. */
  waitFor(id: number, timeoutMs: number): Promise<{ reached: number; ms: number }>;
  close(): Promise<void>;
}

/** `count` subscribers of `/v1/events/stream` from `after`, in a process of their own (sse-subscribers-child.ts). */
export const startSubscribers = async (
  url: string,
  key: string,
  count: number,
  after: number,
): Promise<Subscribers> => {
  const child = fork(SUBSCRIBERS, [url, key, String(count), String(after)], {
    execArgv: ['--import', 'tsx'],
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = <T>(type: string): Promise<T> =>
    new Promise((resolve, reject) => {
      const onMessage = (m: { type: string } & T) => {
        if (m.type === type) {
          child.off('message', onMessage);
          child.off('exit', onExit);
          resolve(m);
        } else if (m.type === 'failed') reject(new Error(`subscribers: ${(m as { message?: string }).message}`));
      };
      const onExit = (code: number | null) => reject(new Error(`subscribers exited (${code})`));
      child.on('message', onMessage);
      child.once('exit', onExit);
    });
  await next('ready');
  return {
    times: async (ids) => {
      const answer = next<{ times: (number | null)[][] }>('times');
      child.send({ type: 'times', ids });
      return (await answer).times;
    },
    forget: (every) => child.send({ type: 'forget', every }),
    waitFor: async (id, timeoutMs) => {
      const answer = next<{ reached: number; ms: number }>('caughtUp');
      child.send({ type: 'waitFor', id, timeoutMs });
      const { reached, ms } = await answer;
      return { reached, ms };
    },
    close: async () => {
      child.send({ type: 'close' });
      await exited(child);
    },
  };
};
