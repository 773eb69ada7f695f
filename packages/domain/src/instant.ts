import * as t from 'io-ts';
import { describeValue } from './codecs/report';
import { describeSchema } from './codecs/schema-meta';

/**
 * Event time: integer epoch milliseconds (UTC). Time is data stamped by an injected clock, never
 * read from the wall inside the domain, so "24h pause" means 24h of event time on every replay.
 */
export interface InstantBrand {
  readonly Instant: unique symbol;
}
export type Instant = t.Branded<number, InstantBrand>;

/** The largest date ECMAScript can represent (year 275760). */
export const MAX_INSTANT_MS = 8.64e15;

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export const instantFromMs = (ms: number): Instant => {
  if (!Number.isSafeInteger(ms) || ms < 0 || ms > MAX_INSTANT_MS)
    throw new Error(`instantFromMs: ${ms} is not a valid epoch millisecond`);
  return ms as Instant;
};

export const instantToIso = (at: Instant): string => new Date(at).toISOString();

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** Accepts epoch ms (a non-negative integer) or an ISO-8601 UTC string (`2026-01-01T00:00:00Z`); yields ms. */
export const InstantCodec = new t.Type<Instant, number, unknown>(
  'Instant',
  (u): u is Instant => Number.isSafeInteger(u) && (u as number) >= 0 && (u as number) <= MAX_INSTANT_MS,
  (u, c) => {
    if (typeof u === 'number') {
      if (!Number.isSafeInteger(u) || u < 0 || u > MAX_INSTANT_MS) {
        return t.failure(
          u,
          c,
          `expected epoch milliseconds as an integer between 0 and ${MAX_INSTANT_MS}, got ${describeValue(u)}`,
        );
      }
      return t.success(u as Instant);
    }
    if (typeof u === 'string') {
      const ms = ISO_UTC.test(u) ? Date.parse(u) : Number.NaN;
      // Date.parse rolls 2026-02-30 over into March; a round trip catches it.
      const roundTrips = Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 19) === u.slice(0, 19);
      if (!roundTrips || ms < 0)
        return t.failure(u, c, `expected an ISO-8601 UTC time such as "2026-01-01T00:00:00Z", got ${describeValue(u)}`);
      return t.success(ms as Instant);
    }
    return t.failure(u, c, `expected a time as epoch milliseconds or an ISO-8601 UTC string, got ${describeValue(u)}`);
  },
  (a) => a,
);
// The wire form is what `encode` writes: epoch ms. Decoding also takes an ISO-8601 UTC string; a schema for the
// encoded form leaves that out.
describeSchema(InstantCodec, {
  title: 'Instant',
  description: 'Event time as integer epoch milliseconds (UTC).',
  type: 'integer',
  minimum: 0,
  maximum: MAX_INSTANT_MS,
});
