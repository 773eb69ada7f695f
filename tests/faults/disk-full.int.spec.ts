import { openBallast } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  acksOf,
  checkAfterFault,
  failuresOf,
  reopen,
  startWriter,
  stopWriter,
  treasuryOf,
  waitForLines,
} from './support/after-fault';
import { buildShim, FAULT_ROUNDS, type FaultDir, faultDir, isShim, mountTmpfs, reportMode } from './support/fault-fs';

const MiB = 1024 * 1024;
const ROOT = join(__dirname, '..', '..');

/**
 * A disk of the test's own: a tmpfs with a size limit, filled by the writer itself, grown (remounted
 * larger) when space returns. Without permission to mount, the preload shim answers the
 * store's writes with ENOSPC (SQLite's same SQLITE_FULL path) until it is disarmed.
 */
const smallDisk = (dir: FaultDir, sizeBytes: number) => {
  const at = mountTmpfs(dir, 'disk', sizeBytes);
  if (at !== undefined) {
    let size = sizeBytes;
    const resize = (bytes: number) => execFileSync('mount', ['-o', `remount,size=${bytes}`, at]);
    return {
      mode: `tmpfs of ${sizeBytes / 1024} KiB (the kernel's ENOSPC), grown by 256 KiB when space returns`,
      folder: at,
      env: undefined,
      fill: () => undefined, // the writer fills it
      // The writer fills what comes back within a second, and fails again: as a busy disk would.
      free: () => resize((size += 256 * 1024)),
      // Room for the checks after the writer stopped.
      grow: () => resize((size += 16 * MiB)),
    };
  }
  const shim = buildShim(dir);
  if (!isShim(shim)) throw new Error(`cannot fill a disk here: no permission to mount, and ${shim.missing}`);
  const folder = join(dir.path, 'disk');
  mkdirSync(folder, { recursive: true });
  return {
    mode: 'fallback: no permission to mount; ENOSPC injected into the store writes by the preload shim',
    folder,
    env: shim.env(folder),
    fill: () => shim.arm('write', 'ENOSPC'),
    free: () => shim.disarm(),
    grow: () => shim.disarm(),
  };
};

describe('Issue 18 faults: the disk fills up under a running writer', () => {
  const dirs: FaultDir[] = [];
  afterAll(() => dirs.forEach((d) => d.cleanUp()));
  const dirFor = (label: string) => {
    const dir = faultDir(label);
    dirs.push(dir);
    return dir;
  };

  it(
    `refuses DISK_FULL, loses nothing acknowledged, verifies, writes again when space returns (${FAULT_ROUNDS} round(s))`,
    async () => {
      const dir = dirFor('disk-full');
      const disk = smallDisk(dir, 1 * MiB);
      reportMode('disk-full', disk.mode);
      const db = join(disk.folder, 'ballast.db');
      const writer = await startWriter(db, 'full', 'engine', disk.env);
      try {
        for (let round = 0; round < FAULT_ROUNDS; round++) {
          await waitForLines(writer, 'ACK ', acksOf(writer).length + 4);
          disk.fill();
          const failedBefore = failuresOf(writer).length;
          await waitForLines(writer, 'FAIL ', failedBefore + 8, 30_000);
          for (const failure of failuresOf(writer)) {
            expect(failure).toMatchObject({ code: 'DISK_FULL' });
            expect(failure.message).toMatch(
              /ballast\.db: the append was not committed: the disk that holds the store is full/,
            );
            expect(failure.message).toMatch(/\[SQLITE_FULL\]/);
          }
          // Space returns: the same writer, not reopened, acknowledges commands again.
          disk.free();
          await waitForLines(writer, 'ACK ', acksOf(writer).length + 8, 30_000);
        }
      } finally {
        await stopWriter(writer);
      }
      const acks = acksOf(writer);
      const failures = failuresOf(writer);
      process.stdout.write(
        `[faults] disk-full: ${acks.length} commands acknowledged, ${failures.length} refused DISK_FULL\n`,
      );

      // Reopened: everything acknowledged is there, nothing refused is, every aggregate re-folds.
      disk.grow();
      const store = reopen(db);
      try {
        await checkAfterFault(store, 'engine', acks, failures);
        // A refused command retried under its own id is appended once now, and once only.
        const ballast = openBallast({ store, clock: { now: () => Date.UTC(2027, 0, 1) } });
        const retried = failures.slice(0, 4);
        for (const failure of retried) {
          const agent = treasuryOf(failure.id);
          const again = await ballast.treasuries.execute(
            agent,
            { type: 'Deposit', amount: '1' },
            { commandId: failure.id },
          );
          expect(E.isRight(again) && again.right.replayed).toBe(false);
          const twice = await ballast.treasuries.execute(
            agent,
            { type: 'Deposit', amount: '1' },
            { commandId: failure.id },
          );
          expect(E.isRight(twice) && twice.right.replayed).toBe(true);
        }
        expect(await store.verify()).toMatchObject({ ok: true });
      } finally {
        await store.close();
      }
    },
    60_000 * FAULT_ROUNDS,
  );

  it('ballast simulate into a full disk prints one line naming DISK_FULL and exits 3, no stack trace', () => {
    const dir = dirFor('disk-full-cli');
    const disk = smallDisk(dir, 256 * 1024);
    reportMode('disk-full (CLI)', disk.mode);
    disk.fill();
    const cli = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'apps', 'cli', 'src', 'main.ts'),
        'simulate',
        '--db',
        join(disk.folder, 'sim.db'),
        '--out',
        join(dir.path, 'out'),
        '--days',
        '5',
        '--agents',
        '3',
      ],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...disk.env }, timeout: 40_000 },
    );
    expect({ status: cli.status, stderr: cli.stderr.trim().split('\n') }).toEqual({
      status: 3,
      stderr: [
        expect.stringMatching(/^ballast simulate: .*sim\.db: .*the disk that holds the store is full .*\[DISK_FULL\]$/),
      ],
    });
  }, 45_000);
});
