import * as t from 'io-ts';
import { boundedInt, patternString, strict } from '@ballast/domain';

/** The format tag every anchor carries; a later format gets a new tag and is decoded beside this one. */
export const ANCHOR_FORMAT = 'ballast-anchor/1';

/**
 * A string checked by pattern, typed as a plain string: these values are computed (hashes, key ids,
 * times) far more often than decoded, so a brand would only add casts.
 */
const text = (name: string, pattern: RegExp, maxLength: number, describe: string) =>
  patternString(name, pattern, maxLength, describe) as unknown as t.Type<string, string, unknown>;

/** A sha256 in lowercase hex: chain hashes, roots, digests. */
export const Hex64Codec = text('sha256', /^[0-9a-f]{64}$/, 64, '64 lowercase hex digits');
const KeyId = text('key id', /^[0-9a-f]{16}$/, 16, '16 lowercase hex digits');
const Base64 = text('signature', /^[A-Za-z0-9+/]{86}==$/, 88, 'an Ed25519 signature in base64 (88 characters)');
const IsoTime = text(
  'time',
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/,
  24,
  'an ISO-8601 UTC time such as 2026-11-27T12:00:00.000Z',
);
/** Any text of 1 to `maxLength` characters. */
export const textCodec = (name: string, maxLength: number) =>
  text(name, /^[\s\S]+$/, maxLength, `1 to ${maxLength} characters`);
/** A count or a position: an integer from 0 to 2^53 − 1. */
export const CountCodec = boundedInt('count', 0, Number.MAX_SAFE_INTEGER);

/**
 * What an anchor's signature covers: how far the log went (events in global order, and the store's
 * head position), every stream's head at that point (by their Merkle root), and the audit's total
 * digest of the state folded from those events.
 */
const statementFields = {
  format: t.literal(ANCHOR_FORMAT),
  createdAt: IsoTime,
  events: CountCodec,
  headPosition: CountCodec,
  streams: CountCodec,
  headsRoot: Hex64Codec,
  auditDigest: Hex64Codec,
  keyId: KeyId,
};
export const AnchorStatementCodec = strict(statementFields, {}, 'AnchorStatement');
export type AnchorStatement = t.TypeOf<typeof AnchorStatementCodec>;

/** One stream's head: its id, the revision of its last event and that event's chain hash. */
export const AnchorHeadCodec = t.tuple([t.string, CountCodec, Hex64Codec], 'AnchorHead');
export type AnchorHead = t.TypeOf<typeof AnchorHeadCodec>;

/**
 * One line of an anchor file: the statement, its Ed25519 signature, and the heads themselves (not
 * signed directly: they must hash to the signed root), so a difference can be named by stream.
 * Either every head (`heads`), or only the heads that changed (`changes`) since the anchor on the
 * line before, whose root is `base`: a file of anchors every N events then grows with what
 * changed, not with every stream each time.
 */
export const AnchorCodec = strict(
  { ...statementFields, signature: Base64 },
  { heads: t.array(AnchorHeadCodec), changes: t.array(AnchorHeadCodec), base: Hex64Codec },
  'Anchor',
);
export type Anchor = t.TypeOf<typeof AnchorCodec>;
