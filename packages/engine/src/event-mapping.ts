import { decodeInput, type InvalidInput, type JsonObject, type RecordedEvent } from '@ballast/domain';
import type { NewEventInput } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type { AnyKind } from './aggregate-kinds';

import { READ_ONLY_TYPES, schemaVersionOf, upcast } from './event-versions';

export interface EventContext {
  readonly commandId: string;
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/**
 * A domain event as the store holds it: the type in the envelope, the rest (wire form) as data.
 * `commandDigest` (see executeCommand) is an argument, not part of the caller's context: the engine
 * computes it from the decoded command, so a caller can never claim another command's digest.
 */
export const toStored = (
  kind: AnyKind,
  event: { type: string },
  context: EventContext,
  commandDigest?: string,
): NewEventInput => {
  const { type, ...data } = kind.eventCodec.encode(event) as { type: string } & JsonObject;
  // A bug, not input: read-only types come only from upcasting history.
  if (READ_ONLY_TYPES.has(type)) throw new Error(`${type} is read-only: it describes history and is never written`);
  const metadata = {
    ...(context.actor === undefined ? {} : { actor: context.actor }),
    ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
    ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
    ...(commandDigest === undefined ? {} : { commandDigest }),
  };
  return { type, version: schemaVersionOf(kind.category, type), data, metadata };
};

/**
 * A stored event back into the domain. Old schema versions are upcast here, on read, and never
 * rewritten (see event-versions.ts); a version this Ballast does not know is refused.
 */
export const fromRecorded = (
  kind: AnyKind,
  recorded: RecordedEvent,
): E.Either<InvalidInput, { type: string; at: number }> => {
  const current = upcast(kind.category, recorded);
  if (!current.ok)
    return E.left({
      code: 'INVALID_INPUT',
      message: current.message,
      issues: [{ path: 'version', message: current.message }],
    });
  return decodeInput(
    kind.eventCodec,
    `${recorded.streamId}@${recorded.revision}`,
  )({ type: current.type, ...current.data }) as E.Either<InvalidInput, { type: string; at: number }>;
};
