import { hash } from 'node:crypto';
import type { PendingRow } from './stored-row';

/** The hash a stream's first event chains from. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * canonicalJson(envelope) written out by hand from the stored canonical texts: keys in sorted order
 * (data, eventId, metadata, revision, streamId, type, version). A unit test pins it to canonicalJson.
 */
export const canonicalEnvelope = (row: Omit<PendingRow, 'hash'>): string =>
  envelopeText(
    JSON.stringify(row.streamId),
    row.revision,
    row.eventId,
    JSON.stringify(row.type),
    row.version,
    row.dataJson,
    row.metadataJson,
  );

/** canonicalEnvelope with the stream id and type already as JSON strings, for a batch of one stream. */
export const envelopeText = (
  streamIdJson: string,
  revision: number,
  eventId: string,
  typeJson: string,
  version: number,
  dataJson: string,
  metadataJson: string,
): string =>
  `{"data":${dataJson},"eventId":${JSON.stringify(eventId)},"metadata":${metadataJson},` +
  `"revision":${revision},"streamId":${streamIdJson},"type":${typeJson},"version":${version}}`;

/** hash = sha256(prevHash ‖ canonical(envelope)), lowercase hex. */
// One-shot hashing (no Hash object per digest). The canonical text starts with '{', so the UTF-8 of
// the concatenation is the two UTF-8s in turn, whatever prevHash holds: the bytes hashed are unchanged.
export const chainHash = (prevHash: string, canonical: string): string => hash('sha256', prevHash + canonical, 'hex');

export const sha256Hex = (text: string): string => hash('sha256', text, 'hex');

/**
 * Event ids are derived from the command id and the event's index, so a retried command carries
 * the same ids (EventStoreDB's own duplicate check then agrees with ours). An RFC 9562 version-8
 * (custom) UUID: 96 bits of sha256(command id), then the index as a 32-bit big-endian number, so one
 * hash serves a whole batch.
 */
export const deriveEventIds = (commandId: string, count: number): string[] => {
  const bytes = hash('sha256', `ballast-event\u0000${commandId}`, 'buffer');
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 12).toString('hex');
  const prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 24)}`;
  return Array.from({ length: count }, (_, index) => `${prefix}${index.toString(16).padStart(8, '0')}`);
};

export const deriveEventId = (commandId: string, index: number): string => deriveEventIds(commandId, index + 1)[index]!;
