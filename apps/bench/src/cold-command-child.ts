import { openBallast } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { performance } from 'node:perf_hooks';

/**
 * One command in a new process: `cold-command-child.ts <db> <snapshots|none> <commandId>`. Timed from
 * before the store opens to the command's result (module loading is not the engine's cost and is
 * left out); prints one JSON line with the wall time and the process's CPU time over the same span
 * (on a shared machine the CPU time shows what waiting for a core added to the wall time). `none` runs the same command
 * with durable snapshots off.
 */
const main = async () => {
  const [path, mode, commandId] = process.argv.slice(2);
  if (path === undefined || (mode !== 'snapshots' && mode !== 'none') || commandId === undefined)
    throw new Error('usage: cold-command-child.ts <db> <snapshots|none> <commandId>');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const store = openSqliteStore(path);
  const ballast = openBallast({
    store,
    clock: { now: () => Date.UTC(2026, 6, 1) },
    ...(mode === 'none' ? { snapshots: false as const } : {}),
  });
  const result = await ballast.treasuries.execute(
    'alpha',
    { type: 'Deposit', amount: '1', bucket: 'reserve' },
    { commandId },
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  if (E.isLeft(result)) throw new Error(result.left.message);
  const counts = ballast.snapshots.counts();
  // Off the clock: let a snapshot save finish so the store closes cleanly.
  await ballast.snapshots.settled();
  await store.close();
  console.log(
    JSON.stringify({
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      revision: result.right.result?.nextExpectedRevision,
      snapshotUsed: counts.used === 1,
      durable: ballast.snapshots.durable,
    }),
  );
};

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
