import type { InputIssue } from '@ballast/domain';

export type StoreErrorCode =
  | 'STORE_CLOSED'
  | 'READ_ONLY'
  | 'WRITER_LOCKED'
  | 'SCHEMA_TOO_NEW'
  | 'SCHEMA_TOO_OLD'
  | 'NOT_A_BALLAST_STORE'
  | 'STORE_NOT_FOUND'
  | 'INVALID_READ'
  | 'INVALID_OPTIONS'
  /** A snapshot to save with a bad stream id, a negative or fractional number, or too large a state. */
  | 'INVALID_SNAPSHOT'
  /**
   * The disk that holds the store is full (SQLite: SQLITE_FULL): nothing of the write was stored, and
   * the open store writes again once there is room.
   */
  | 'DISK_FULL'
  /**
   * The store could not be written or read: an I/O error, a file system remounted read-only, a
   * failed call to the server. A failed append's message says whether it may have landed; a retry
   * with the same command id is always safe.
   */
  | 'IO_FAILURE'
  /** EventStoreDB: nothing answered at the address, or it hung up. */
  | 'STORE_UNREACHABLE'
  /** EventStoreDB: the client and server disagree on TLS (`?tls=false` missing or wrong). */
  | 'TLS_MISMATCH'
  | 'INVALID_CONNECTION_STRING'
  /** EventStoreDB refused the append as larger than its MaxAppendSize. */
  | 'APPEND_TOO_LARGE'
  /** A command claim stream holds something this version of Ballast did not write. */
  | 'CORRUPT_COMMAND_RECORD';

/** The store itself cannot do what was asked. Expected append failures are values, not these. */
export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly issues: readonly InputIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}
