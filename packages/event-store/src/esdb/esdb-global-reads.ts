import type { RecordedEvent } from '@ballast/domain';
import {
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  type ReadPosition,
  type RecordedEvent as EsdbRecordedEvent,
  START,
  streamNameFilter,
} from '@eventstore/db-client';
import { Observable, type Subscriber } from 'rxjs';
import { rowToEvent, type StoredRow } from '../stored-row';
import type { EsdbNames } from './esdb-names';
import { esdbEventToRow } from './esdb-rows';
import type { Fail } from './esdb-streams';

/** Raw $all events read per round trip while looking for Ballast's among everybody's. */
const ALL_BATCH = 1024;
/**
 * Looking backwards for the newest Ballast event: usually among the last few (claim and snapshot records sit between
 * appends), so start small and double.
 */
const HEAD_BATCH = 16;

/** Ballast positions on EventStoreDB are log positions: the prepare position of the event's record. */
const positionBefore = (position: number): ReadPosition =>
  position <= 0 ? START : { commit: BigInt(position - 1), prepare: BigInt(position - 1) };

/** Reads across streams: $all in global order, its head, subscriptions. */
export const esdbGlobalReads = (
  client: EventStoreDBClient,
  names: EsdbNames,
  fail: Fail,
  live: Set<Subscriber<RecordedEvent>>,
) => {
  /** Ballast's rows at or after a position: $all holds everybody's events, so skip the others. */
  const allPage = async (fromPosition: number, limit: number): Promise<StoredRow[]> => {
    const rows: StoredRow[] = [];
    let min = fromPosition;
    for (;;) {
      let raw = 0;
      let last = -1;
      try {
        for await (const resolved of client.readAll({
          fromPosition: positionBefore(min),
          direction: FORWARDS,
          maxCount: ALL_BATCH,
        })) {
          raw += 1;
          const event = resolved.event;
          if (event === undefined) continue;
          last = Number(event.position.prepare);
          const row = esdbEventToRow(event, names);
          if (row !== undefined && row.position >= min && rows.length < limit) rows.push(row);
        }
      } catch (error) {
        throw fail(error, 'reading $all');
      }
      if (rows.length >= limit || raw < ALL_BATCH) return rows;
      min = last + 1;
    }
  };

  const headPosition = async (): Promise<number> => {
    let from: ReadPosition = END;
    for (let batch = HEAD_BATCH; ; batch = Math.min(batch * 2, ALL_BATCH)) {
      let raw = 0;
      let found: number | undefined;
      try {
        // Drained, not returned from: an abandoned read keeps the client from ever disposing.
        const page = client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: batch });
        for await (const resolved of page) {
          raw += 1;
          const event: EsdbRecordedEvent | undefined = resolved.event;
          if (event === undefined || event.position === undefined) continue;
          if (found === undefined && names.fromEsdb(event.streamId) !== undefined)
            found = Number(event.position.prepare);
          from = event.position;
        }
      } catch (error) {
        throw fail(error, 'reading $all backwards');
      }
      if (found !== undefined) return found;
      if (raw < batch) return 0;
    }
  };

  /** A catch-up subscription to $all, filtered on the server to Ballast's streams. */
  const subscribe = (fromPosition: number): Observable<RecordedEvent> =>
    new Observable<RecordedEvent>((subscriber) => {
      const subscription = client.subscribeToAll({
        fromPosition: positionBefore(fromPosition),
        filter: streamNameFilter({ prefixes: [names.dataPrefix] }),
      });
      live.add(subscriber);
      subscription.on('data', (resolved: { event?: EsdbRecordedEvent }) => {
        const row = resolved.event === undefined ? undefined : esdbEventToRow(resolved.event, names);
        if (row !== undefined && row.position >= fromPosition) subscriber.next(rowToEvent(row));
      });
      subscription.on('error', (error: unknown) => subscriber.error(fail(error, 'subscribed to $all')));
      subscription.on('end', () => subscriber.complete());
      return () => {
        live.delete(subscriber);
        void subscription.unsubscribe();
      };
    });

  return { allPage, headPosition, subscribe };
};
