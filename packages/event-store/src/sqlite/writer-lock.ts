import Database from 'better-sqlite3';
import { StoreError } from '../store-error';

export interface WriterLock {
  release(): void;
}

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
  return {
    release: () => {
      if (lock.open) {
        lock.exec('ROLLBACK');
        lock.close();
      }
    },
  };
};
