import { openEsdbStore } from '@ballast/event-store';
import { describeEventStoreContract } from '../event-store/contract';
import { describeEventStoreModel } from '../event-store/model';
import { startProtocolDouble } from './double/start-double';

/**
 * The EventStoreDB adapter through the real client over real gRPC, against the protocol test double
 * (tests/esdb/double): not a database, but the server's wire behaviour the adapter relies on. Each
 * store gets a fresh double, so reads never wade through an earlier test's events.
 */
const esdb = async () => {
  const double = await startProtocolDouble();
  const store = await openEsdbStore(double.url, { claimLeaseMs: 200 });
  return {
    store,
    dispose: async () => {
      await store.close();
      await double.close();
    },
  };
};

// Each test starts a gRPC double and a client: on 2 shared cores a contract test over the wire has taken more than
// Jest's default 5 s (two timed out once while browsers ran beside the suite). The contract, not the speed, is tested.
jest.setTimeout(30_000);
describeEventStoreContract('esdb (protocol double)', esdb, { contiguous: false });
describeEventStoreModel('esdb (protocol double)', esdb, {
  contiguous: false,
  numRuns: Number(process.env.BALLAST_MODEL_RUNS ?? 60),
  timeoutMs: 120_000,
});
