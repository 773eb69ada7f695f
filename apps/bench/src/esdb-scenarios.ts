import { ESDB_URL_ENV, openEsdbStore } from '@ballast/event-store';
import { EventStoreDBClient, jsonEvent, NO_STREAM } from '@eventstore/db-client';
import { randomUUID } from 'node:crypto';
import { startProtocolDouble } from '../../../tests/esdb/double/start-double';
import { time, type Sample } from './measure';

export interface EsdbScenario {
  readonly name: string;
  ballast(): Promise<Sample>;
  peer(): Promise<Sample>;
}

/**
 * Single awaited appends through the EventStoreDB adapter beside the same appends made with the
 * bare client (one appendToStream at an exact revision each). Ballast's common append is two round
 * trips (the command claim, then the append at the head it remembers), the bare client's one, so
 * about 0.5x is the ceiling while exactly-once needs a claim written before the events (EventStoreDB
 * has no atomic append across two streams). Against BALLAST_ESDB_URL when set, else against the
 * protocol test double, in this process: its round trips are far cheaper than a real server's, and
 * its server work shares the benchmark's CPU.
 */
export const esdbScenarios = async (
  count: number,
): Promise<{ target: string; scenarios: EsdbScenario[]; close(): Promise<void> }> => {
  const real = process.env[ESDB_URL_ENV];
  const double = real ? undefined : await startProtocolDouble();
  const url = real ?? double!.url;
  const client = EventStoreDBClient.connectionString(url);
  const amount = (i: number) => ({ amount: `${i}.00` });
  return {
    target: real ? `EventStoreDB at ${real}` : 'the protocol test double (not a database)',
    scenarios: [
      {
        name: `${count} single appends to one stream, each awaited (appends/s)`,
        ballast: async () => {
          const store = await openEsdbStore(url, { namespace: `bench${randomUUID().slice(0, 8)}` });
          const sample = await time(async () => {
            for (let i = 0; i < count; i++) {
              await store.append('treasury-bench', [{ type: 'FundsDeposited', version: 1, data: amount(i) }], {
                expectedRevision: i === 0 ? 'no_stream' : i - 1,
                commandId: `c-${i}`,
              });
            }
            return count;
          });
          await store.close();
          return sample;
        },
        peer: async () => {
          const stream = `peer-${randomUUID()}`;
          return time(async () => {
            for (let i = 0; i < count; i++) {
              await client.appendToStream(stream, jsonEvent({ type: 'FundsDeposited', data: amount(i) }), {
                expectedRevision: i === 0 ? NO_STREAM : BigInt(i - 1),
              });
            }
            return count;
          });
        },
      },
    ],
    close: async () => {
      await client.dispose();
      await double?.close();
    },
  };
};
