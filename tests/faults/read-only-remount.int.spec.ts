import { type EventStore, openSqliteStore, StoreError } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  acksOf,
  checkAfterFault,
  failuresOf,
  inDoubt,
  reopen,
  startWriter,
  stopWriter,
  waitForLines,
} from './support/after-fault';
import { buildShim, faultDir, isShim, mountExt4, repairExt4, reportMode } from './support/fault-fs';

const MiB = 1024 * 1024;
const READ_ONLY =
  /ballast\.db: .*the file system that holds the store is read-only \(remounted read-only after a disk error\?\)/;

/**
 * The file system goes read-only under a running writer. With permission to mount: an ext4 image on
 * a loop device, mounted errors=remount-ro as data disks usually are, and an error reported through
 * ext4's own trigger_fs_error (what ext4 does when it finds a bad block or a broken journal): ext4
 * aborts its journal and refuses every write from then on with EROFS. Clearing it is an operator's
 * job: unmount, e2fsck, mount; the writer is opened again. Without permission to mount, the preload
 * shim answers the store's writes (and access(W_OK) on its folder) with EROFS until disarmed.
 */
const diskThatGoesReadOnly = (dir: ReturnType<typeof faultDir>) => {
  const ext4 = mountExt4(dir, 'disk', 16 * MiB);
  if (ext4 !== undefined)
    return {
      mode: 'ext4 on a loop device, errors=remount-ro, error raised by trigger_fs_error',
      real: true,
      folder: ext4.at,
      env: undefined,
      breakIt: () => writeFileSync(join(ext4.sysfs, 'trigger_fs_error'), '1'),
      repair: () => repairExt4(ext4),
    };
  const shim = buildShim(dir);
  if (!isShim(shim))
    throw new Error(`cannot make a file system read-only here: no permission to mount, and ${shim.missing}`);
  const folder = join(dir.path, 'disk');
  mkdirSync(folder, { recursive: true });
  return {
    mode: 'fallback: no permission to mount; EROFS injected into the store writes by the preload shim',
    real: false,
    folder,
    env: shim.env(folder),
    breakIt: () => shim.arm('write', 'EROFS'),
    repair: () => shim.disarm(),
  };
};

describe('Issue 18 faults: the file system turns read-only under a running writer', () => {
  const dir = faultDir('read-only');
  afterAll(() => dir.cleanUp());

  it('appends fail IO_FAILURE naming the read-only file system; readers verify; repaired, a reopened writer has every ack', async () => {
    const disk = diskThatGoesReadOnly(dir);
    reportMode('read-only-remount', disk.mode);
    const db = join(disk.folder, 'ballast.db');
    const writer = await startWriter(db, 'ro', 'store', disk.env);
    try {
      await waitForLines(writer, 'ACK ', 12);
      disk.breakIt();
      await waitForLines(writer, 'FAIL ', 8);
    } finally {
      // Its close meets the read-only disk too: it must still end cleanly (exit 0, no crash).
      await stopWriter(writer);
    }
    const failures = failuresOf(writer).filter((f) => f.id !== 'close');
    for (const failure of failures) {
      expect(failure.code).toBe('IO_FAILURE');
      expect(failure.message).toMatch(READ_ONLY);
      // The first group's fsync may be the call that meets the read-only disk (in doubt, and saying so).
      expect(failure.message).toMatch(/\[SQLITE_IOERR_(WRITE|FSYNC)\]\).*; retry with the same command id/);
    }

    // Still read-only: an auditor's read-only open verifies everything acknowledged.
    const reader = openSqliteStore(db, { readonly: true, frozen: true });
    try {
      await checkAfterFault(reader, 'store', acksOf(writer), failures);
    } finally {
      await reader.close();
    }
    // A writer opened now (in this process: only a real read-only mount reaches it) is refused at
    // open or at its first append, saying why.
    if (disk.real) {
      let late: EventStore | StoreError;
      try {
        late = openSqliteStore(db);
      } catch (error) {
        late = error as StoreError;
      }
      if (late instanceof StoreError)
        expect(late).toMatchObject({ code: 'IO_FAILURE', message: expect.stringMatching(READ_ONLY) });
      else {
        const append = late.append('s-late', [{ type: 'Noted', version: 1, data: {} }], {
          expectedRevision: 'any',
          commandId: 'late',
        });
        await expect(append).rejects.toMatchObject({ code: 'IO_FAILURE', message: expect.stringMatching(READ_ONLY) });
        await late.close();
      }
      // A new store there cannot even be created: SQLite says only SQLITE_CANTOPEN; the store says why.
      expect(() => openSqliteStore(join(disk.folder, 'new.db'))).toThrow(
        expect.objectContaining({
          code: 'IO_FAILURE',
          message: expect.stringMatching(
            /new\.db: cannot open it for writing: the file system that holds the store is read-only/,
          ),
        }),
      );
    }

    disk.repair();
    const store = reopen(db);
    try {
      // Finding: on ext4 whose journal aborts right after a commit, the last acknowledged appends (their
      // fdatasync had returned 0) were missing after the repair in about 3 runs of 8 here: the WAL
      // file came back one group shorter, with or without e2fsck (the kernel's own journal replay at
      // mount loses it too). Below Ballast (the kernel said they were durable), and invisible to
      // verify (a lost tail leaves every chain whole): what an external anchor of the head is for.
      // Allowed here only as a tail, and reported; the shim's fallback must lose nothing.
      const after = await checkAfterFault(store, 'store', acksOf(writer), failures, { tailMayBeLost: disk.real });
      if (after.lostTail.length > 0)
        process.stdout.write(
          `[faults] read-only-remount: FINDING: ${after.lostTail.length} acknowledged appends lost with the ext4 ` +
            `journal abort (a tail: ${after.lostTail.join(', ')}); verify passes without them\n`,
        );
      const appended = await store.append('s-after', [{ type: 'Noted', version: 1, data: {} }], {
        expectedRevision: 'no_stream',
        commandId: 'after-repair',
      });
      expect(E.isRight(appended) && appended.right.firstPosition).toBe(after.events + 1);
      expect(await store.verify()).toMatchObject({ ok: true });
      process.stdout.write(
        `[faults] read-only-remount: ${acksOf(writer).length} appends acknowledged, ${failures.length} IO_FAILURE ` +
          `(${failures.filter(inDoubt).length} in doubt: fsync; ${after.landedAfterFailing.length} found after repair), ` +
          `${after.events} events verified after repair\n`,
      );
    } finally {
      await store.close();
    }
  }, 60_000);
});
