import { ESDB_URL_ENV, openEsdbStore } from '@ballast/event-store';
import { randomUUID } from 'node:crypto';
import { describeEventStoreContract } from '../event-store/contract';
import { describeEventStoreModel } from '../event-store/model';

/**
 * The same contract and model against a real EventStoreDB/KurrentDB, when one is reachable:
 *   docker compose up -d && BALLAST_ESDB_URL='esdb://localhost:2113?tls=false' npx pnpm@9.15.9 test
 * Each store gets a fresh namespace, so runs never see each other's events on a shared server.
 */
const url = process.env[ESDB_URL_ENV];

if (url === undefined || url === '') {
  process.stdout.write(
    `esdb (real server): skipped, ${ESDB_URL_ENV} is not set (no EventStoreDB on this machine); see README "EventStoreDB" to run them\n`,
  );
  describe.skip('esdb (real server)', () => {
    it('needs BALLAST_ESDB_URL', () => undefined);
  });
} else {
  const esdb = async () => {
    const store = await openEsdbStore(url, {
      namespace: `t${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      claimLeaseMs: 2000,
    });
    return { store, dispose: () => store.close() };
  };
  jest.setTimeout(60_000);
  describeEventStoreContract(`esdb (real server ${url})`, esdb, { contiguous: false });
  describeEventStoreModel(`esdb (real server ${url})`, esdb, { contiguous: false, numRuns: 20, timeoutMs: 600_000 });
}
