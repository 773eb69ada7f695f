import {
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  type EventData,
  type EventStoreDBClient,
  FORWARDS,
  type ReadRevision,
  type RecordedEvent as EsdbRecordedEvent,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import type { StreamHead } from '../port';
import type { StoredRow } from '../stored-row';
import type { StoreError } from '../store-error';
import type { EsdbNames } from './esdb-names';
import { esdbEventToRow } from './esdb-rows';

export type Fail = (error: unknown, doing: string) => StoreError;

/** Per-stream reads and appends, with the client's errors turned into values or StoreErrors. */
export const esdbStreams = (client: EventStoreDBClient, names: EsdbNames, fail: Fail) => {
  const readEvents = async (
    name: string,
    fromRevision: ReadRevision,
    direction: typeof FORWARDS | typeof BACKWARDS,
    maxCount: number,
  ): Promise<EsdbRecordedEvent[]> => {
    const out: EsdbRecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(name, { fromRevision, direction, maxCount }))
        if (resolved.event) out.push(resolved.event);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw fail(error, `reading ${name}`);
    }
    return out;
  };

  const lastEvent = async (name: string) => (await readEvents(name, END, BACKWARDS, 1))[0];

  /** One append at an exact expectation; a conflict is a value carrying the actual revision. */
  const appendTo = async (
    name: string,
    events: EventData[],
    expectedRevision: AppendExpectedRevision,
  ): Promise<
    | {
        ok: true;
        /** The last event's, when the server wrote it now (not for a deduplicated retry). */ position?: number;
      }
    | { ok: false; actual: number | 'no_stream' }
  > => {
    try {
      const done = await client.appendToStream(name, events, { expectedRevision });
      return done.position === undefined ? { ok: true } : { ok: true, position: Number(done.position.prepare) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        return { ok: false, actual: typeof actual === 'bigint' ? Number(actual) : 'no_stream' };
      }
      throw fail(error, `appending to ${name}`);
    }
  };

  const streamRows = async (
    streamId: string,
    fromRevision: number,
    direction: 'forwards' | 'backwards',
    limit: number,
  ): Promise<StoredRow[]> =>
    (
      await readEvents(
        names.toEsdb(streamId),
        BigInt(fromRevision),
        direction === 'forwards' ? FORWARDS : BACKWARDS,
        limit,
      )
    ).map((e) => esdbEventToRow(e, names)!);

  const streamHead = async (streamId: string): Promise<StreamHead | undefined> => {
    const last = await lastEvent(names.toEsdb(streamId));
    if (last === undefined) return undefined;
    const row = esdbEventToRow(last, names)!;
    return { streamId, revision: row.revision, hash: row.hash };
  };

  return { readEvents, lastEvent, appendTo, streamRows, streamHead };
};

export type EsdbStreams = ReturnType<typeof esdbStreams>;
