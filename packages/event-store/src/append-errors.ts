import type { InvalidInput } from '@ballast/domain';
import type { Either } from 'fp-ts/Either';
import type { AppendResult, ExpectedRevision } from './port';

export interface WrongExpectedRevision {
  readonly code: 'WRONG_EXPECTED_REVISION';
  readonly message: string;
  readonly streamId: string;
  readonly expected: ExpectedRevision;
  /** The stream's actual last revision, so the caller can reload and retry. */
  readonly actual: number | 'no_stream';
}

export interface CommandIdReused {
  readonly code: 'COMMAND_ID_REUSED';
  readonly message: string;
  readonly commandId: string;
  /** Where the first append under this id went. */
  readonly originalStreamId: string;
  readonly originalFirstPosition: number;
}

export type AppendError = WrongExpectedRevision | CommandIdReused | InvalidInput;
export type AppendResultEither = Either<AppendError, AppendResult>;

const describeRevision = (r: ExpectedRevision | number | 'no_stream'): string =>
  typeof r === 'number' ? `revision ${r}` : r;

export const wrongExpectedRevision = (
  streamId: string,
  expected: ExpectedRevision,
  actual: number | 'no_stream',
): WrongExpectedRevision => ({
  code: 'WRONG_EXPECTED_REVISION',
  message: `stream ${streamId}: expected ${describeRevision(expected)}, but it is at ${describeRevision(actual)}`,
  streamId,
  expected,
  actual,
});

export const commandIdReused = (
  commandId: string,
  originalStreamId: string,
  originalFirstPosition: number,
): CommandIdReused => ({
  code: 'COMMAND_ID_REUSED',
  message:
    `command ${commandId} was already used for different events ` +
    `(stream ${originalStreamId}, position ${originalFirstPosition}); ` +
    'a retry must send the same events, a new intent needs a new command id',
  commandId,
  originalStreamId,
  originalFirstPosition,
});
