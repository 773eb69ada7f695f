import * as t from 'io-ts';
import { JsonObjectCodec, strict } from '@ballast/domain';
import { CountCodec as Count, Hex64Codec as Hex64, textCodec as Text } from '../anchors/anchor-codec';

/** The format tag of an export's first and last line. */
export const EXPORT_FORMAT = 'ballast-export/1';

/** The first line: what follows, and when it was written. */
export const ExportHeaderCodec = strict({ format: t.literal(EXPORT_FORMAT), exportedAt: t.string }, {}, 'ExportHeader');

/** One event as it was stored, with its chain hash: enough to recompute the chain without the store. */
export const ExportedEventCodec = strict(
  {
    position: Count,
    streamId: Text('stream id', 512),
    revision: Count,
    eventId: Text('event id', 64),
    type: Text('event type', 256),
    version: Count,
    data: JsonObjectCodec,
    metadata: JsonObjectCodec,
    hash: Hex64,
  },
  {},
  'ExportedEvent',
);
export type ExportedEvent = t.TypeOf<typeof ExportedEventCodec>;

/**
 * The last line: how many events and streams, the head position and the root of every stream's head
 * (as an anchor computes it). An export without it was cut off.
 */
export const ExportTrailerCodec = strict(
  { end: t.literal(EXPORT_FORMAT), events: Count, streams: Count, headPosition: Count, headsRoot: Hex64 },
  {},
  'ExportTrailer',
);
export type ExportTrailer = t.TypeOf<typeof ExportTrailerCodec>;
