import type { CommandId, EventType, JsonObject, RecordedEvent, RecordedMetadata, StreamId } from '@ballast/domain';

/**
 * An event as it sits in storage: data and metadata kept as their canonical JSON text, so the hash
 * chain can be recomputed from the stored bytes without a parse (and a corrupt byte cannot hide
 * behind a lenient parser).
 */
export interface StoredRow {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly dataJson: string;
  readonly metadataJson: string;
  readonly hash: string;
}

export type PendingRow = Omit<StoredRow, 'position'>;

export const rowToEvent = (row: StoredRow): RecordedEvent => ({
  position: row.position,
  streamId: row.streamId as StreamId,
  revision: row.revision,
  eventId: row.eventId,
  type: row.type as EventType,
  version: row.version,
  data: JSON.parse(row.dataJson) as JsonObject,
  metadata: JSON.parse(row.metadataJson) as RecordedMetadata & { commandId: CommandId },
  hash: row.hash,
});
