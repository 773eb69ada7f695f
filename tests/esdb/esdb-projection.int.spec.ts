import { memoryCheckpoints, type Projection, runProjection } from '@ballast/engine';
import { type EventStore, openEsdbStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { collect } from '../event-store/fixtures';
import { type ProtocolDouble, startProtocolDouble } from './double/start-double';

/** Records every position it sees and throws on a repeat or one out of order: sparse positions allowed. */
const seen: Projection<{ positions: number[] }> = {
  name: 'seen',
  version: 1,
  initial: { positions: [] },
  evolve: (s, e) => {
    const last = s.positions[s.positions.length - 1] ?? 0;
    if (e.position <= last) throw new Error(`repeat or disorder: ${last} then ${e.position}`);
    return { positions: [...s.positions, e.position] };
  },
};

describe('projections on EventStoreDB (protocol double): a $all subscription resumed from a stored position', () => {
  let double: ProtocolDouble;
  let store: EventStore;
  beforeEach(async () => {
    double = await startProtocolDouble();
    store = await openEsdbStore(double.url);
  });
  afterEach(async () => {
    await store.close();
    await double.close();
  });

  const append = async (from: number, n: number) => {
    for (let i = from; i < from + n; i++) {
      const r = await store.append(`s-${i % 3}`, [{ type: 'Noted', version: 1, data: { i } }], {
        expectedRevision: 'any',
        commandId: `c-${i}`,
      });
      if (E.isLeft(r)) throw new Error(r.left.message);
    }
  };

  it('catches up, goes live, stops, and resumes from its checkpoint: every event once, none missed', async () => {
    const checkpoints = memoryCheckpoints();
    await append(0, 12);
    const first = await runProjection(store, checkpoints, seen, { checkpointEvery: 5 });
    await append(12, 4);
    await first.whenProcessed(await store.headPosition());
    await first.stop();
    await append(16, 9);
    const second = await runProjection(store, checkpoints, seen, { checkpointEvery: 5 });
    await second.whenProcessed(await store.headPosition());
    const all = (await collect(store.readAll())).map((e) => e.position);
    expect(all).toHaveLength(25);
    expect(second.state$.value.positions).toEqual(all);
    await second.stop();
  });

  it('resubscribes after the server drops the connection, from the last event it received', async () => {
    const checkpoints = memoryCheckpoints();
    await append(0, 5);
    const errors: number[] = [];
    const p = await runProjection(store, checkpoints, seen, {
      onSubscriptionError: (_e, retryInMs) => errors.push(retryInMs),
    });
    await p.whenProcessed(await store.headPosition());
    const { log, port } = double;
    await double.close();
    await new Promise((resolve) => setTimeout(resolve, 400));
    double = await startProtocolDouble({ log, port });
    await append(5, 6);
    await p.whenProcessed(await store.headPosition());
    expect(errors.length).toBeGreaterThan(0);
    expect(p.state$.value.positions).toEqual((await collect(store.readAll())).map((e) => e.position));
    await p.stop();
  });
});
