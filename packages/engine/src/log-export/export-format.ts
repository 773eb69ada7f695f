import * as t from 'io-ts';
import { JsonObjectCodec, strict } from '@ballast/domain';

/** The format tag of an export's first and last line. */
export const EXPORT_FORMAT = 'ballast-export/1';

const Count = new t.Type<number, number, unknown>(
  'Count',
  (u): u is number => Number.isSafeInteger(u) && (u as number) >= 0,
  (u, c) =>
    Number.isSafeInteger(u) && (u as number) >= 0 ? t.success(u as number) : t.failure(u, c, 'expected an integer ≥ 0'),
  t.identity,
);
const Hex64 = new t.Type<string, string, unknown>(
  'Hex64',
  (u): u is string => typeof u === 'string' && /^[0-9a-f]{64}$/.test(u),
  (u, c) =>
    typeof u === 'string' && /^[0-9a-f]{64}$/.test(u)
      ? t.success(u)
      : t.failure(u, c, 'expected 64 lowercase hex digits'),
  t.identity,
);
const Text = (max: number) =>
  new t.Type<string, string, unknown>(
    `Text(${max})`,
    (u): u is string => typeof u === 'string' && u.length > 0 && u.length <= max,
    (u, c) =>
      typeof u === 'string' && u.length > 0 && u.length <= max
        ? t.success(u)
        : t.failure(u, c, `expected a string of 1 to ${max} characters`),
    t.identity,
  );

/** The first line: what follows, and when it was written. */
export const ExportHeaderCodec = strict({ format: t.literal(EXPORT_FORMAT), exportedAt: t.string }, {}, 'ExportHeader');

/** One event as it was stored, with its chain hash: enough to recompute the chain without the store. */
export const ExportedEventCodec = strict(
  {
    position: Count,
    streamId: Text(512),
    revision: Count,
    eventId: Text(64),
    type: Text(256),
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
