import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { emmettDeposit } from './deposits';
import { openEmmettDefault, silenceConsoleLog } from './emmett-peer';
import { withDir } from './measure';

export interface LostAppendsTrial {
  readonly calls: number;
  /** Appends whose promise resolved: the caller was told the event is stored. */
  readonly reportedOk: number;
  /** Rows in the file once every call has settled and the store is closed. */
  readonly rowsInFile: number;
}

const rowsIn = (file: string): number => {
  if (!existsSync(file)) return 0;
  const db = new Database(file, { readonly: true });
  try {
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'emt_messages'").get();
    return table ? (db.prepare('SELECT count(*) AS n FROM emt_messages').get() as { n: number }).n : 0;
  } finally {
    db.close();
  }
};

/**
 * Emmett's default SQLite store keeps one connection in a closure variable while a call runs and
 * closes it when that call ends. Concurrent calls share it: the first to finish closes it under the
 * others, whose transaction never commits, yet their promises resolve. A finding, not a throughput.
 */
export const emmettConcurrentFirstAppends = async (calls = 64): Promise<LostAppendsTrial> =>
  withDir(async (dir) => {
    const file = join(dir, 'finding.db');
    const store = await openEmmettDefault(file);
    // Emmett console.logs the SQLITE_MISUSE it swallows in its transaction wrapper, once per lost call.
    const restore = silenceConsoleLog();
    let settled: PromiseSettledResult<void>[];
    try {
      settled = await Promise.allSettled(
        Array.from({ length: calls }, (_, k) => store.append(`t-${k}`, [emmettDeposit(k)], 0n)),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      restore();
    }
    await store.close();
    return { calls, reportedOk: settled.filter((s) => s.status === 'fulfilled').length, rowsInFile: rowsIn(file) };
  });

/**
 * The same trial in a child process. The run that first found the loss ended later in the parent
 * with SIGBUS: the sqlite3 driver does not survive a connection closed under calls in flight, so
 * the trial is kept away from the workloads measured after it. A crashed child is reported as such.
 */
export const emmettConcurrentFirstAppendsInChild = (
  calls = 64,
): Promise<LostAppendsTrial & { readonly crashed?: string }> =>
  new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'emmett-finding-child.ts'), String(calls)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
    child.on('exit', (code, signal) => {
      const line = out.trim().split('\n').pop();
      if (code === 0 && line) resolve(JSON.parse(line) as LostAppendsTrial);
      else
        resolve({
          calls,
          reportedOk: 0,
          rowsInFile: 0,
          crashed: `${signal ?? `exit ${code}`}: ${err.trim().slice(-300)}`,
        });
    });
  });
