import { decodeInput, type InvalidInput, type JsonObject, type RecordedEvent } from '@ballast/domain';
import type { NewEventInput } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type { AnyKind } from './aggregate-kinds';

/** Schema version written with every event today; older versions would be upcast in `fromRecorded`. */
export const EVENT_SCHEMA_VERSION = 1;

export interface EventContext {
  readonly commandId: string;
  readonly actor?: string;
  readonly correlationId?: string;
  readonly causationId?: string;
}

/** A domain event as the store holds it: the type in the envelope, the rest (wire form) as data. */
export const toStored = (kind: AnyKind, event: { type: string }, context: EventContext): NewEventInput => {
  const { type, ...data } = kind.eventCodec.encode(event) as { type: string } & JsonObject;
  return {
    type,
    version: EVENT_SCHEMA_VERSION,
    data,
    metadata: {
      ...(context.actor === undefined ? {} : { actor: context.actor }),
      ...(context.correlationId === undefined ? {} : { correlationId: context.correlationId }),
      ...(context.causationId === undefined ? {} : { causationId: context.causationId }),
    },
  };
};

/**
 * A stored event back into the domain. Old schema versions are upcast here, on read, and never
 * rewritten; there is only version 1 so far, so anything else is refused as unknown.
 */
export const fromRecorded = (kind: AnyKind, recorded: RecordedEvent): E.Either<InvalidInput, { type: string; at: number }> => {
  if (recorded.version !== EVENT_SCHEMA_VERSION) {
    return E.left({ code: 'INVALID_INPUT', message: `${recorded.type} schema version ${recorded.version} is unknown to this Ballast`, issues: [{ path: 'version', message: `unknown version ${recorded.version}` }] });
  }
  return decodeInput(kind.eventCodec, `${recorded.streamId}@${recorded.revision}`)({ type: recorded.type, ...recorded.data }) as E.Either<InvalidInput, { type: string; at: number }>;
};
