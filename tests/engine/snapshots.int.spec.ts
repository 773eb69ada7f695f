import { openBallast, openSqliteSnapshots, SnapshotCache, type SnapshotStore, stateDigest } from '@ballast/engine';
import { type EventStore, openSqliteStore } from '@ballast/event-store';
import { join } from 'node:path';
import { tempDir } from '../event-store/fixtures';
import { agentConfig, T0 } from '../support/treasury-fixtures';

/** Counts the events a store hands out per stream read, to see how much a load folds. */
const counting = (store: EventStore) => {
  let read = 0;
  return {
    store: { ...store, readStream: (id: string, o?: Parameters<EventStore['readStream']>[1]) => ({ async *[Symbol.asyncIterator]() { for await (const e of store.readStream(id, o)) { read += 1; yield e; } } }) } as EventStore,
    read: () => read,
  };
};

describe('snapshots', () => {
  it('persist every N events, so a restarted engine folds only the tail', async () => {
    const dir = tempDir('snapshots');
    const store = openSqliteStore(join(dir.path, 'b.db'));
    const snapshots = openSqliteSnapshots(join(dir.path, 'b.db.snapshots'));
    let now = T0;
    const first = openBallast({ store, clock: { now: () => (now += 1000) }, snapshots, snapshotEvery: 100 });
    await first.treasuries.execute('alpha', { type: 'OpenTreasury', config: agentConfig() }, { commandId: 'open' });
    for (let i = 0; i < 250; i++) await first.treasuries.execute('alpha', { type: 'Deposit', amount: '1', bucket: 'reserve' }, { commandId: `d${i}` });
    const live = await first.treasuries.load('alpha');
    expect(live.revision).toBe(250);
    expect(snapshots.load('treasury-alpha')!.revision).toBe(199);

    const counted = counting(store);
    const restarted = openBallast({ store: counted.store, clock: { now: () => now }, snapshots });
    const reloaded = await restarted.treasuries.load('alpha');
    expect(counted.read()).toBe(51);
    expect(stateDigest(reloaded.state)).toBe(stateDigest(live.state));

    const cold = counting(store);
    await openBallast({ store: cold.store, clock: { now: () => now } }).treasuries.load('alpha');
    expect(cold.read()).toBe(251);
    snapshots.close();
    await store.close();
    dir.remove();
  });

  it('ignore a snapshot of another fold version', () => {
    const saved = new Map<string, unknown>();
    const durable: SnapshotStore = { load: (id) => saved.get(id) as never, save: (id, s) => void saved.set(id, s) };
    new SnapshotCache(10, durable, 1).put('treasury-a', { revision: 5, foldVersion: 1, state: { x: 1 } });
    expect(new SnapshotCache(10, durable).get('treasury-a', 1)).toMatchObject({ revision: 5 });
    expect(new SnapshotCache(10, durable).get('treasury-a', 2)).toBeUndefined();
  });
});
