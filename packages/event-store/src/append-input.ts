import {
  canonicalJson,
  tryCanonicalJson,
  type CommandId,
  CommandIdCodec,
  decodeInput,
  EventMetadataCodec,
  EventTypeCodec,
  type InvalidInput,
  invalidInput,
  type NewEvent,
  NewEventCodec,
  SchemaVersionCodec,
  type StreamId,
  StreamIdCodec,
  boundedArray,
  strict,
  boundedInt,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { pipe } from 'fp-ts/function';
import * as t from 'io-ts';
import { sha256Hex } from './hash-chain';
import { MAX_APPEND_BYTES, MAX_EVENT_BYTES, MAX_EVENTS_PER_APPEND } from './limits';
import type { ExpectedRevision } from './port';

const ExpectedRevisionCodec = t.union(
  [t.literal('no_stream'), t.literal('any'), t.literal('exists'), boundedInt('revision', 0, Number.MAX_SAFE_INTEGER)],
  'ExpectedRevision',
);

const AppendOptionsCodec = strict(
  { expectedRevision: ExpectedRevisionCodec, commandId: CommandIdCodec },
  {},
  'AppendOptions',
);

const AppendInputCodec = strict(
  {
    streamId: StreamIdCodec,
    events: boundedArray(NewEventCodec, 1, MAX_EVENTS_PER_APPEND, 'events'),
    options: AppendOptionsCodec,
  },
  {},
  'Append',
);

export interface EncodedEvent {
  readonly type: string;
  readonly version: number;
  readonly dataJson: string;
  /** Caller metadata plus the command id, canonical. */
  readonly metadataJson: string;
}

/** An append that passed every boundary check, with its events already in canonical form. */
export interface ValidAppend {
  readonly streamId: StreamId;
  readonly commandId: CommandId;
  readonly expectedRevision: ExpectedRevision;
  readonly events: readonly EncodedEvent[];
  /** Identifies "the same events" for idempotency: sha256 over the canonical stream id and events. */
  readonly fingerprint: string;
}

const encodeEvents = (
  commandId: CommandId,
  events: readonly NewEvent[],
): E.Either<InvalidInput, ValidAppend['events']> => {
  const encoded: EncodedEvent[] = [];
  let total = 0;
  for (const [i, event] of events.entries()) {
    const dataJson = canonicalJson(event.data);
    const metadataJson = canonicalJson({ ...event.metadata, commandId });
    const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
    if (bytes > MAX_EVENT_BYTES) {
      return E.left(
        invalidInput('append', [
          {
            path: `events[${i}]`,
            message: `is ${bytes} bytes as canonical JSON; at most ${MAX_EVENT_BYTES} are allowed per event`,
          },
        ]),
      );
    }
    total += bytes;
    if (total > MAX_APPEND_BYTES) {
      return E.left(
        invalidInput('append', [
          { path: 'events', message: `exceed ${MAX_APPEND_BYTES} bytes in one append; split the batch` },
        ]),
      );
    }
    encoded.push({ type: event.type, version: event.version, dataJson, metadataJson });
  }
  return E.right(encoded);
};

/** Identifies "the same events" for idempotency; also recomputed from stored rows by adapters that must. */
export const appendFingerprint = (streamId: string, events: readonly EncodedEvent[]): string => {
  let text = streamId;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    text += `\n${e.type}\u0000${e.version}\u0000${e.dataJson}\u0000${e.metadataJson}`;
  }
  return sha256Hex(text);
};

const hasOwn = (o: object, key: string): boolean => Object.prototype.hasOwnProperty.call(o, key);
const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && Object.getPrototypeOf(u) === Object.prototype;
const EVENT_FIELDS = new Set(['type', 'version', 'data', 'metadata']);
const METADATA_FIELDS = ['actor', 'causationId', 'commandDigest', 'correlationId', 'policyVersion'] as const;

/**
 * The same decision as the codecs below for the common, valid append, without building io-ts
 * contexts or encoding each payload twice (the codec validates data by encoding it, then we encode
 * it again). Returns undefined whenever the input is not plainly valid, so every refusal and its
 * message still come from the codecs. A property test checks it never accepts what they refuse
 * and always produces the same ValidAppend.
 */
export const fastValidateAppend = (streamId: unknown, events: unknown, options: unknown): ValidAppend | undefined => {
  if (!StreamIdCodec.is(streamId) || !AppendOptionsCodec.is(options)) return undefined;
  if (!Array.isArray(events) || events.length < 1 || events.length > MAX_EVENTS_PER_APPEND) return undefined;
  const commandId = options.commandId;
  const encoded: EncodedEvent[] = new Array<EncodedEvent>(events.length);
  let total = 0;
  for (let i = 0; i < events.length; i++) {
    const event: unknown = events[i];
    if (!isRecord(event)) return undefined;
    for (const key of Object.keys(event)) if (!EVENT_FIELDS.has(key)) return undefined;
    if (!hasOwn(event, 'type') || !hasOwn(event, 'version') || !hasOwn(event, 'data')) return undefined;
    const { type, version, data } = event;
    if (!EventTypeCodec.is(type) || !SchemaVersionCodec.is(version)) return undefined;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
    // Built field by field, as the strict codec decodes it, so the encoded metadata is the same.
    const metadata: Record<string, unknown> = {};
    if (hasOwn(event, 'metadata')) {
      const given = event.metadata;
      if (!EventMetadataCodec.is(given)) return undefined;
      for (const key of METADATA_FIELDS)
        if (hasOwn(given, key)) metadata[key] = (given as Record<string, unknown>)[key];
    }
    metadata.commandId = commandId;
    const dataJson = tryCanonicalJson(data);
    const metadataJson = tryCanonicalJson(metadata);
    if (dataJson === undefined || metadataJson === undefined) return undefined;
    const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
    total += bytes;
    if (bytes > MAX_EVENT_BYTES || total > MAX_APPEND_BYTES) return undefined;
    encoded[i] = { type, version, dataJson, metadataJson };
  }
  return {
    streamId,
    commandId,
    expectedRevision: options.expectedRevision as ExpectedRevision,
    events: encoded,
    fingerprint: appendFingerprint(streamId, encoded),
  };
};

/** The codec path: every check with its message; also the reference the fast path is tested against. */
export const validateAppendByCodec = (
  streamId: unknown,
  events: unknown,
  options: unknown,
): E.Either<InvalidInput, ValidAppend> =>
  pipe(
    decodeInput(AppendInputCodec, 'append')({ streamId, events, options }),
    E.chain((input) =>
      pipe(
        encodeEvents(input.options.commandId, input.events),
        E.map((encoded): ValidAppend => ({
          streamId: input.streamId,
          commandId: input.options.commandId,
          expectedRevision: input.options.expectedRevision as ExpectedRevision,
          events: encoded,
          fingerprint: appendFingerprint(input.streamId, encoded),
        })),
      ),
    ),
  );

/** Checks an append at the boundary (G5): ids, revisions, event shapes, numbers, sizes. */
export const validateAppend = (
  streamId: unknown,
  events: unknown,
  options: unknown,
): E.Either<InvalidInput, ValidAppend> => {
  const fast = fastValidateAppend(streamId, events, options);
  return fast === undefined ? validateAppendByCodec(streamId, events, options) : E.right(fast);
};
