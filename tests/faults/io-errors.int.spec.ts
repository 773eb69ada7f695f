import { openBallast } from '@ballast/engine';
import * as E from 'fp-ts/Either';
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
import { buildShim, FAULT_ROUNDS, faultDir, isShim, reportMode, type Shim } from './support/fault-fs';

/**
 * I/O errors are injected by a preload shim (support/fault-shim.c) in the writer's process: its
 * pwrite/write (or fsync/fdatasync) on the store's files return EIO while the test has it armed.
 * Device-mapper (dm-flakey, dm-error) is not available on these machines, a loop device cannot be
 * made to fail without it, and FUSE would need a file system of our own; the shim gives SQLite the
 * very syscall results a failing disk gives, on the store's files only, switched on and off from
 * outside at a moment the test chooses. It runs the same with or without permission to mount.
 * What it does not model: after a real fsync EIO, Linux may drop the dirty pages (a later fsync
 * then succeeds without them); here the pages stay.
 */
describe('Issue 18 faults: I/O errors under a running writer (preload shim)', () => {
  const dir = faultDir('io-errors');
  afterAll(() => dir.cleanUp());
  let shim: Shim;
  beforeAll(() => {
    const built = buildShim(dir);
    if (!isShim(built)) throw new Error(`cannot inject I/O errors here: ${built.missing}`);
    shim = built;
  });
  afterEach(() => shim.disarm());

  it(
    `a write failing EIO is IO_FAILURE, appends nothing; the writer goes on when the disk heals (${FAULT_ROUNDS} round(s))`,
    async () => {
      const folder = join(dir.path, 'write-eio');
      mkdirSync(folder);
      reportMode('io-errors (write)', 'preload shim: pwrite/write on the store files return EIO');
      const db = join(folder, 'ballast.db');
      const writer = await startWriter(db, 'wio', 'store', shim.env(folder));
      try {
        for (let round = 0; round < FAULT_ROUNDS; round++) {
          await waitForLines(writer, 'ACK ', acksOf(writer).length + 8);
          shim.arm('write', 'EIO');
          await waitForLines(writer, 'FAIL ', failuresOf(writer).length + 8);
          shim.disarm();
          await waitForLines(writer, 'ACK ', acksOf(writer).length + 8);
        }
      } finally {
        shim.disarm();
        await stopWriter(writer);
      }
      const failures = failuresOf(writer);
      for (const failure of failures) {
        expect(failure.code).toBe('IO_FAILURE');
        expect(failure.message).toMatch(
          new RegExp(
            'ballast\\.db: the append was not committed: an I/O error from the disk ' +
              '\\(disk I/O error \\[SQLITE_IOERR_WRITE\\]\\); retry with the same command id',
          ),
        );
      }
      const store = reopen(db);
      try {
        const after = await checkAfterFault(store, 'store', acksOf(writer), failures);
        process.stdout.write(
          `[faults] io-errors (write): ${acksOf(writer).length} appends acknowledged, ${failures.length} IO_FAILURE, ` +
            `${after.events} events verified\n`,
        );
      } finally {
        await store.close();
      }
    },
    60_000 * FAULT_ROUNDS,
  );

  it('an fsync failing EIO is IO_FAILURE saying it is in doubt: killed then, it may be found on restart; a retry lands once', async () => {
    const folder = join(dir.path, 'fsync-eio');
    mkdirSync(folder);
    reportMode('io-errors (fsync)', 'preload shim: fsync/fdatasync on the store files return EIO');
    const db = join(folder, 'ballast.db');

    // First the same process recovers once fsync works again.
    const writer = await startWriter(db, 'sio', 'engine', shim.env(folder));
    await waitForLines(writer, 'ACK ', 8);
    shim.arm('sync', 'EIO');
    await waitForLines(writer, 'FAIL ', 8);
    shim.disarm();
    await waitForLines(writer, 'ACK ', acksOf(writer).length + 8);
    // Then it fails again and dies before writing anything more (kill -9 while still failing).
    shim.arm('sync', 'EIO');
    await waitForLines(writer, 'FAIL ', failuresOf(writer).length + 4);
    writer.process.kill('SIGKILL');
    await writer.exited;
    shim.disarm();
    expect(writer.lines.filter((l) => l.startsWith('CRASH'))).toEqual([]);

    const failures = failuresOf(writer);
    for (const failure of failures) {
      expect(failure.code).toBe('IO_FAILURE');
      expect(failure.message).toMatch(
        new RegExp(
          'an I/O error from the disk \\(disk I/O error \\[SQLITE_IOERR_FSYNC\\]\\); the disk did not confirm it ' +
            '\\(fsync failed\\), so it may still be found after a restart; retry with the same command id',
        ),
      );
    }
    const store = reopen(db);
    try {
      const after = await checkAfterFault(store, 'engine', acksOf(writer), failures);
      // Retried under their own ids: a landed one is answered as a replay, the others land now; once each.
      const ballast = openBallast({ store, clock: { now: () => Date.UTC(2027, 0, 1) } });
      let replayed = 0;
      for (const failure of failures) {
        const retried = await ballast.treasuries.execute(
          treasuryOf(failure.id),
          { type: 'Deposit', amount: '1' },
          { commandId: failure.id },
        );
        expect(E.isRight(retried)).toBe(true);
        if (E.isRight(retried) && retried.right.replayed) replayed += 1;
      }
      expect(replayed).toBe(after.landedAfterFailing.length);
      expect(await store.verify()).toMatchObject({ ok: true });
      process.stdout.write(
        `[faults] io-errors (fsync): ${acksOf(writer).length} acknowledged, ${failures.length} IO_FAILURE, ` +
          `${after.landedAfterFailing.length} of them found in the store after restart ` +
          `(${after.landedAfterFailing.join(', ') || 'none'})\n`,
      );
    } finally {
      await store.close();
    }
  }, 60_000);
});
