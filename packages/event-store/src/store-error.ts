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
  | 'IO_FAILURE';

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
