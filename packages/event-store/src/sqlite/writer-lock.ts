import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { StoreError } from '../store-error';

export interface WriterLock {
  /**
   * Undefined while the lock file is the one this writer locked; else the error to refuse appends
   * with. Deleting PATH.lock under a live writer (a clean-up of a "stale" lock) lets the next opener
   * create and lock a new file: two writers. The first one sees the file change and stops writing.
   */
  lost(): StoreError | undefined;
  release(): void;
}

/**
 * Which file is at a path: its inode and its birth time to the nanosecond (a freed inode is soon
 * reused). Not its change time: a `touch` must not depose a live writer.
 */
const identityOf = (path: string): string | undefined => {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.birthtimeNs}`;
  } catch {
    return undefined;
  }
};

/**
 * One writer per store file, across processes. The lock is an exclusive transaction held open on a
 * small side file: SQLite takes it with an fcntl lock, which the kernel drops when the process dies
 * (kill -9 included), so a crashed writer never leaves a stale lock behind, and SQLite refuses a
 * second connection in the same process too.
 */
export const acquireWriterLock = (storePath: string): WriterLock => {
  const lockPath = `${storePath}.lock`;
  const lock = new Database(lockPath, { timeout: 0 });
  try {
    lock.pragma('journal_mode = DELETE');
    lock.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new StoreError(
        'WRITER_LOCKED',
        `${storePath} is already open for writing (by another process, or elsewhere in this one); ` +
          'only one writer may append. Open it read-only to read while the writer runs',
      );
    }
    throw error;
  }
  const identity = identityOf(lockPath);
  return {
    lost: () =>
      identityOf(lockPath) === identity
        ? undefined
        : new StoreError(
            'WRITER_LOCKED',
            `${lockPath} was removed or replaced while this writer held it, so another writer may have opened ` +
              `${storePath}; this one appends no more: close it (only one writer may append)`,
          ),
    release: () => {
      if (lock.open) {
        lock.exec('ROLLBACK');
        lock.close();
      }
    },
  };
};
