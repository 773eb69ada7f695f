import { canonicalJson, type JsonObject } from '@ballast/domain';
import {
  jsonEvent,
  type JSONEventType,
  type EventData,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import type { PendingRow, StoredRow } from '../stored-row';
import type { EsdbNames } from './esdb-names';

/** Where the chain hash and the event's schema version travel: a key the metadata codec never admits. */
const BALLAST_KEY = 'ballast';

/**
 * A row as an EventStoreDB JSON event: the derived event id (so the server's duplicate check and
 * ours agree), data as JSON (readable in the server's UI and projections), and the caller's
 * metadata with the hash chain beside it.
 */
export const rowToEsdbEvent = (row: PendingRow): EventData<JSONEventType> =>
  jsonEvent({
    id: row.eventId,
    type: row.type,
    data: JSON.parse(row.dataJson) as JsonObject,
    metadata: {
      ...(JSON.parse(row.metadataJson) as JsonObject),
      [BALLAST_KEY]: { hash: row.hash, version: row.version },
    },
  }) as EventData<JSONEventType>;

/**
 * Back to the canonical texts the hash chain covers. A value that has no canonical form (edited
 * into a float, say) keeps its raw text, so it fails the chain instead of failing the read.
 */
const canonicalOrRaw = (value: unknown): string => {
  try {
    return canonicalJson(value);
  } catch {
    return JSON.stringify(value) ?? '';
  }
};

export const esdbEventToRow = (event: EsdbRecordedEvent, names: EsdbNames): StoredRow | undefined => {
  const streamId = names.fromEsdb(event.streamId);
  if (streamId === undefined) return undefined;
  const metadata = (
    typeof event.metadata === 'object' && event.metadata !== null && !(event.metadata instanceof Uint8Array)
      ? event.metadata
      : {}
  ) as Record<string, unknown>;
  const { [BALLAST_KEY]: chain, ...callerMetadata } = metadata;
  const link = (typeof chain === 'object' && chain !== null ? chain : {}) as { hash?: unknown; version?: unknown };
  return {
    // Stream reads carry no commit position; the prepare position is the record's place in the log.
    position: Number(event.position?.prepare ?? -1n),
    streamId,
    revision: Number(event.revision),
    eventId: event.id,
    type: event.type,
    version: typeof link.version === 'number' ? link.version : 0,
    dataJson: event.isJson ? canonicalOrRaw(event.data) : Buffer.from(event.data as Uint8Array).toString('utf8'),
    metadataJson: canonicalOrRaw(callerMetadata),
    hash: typeof link.hash === 'string' ? link.hash : '',
  };
};
