import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../store-error';

const sqliteCode = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
};

/** The options of the mount that holds a path, from Linux's mount table (undefined elsewhere). */
const mountOptionsOf = (path: string): string[] | undefined => {
  try {
    const dir = realpathSync(dirname(path));
    let best: { at: string; options: string[] } | undefined;
    for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
      const [, at, , options] = line.split(' ');
      if (at === undefined || options === undefined) continue;
      const under = at === '/' || dir === at || dir.startsWith(`${at}/`);
      // The last of equally long matches is the mount on top.
      if (under && (best === undefined || at.length >= best.at.length)) best = { at, options: options.split(',') };
    }
    return best?.options;
  } catch {
    return undefined;
  }
};

/**
 * SQLite reports a write refused by a file system that went read-only (ext4 after a disk error:
 * errors=remount-ro) as a plain SQLITE_IOERR_WRITE: the kernel's EROFS is not passed on, and such a
 * file system may still pass access(W_OK) (ext4's emergency_ro). The mount table says which fault it
 * is; it is read on the failure path only.
 */
const onReadOnlyFileSystem = (path: string): boolean => {
  const options = mountOptionsOf(path);
  if (options?.includes('ro') || options?.includes('emergency_ro')) return true;
  try {
    accessSync(dirname(path), constants.W_OK);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'EROFS';
  }
};

/** What went wrong, in an operator's words, for a failure that is not a full disk. */
const faultOf = (path: string, code: string | undefined): string => {
  if (onReadOnlyFileSystem(path))
    return 'the file system that holds the store is read-only (remounted read-only after a disk error?)';
  if (code?.startsWith('SQLITE_IOERR')) return 'an I/O error from the disk';
  if (code?.startsWith('SQLITE_READONLY')) return 'SQLite refused to write the file';
  return 'a failure';
};

/** What to do after a failed append: the same whatever the fault. */
export const RETRY_APPEND = 'retry with the same command id (it appends at most once)';

/**
 * A failed SQLite write as the store's error: a full disk is DISK_FULL, every other failure to write
 * (an I/O error, a read-only file system, a file SQLite will not write) IO_FAILURE, each message
 * naming the fault and SQLite's own code. `doing` says what failed ("the append was not committed"),
 * `then` what the caller may do once the fault is cleared.
 */
export const sqliteWriteFailure = (path: string, doing: string, error: unknown, then?: string): StoreError => {
  if (error instanceof StoreError) return error;
  const code = sqliteCode(error);
  const said = `${(error as Error | undefined)?.message ?? String(error)}${code === undefined ? '' : ` [${code}]`}`;
  const after = then === undefined ? '' : `; ${then}`;
  const options = { cause: error };
  if (code === 'SQLITE_FULL')
    return new StoreError(
      'DISK_FULL',
      `${path}: ${doing}: the disk that holds the store is full (${said}). Free space: the open store ` +
        `writes again once there is room${after}`,
      [],
      options,
    );
  const fault = faultOf(path, code);
  // The commit frame is in the WAL, unconfirmed: a restart before the next commit may find it there.
  const doubt =
    code === 'SQLITE_IOERR_FSYNC' || code === 'SQLITE_IOERR_DIR_FSYNC'
      ? '; the disk did not confirm it (fsync failed), so it may still be found after a restart'
      : '';
  return new StoreError('IO_FAILURE', `${path}: ${doing}: ${fault} (${said})${doubt}${after}`, [], options);
};

/** Whether an error thrown while opening a writer is a fault of the disk rather than of the file's content. */
export const isWriteFault = (error: unknown): boolean => {
  const code = sqliteCode(error);
  return (
    code !== undefined &&
    (code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_READONLY'))
  );
};

/**
 * An error thrown while opening a writer, as the store's error when the disk is at fault: full,
 * failing, or read-only (where SQLite can only say SQLITE_CANTOPEN for a file it cannot create).
 * Anything else is returned as it is.
 */
export const writerOpenFailure = (path: string, error: unknown): unknown =>
  isWriteFault(error) || (sqliteCode(error) === 'SQLITE_CANTOPEN' && onReadOnlyFileSystem(path))
    ? sqliteWriteFailure(path, 'cannot open it for writing', error)
    : error;
