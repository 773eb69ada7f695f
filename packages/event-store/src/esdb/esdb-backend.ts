import type { RecordedEvent } from '@ballast/domain';
import type { EventStoreDBClient } from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import { type Observable, Subject, type Subscriber } from 'rxjs';
import type { StoreBackend } from '../backend';
import { esdbCommandWriter } from './esdb-command-writer';
import { esdbFailure } from './esdb-errors';
import { esdbGlobalReads } from './esdb-global-reads';
import type { EsdbNames } from './esdb-names';
import { esdbSnapshots } from './esdb-snapshots';
import { esdbStreams } from './esdb-streams';

export interface EsdbBackendConfig {
  readonly client: EventStoreDBClient;
  /** host:port, for messages. */
  readonly address: string;
  readonly secure: boolean;
  readonly names: EsdbNames;
  /** How long a claim may sit unfinished before another writer may take the command over. */
  readonly claimLeaseMs: number;
}

export type EsdbBackend = StoreBackend & { subscribe(fromPosition: number): Observable<RecordedEvent> };

/**
 * The EventStoreDB adapter's backend: per-stream I/O, exactly-once writes, global reads and snapshot slots, composed.
 */
export const esdbBackend = (config: EsdbBackendConfig): EsdbBackend => {
  const { client, names } = config;
  const fail = (error: unknown, doing: string) => esdbFailure(config.address, config.secure, error, doing);
  const committed$ = new Subject<void>();
  const live = new Set<Subscriber<RecordedEvent>>();
  const streams = esdbStreams(client, names, fail);
  const writer = esdbCommandWriter(streams, config);
  const global = esdbGlobalReads(client, names, fail, live);

  return {
    description: `EventStoreDB at ${config.address}`,
    writable: true,
    write: async (input) => {
      const result = await writer.write(input);
      if (E.isRight(result)) committed$.next();
      return result;
    },
    streamPage: streams.streamRows,
    allPage: global.allPage,
    streamHead: streams.streamHead,
    commandResult: writer.commandResult,
    headPosition: global.headPosition,
    snapshots: esdbSnapshots(client, names, streams, fail),
    committed$,
    subscribe: global.subscribe,
    close: async () => {
      for (const subscriber of [...live]) subscriber.complete();
      committed$.complete();
      await client.dispose();
    },
  };
};
