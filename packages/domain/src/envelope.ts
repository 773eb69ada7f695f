import * as t from 'io-ts';
import { type JsonObject, JsonObjectCodec } from './canonical-json';
import { boundedInt, patternString } from './codecs/primitives';
import { strict } from './codecs/strict';
import { ActorIdCodec, type CommandId, CommandIdCodec, type EventType, EventTypeCodec, type StreamId } from './ids';

/** Schema versions of one event type; old versions are upcast on read, never rewritten. */
export const SchemaVersionCodec = boundedInt('schema version', 1, 1000);

const CorrelationIdCodec = CommandIdCodec;

/**
 * sha256 (lowercase hex) of the command that appended the event, written by the engine: it tells a
 * retry of the same command from a command id reused for another, which the store cannot see.
 */
export interface CommandDigestBrand {
  readonly CommandDigest: unique symbol;
}
const CommandDigestCodec = patternString<CommandDigestBrand>(
  'CommandDigest',
  /^[0-9a-f]{64}$/,
  64,
  '64 lowercase hex digits',
);

/** What the caller says about an event beyond its data: why it happened and under which policy. */
export const EventMetadataCodec = strict(
  {},
  {
    correlationId: CorrelationIdCodec,
    causationId: CorrelationIdCodec,
    actor: ActorIdCodec,
    policyVersion: boundedInt('policy version', 0, 1_000_000),
    commandDigest: CommandDigestCodec,
  },
  'EventMetadata',
);
export type EventMetadata = t.TypeOf<typeof EventMetadataCodec>;

/** An event as a caller proposes it, before a store gives it a revision, a position and a hash. */
export const NewEventCodec = strict(
  { type: EventTypeCodec, version: SchemaVersionCodec, data: JsonObjectCodec },
  { metadata: EventMetadataCodec },
  'NewEvent',
);
export type NewEvent = t.TypeOf<typeof NewEventCodec>;

/** Metadata as recorded: the caller's, plus the command that appended the event. */
export type RecordedMetadata = EventMetadata & { readonly commandId: CommandId };

/**
 * The envelope that the hash chain covers: everything that identifies and describes the event.
 * The global position is left out on purpose: it is assigned by the store (EventStoreDB assigns it
 * after the write), so a chain must not depend on it.
 */
export interface EventEnvelope {
  readonly streamId: StreamId;
  /** 0-based: the first event of a stream is revision 0, in every store. */
  readonly revision: number;
  readonly eventId: string;
  readonly type: EventType;
  readonly version: number;
  readonly data: JsonObject;
  readonly metadata: RecordedMetadata;
}

/** An event as read back from a store. */
export interface RecordedEvent extends EventEnvelope {
  /** 1-based, strictly increasing across all streams in commit order. */
  readonly position: number;
  /** sha256(previous hash ‖ canonical envelope), lowercase hex. */
  readonly hash: string;
}
