import { binaryEvent, type EventStoreDBClient } from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import type { SnapshotSlots, StoredSnapshot } from '../port';
import { StoreError } from '../store-error';
import type { EsdbNames } from './esdb-names';
import type { EsdbStreams, Fail } from './esdb-streams';

const SNAPSHOT_TYPE = 'SnapshotSaved';
const Whole = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'non-negative integer');
const SnapshotMetadata = t.type({ streamId: t.string, foldVersion: Whole, revision: Whole });

/**
 * Durable snapshot slots in EventStoreDB: each data stream's snapshots in a stream of their own
 * (`<namespace>-snapshot.<streamId>`), the latest read as the stream's last event. The state travels
 * as a binary event holding stateJson's exact bytes (a JSON event would be re-serialized by the
 * client, and the engine digests the text as written); what it folds travels in the metadata. The
 * first save (and every 16th) sets `$maxCount` 1 on the stream, so the server keeps only the latest. Input arrives
 * checked by the store facade (ids, numbers, MAX_SNAPSHOT_BYTES); a state beyond the server's
 * MaxAppendSize (1 MiB by default) is refused by the server as APPEND_TOO_LARGE and saves nothing.
 */
export const esdbSnapshots = (
  client: EventStoreDBClient,
  names: EsdbNames,
  streams: EsdbStreams,
  fail: Fail,
): SnapshotSlots => ({
  load: async (streamId: string): Promise<StoredSnapshot | undefined> => {
    const name = names.snapshotStream(streamId);
    const last = await streams.lastEvent(name);
    if (last === undefined) return undefined;
    const metadata = SnapshotMetadata.decode(last.metadata);
    if (last.type !== SNAPSHOT_TYPE || last.isJson || E.isLeft(metadata) || metadata.right.streamId !== streamId) {
      throw new StoreError(
        'IO_FAILURE',
        `${name} ends with an event this version of Ballast did not write as a snapshot (${last.type})`,
      );
    }
    const { foldVersion, revision } = metadata.right;
    return { streamId, foldVersion, revision, stateJson: Buffer.from(last.data as Uint8Array).toString('utf8') };
  },
  save: async ({ streamId, foldVersion, revision, stateJson }: StoredSnapshot): Promise<void> => {
    const name = names.snapshotStream(streamId);
    const event = binaryEvent({
      type: SNAPSHOT_TYPE,
      data: Buffer.from(stateJson, 'utf8'),
      metadata: Buffer.from(JSON.stringify({ streamId, foldVersion, revision }), 'utf8'),
    });
    try {
      const done = await client.appendToStream(name, event, { expectedRevision: 'any' });
      // Set on the first save and again every 16th (idempotent), so one failed metadata call
      // cannot leave a snapshot stream growing for good.
      if (done.nextExpectedRevision % 16n === 0n) await client.setStreamMetadata(name, { maxCount: 1 });
    } catch (error) {
      throw fail(error, `saving a snapshot to ${name}`);
    }
  },
});
