import {
  canonicalJson,
  type CommandId,
  CommandIdCodec,
  decodeInput,
  type InvalidInput,
  invalidInput,
  type NewEvent,
  NewEventCodec,
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

const AppendInputCodec = strict(
  {
    streamId: StreamIdCodec,
    events: boundedArray(NewEventCodec, 1, MAX_EVENTS_PER_APPEND, 'events'),
    options: strict({ expectedRevision: ExpectedRevisionCodec, commandId: CommandIdCodec }, {}, 'AppendOptions'),
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

const encodeEvents = (commandId: CommandId, events: readonly NewEvent[]): E.Either<InvalidInput, ValidAppend['events']> => {
  const encoded: EncodedEvent[] = [];
  let total = 0;
  for (const [i, event] of events.entries()) {
    const dataJson = canonicalJson(event.data);
    const metadataJson = canonicalJson({ ...event.metadata, commandId });
    const bytes = Buffer.byteLength(dataJson) + Buffer.byteLength(metadataJson);
    if (bytes > MAX_EVENT_BYTES) {
      return E.left(invalidInput('append', [{ path: `events[${i}]`, message: `is ${bytes} bytes as canonical JSON; at most ${MAX_EVENT_BYTES} are allowed per event` }]));
    }
    total += bytes;
    if (total > MAX_APPEND_BYTES) {
      return E.left(invalidInput('append', [{ path: 'events', message: `exceed ${MAX_APPEND_BYTES} bytes in one append; split the batch` }]));
    }
    encoded.push({ type: event.type, version: event.version, dataJson, metadataJson });
  }
  return E.right(encoded);
};

/** Identifies "the same events" for idempotency; also recomputed from stored rows by adapters that must. */
export const appendFingerprint = (streamId: string, events: readonly EncodedEvent[]): string =>
  sha256Hex(`${streamId}\n${events.map((e) => `${e.type}\u0000${e.version}\u0000${e.dataJson}\u0000${e.metadataJson}`).join('\n')}`);

/** Checks an append at the boundary (G5): ids, revisions, event shapes, numbers, sizes. */
export const validateAppend = (streamId: unknown, events: unknown, options: unknown): E.Either<InvalidInput, ValidAppend> =>
  pipe(
    decodeInput(AppendInputCodec, 'append')({ streamId, events, options }),
    E.chain((input) =>
      pipe(
        encodeEvents(input.options.commandId, input.events),
        E.map(
          (encoded): ValidAppend => ({
            streamId: input.streamId,
            commandId: input.options.commandId,
            expectedRevision: input.options.expectedRevision as ExpectedRevision,
            events: encoded,
            fingerprint: appendFingerprint(input.streamId, encoded),
          }),
        ),
      ),
    ),
  );
