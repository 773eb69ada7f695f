import * as E from 'fp-ts/Either';
import { type AppendError, commandIdReused, wrongExpectedRevision } from './append-errors';
import type { ValidAppend } from './append-input';
import { chainHash, deriveEventIds, envelopeText, GENESIS_HASH } from './hash-chain';
import type { AppendResult, StreamHead } from './port';
import type { PendingRow } from './stored-row';

/** What a store remembers of every command it has appended, to answer retries. */
export interface CommandRecord {
  readonly commandId: string;
  readonly fingerprint: string;
  readonly result: AppendResult;
}

export type AppendPlan =
  | { readonly kind: 'replay'; readonly result: AppendResult }
  | { readonly kind: 'write'; readonly rows: readonly PendingRow[] };

const revisionMatches = (expected: ValidAppend['expectedRevision'], head: StreamHead | undefined): boolean => {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return head === undefined;
    case 'exists':
      return head !== undefined;
    default:
      return head !== undefined && head.revision === expected;
  }
};

/**
 * The whole append decision, shared by every adapter: idempotency first (a retry after success
 * would otherwise fail its expected revision), then the revision check, then the rows with their
 * revisions, event ids and chained hashes. The adapter only reads the head and the command record
 * and writes the rows, inside one transaction.
 */
export const planAppend = (
  input: ValidAppend,
  head: StreamHead | undefined,
  prior: CommandRecord | undefined,
): E.Either<AppendError, AppendPlan> => {
  if (prior !== undefined) {
    return prior.fingerprint === input.fingerprint
      ? E.right({ kind: 'replay', result: prior.result })
      : E.left(commandIdReused(input.commandId, prior.result.streamId, prior.result.firstPosition));
  }
  if (!revisionMatches(input.expectedRevision, head)) {
    return E.left(wrongExpectedRevision(input.streamId, input.expectedRevision, head?.revision ?? 'no_stream'));
  }
  let prevHash = head?.hash ?? GENESIS_HASH;
  const firstRevision = (head?.revision ?? -1) + 1;
  const eventIds = deriveEventIds(input.commandId, input.events.length);
  const streamIdJson = JSON.stringify(input.streamId);
  const rows = new Array<PendingRow>(input.events.length);
  for (let index = 0; index < rows.length; index++) {
    const event = input.events[index]!;
    const revision = firstRevision + index;
    const eventId = eventIds[index]!;
    prevHash = chainHash(
      prevHash,
      envelopeText(
        streamIdJson,
        revision,
        eventId,
        JSON.stringify(event.type),
        event.version,
        event.dataJson,
        event.metadataJson,
      ),
    );
    rows[index] = {
      streamId: input.streamId,
      revision,
      eventId,
      type: event.type,
      version: event.version,
      dataJson: event.dataJson,
      metadataJson: event.metadataJson,
      hash: prevHash,
    };
  }
  return E.right({ kind: 'write', rows });
};

export const resultOf = (
  streamId: string,
  rows: readonly PendingRow[],
  firstPosition: number,
  lastPosition: number,
): AppendResult => ({
  streamId,
  firstRevision: rows[0]!.revision,
  nextExpectedRevision: rows[rows.length - 1]!.revision,
  firstPosition,
  lastPosition,
});
