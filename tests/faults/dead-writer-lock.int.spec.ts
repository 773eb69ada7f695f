import { openSqliteStore, StoreError } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnChild } from '../event-store/child-process';
import { acksOf, checkAfterFault, startWriter, waitForLines } from './support/after-fault';
import { FAULT_ROUNDS, faultDir, reportMode } from './support/fault-fs';

const refusal = (open: () => unknown): StoreError => {
  try {
    open();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected the open to be refused');
};

const noted = (commandId: string) =>
  [[{ type: 'Noted', version: 1, data: { commandId } }], { expectedRevision: 'any', commandId }] as const;

/**
 * The writer lock is an fcntl lock (SQLite's, on PATH.lock), so the kernel drops it with the
 * process that held it: a writer killed with SIGKILL mid-append leaves a lock file that locks nothing.
 */
describe('Issue 18 faults: the writer lock', () => {
  const dir = faultDir('writer-lock');
  afterAll(() => dir.cleanUp());
  reportMode('dead-writer-lock', 'real processes and the kernel’s fcntl locks (no mount needed)');

  it(
    `a writer SIGKILLed mid-append leaves the lock to the next writer at once, every ack intact (${FAULT_ROUNDS * 3} kills)`,
    async () => {
      const db = join(dir.path, 'killed.db');
      const acks = [];
      for (let round = 0; round < FAULT_ROUNDS * 3; round++) {
        const writer = await startWriter(db, `k${round}`, 'store');
        await waitForLines(writer, 'ACK ', 8);
        // While it runs, the lock is its own: a second writer is refused and told why.
        expect(refusal(() => openSqliteStore(db))).toMatchObject({
          code: 'WRITER_LOCKED',
          message: expect.stringMatching(/killed\.db is already open for writing .*only one writer may append/),
        });
        writer.process.kill('SIGKILL');
        await writer.exited;
        acks.push(...acksOf(writer));
        // The lock file is still there, holding nothing: the next writer opens at once, without waiting.
        const started = Date.now();
        const store = openSqliteStore(db);
        const openedMs = Date.now() - started;
        try {
          expect(openedMs).toBeLessThan(1000);
          await checkAfterFault(store, 'store', acks, []);
          expect(E.isRight(await store.append('s-next', ...noted(`next-${round}`)))).toBe(true);
        } finally {
          await store.close();
        }
        process.stdout.write(`[faults] dead-writer-lock: round ${round}: next writer opened in ${openedMs} ms\n`);
      }
    },
    60_000 * FAULT_ROUNDS,
  );

  it('a lock file removed under a live writer ("stale lock" clean-up) lets a second writer in: the first stops, saying why', async () => {
    const db = join(dir.path, 'removed.db');
    const first = openSqliteStore(db);
    try {
      expect(E.isRight(await first.append('s-1', ...noted('a')))).toBe(true);
      rmSync(`${db}.lock`);
      // Nothing can stop this open: the new lock file is a different file, and unlocked.
      const second = openSqliteStore(db);
      try {
        await expect(first.append('s-1', ...noted('b'))).rejects.toMatchObject({
          code: 'WRITER_LOCKED',
          message: expect.stringMatching(/removed\.db\.lock was removed or replaced while this writer held it/),
        });
        expect(E.isRight(await second.append('s-1', ...noted('c')))).toBe(true);
        expect(await second.verify()).toMatchObject({ ok: true, events: 2 });
      } finally {
        await second.close();
      }
    } finally {
      await first.close();
    }
  });

  it('a live holder in another process refuses a writer here with WRITER_LOCKED, and a reader works beside it', async () => {
    const db = join(dir.path, 'held.db');
    const holder = spawnChild('hold-writer.ts', [db]);
    try {
      await holder.waitFor(/^READY$/);
      expect(refusal(() => openSqliteStore(db))).toMatchObject({
        code: 'WRITER_LOCKED',
        message: expect.stringContaining('Open it read-only to read while the writer runs'),
      });
      const reader = openSqliteStore(db, { readonly: true });
      expect(await reader.verify()).toMatchObject({ ok: true });
      await reader.close();
    } finally {
      holder.process.kill('SIGKILL');
      await holder.exited;
    }
  });
});
