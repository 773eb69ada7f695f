import { type EventStore, MAX_SNAPSHOT_BYTES, openEsdbStore, type SnapshotSlots } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { firstValueFrom, take, toArray } from 'rxjs';
import { collect, deposit, storeErrorOf as thrown } from '../event-store/fixtures';
import { type ProtocolDouble, startProtocolDouble } from './double/start-double';

describe('esdb adapter: durable snapshot slots, in streams of their own (protocol double)', () => {
  let double: ProtocolDouble;
  let store: EventStore;
  let slots: SnapshotSlots;
  beforeEach(async () => {
    double = await startProtocolDouble();
    store = await openEsdbStore(double.url);
    slots = store.snapshots!;
  });
  afterEach(async () => {
    await store.close();
    await double.close();
  });

  const snapshot = (revision: number, stateJson = `{"revision":${revision}}`, foldVersion = 1) => ({
    streamId: 'treasury-a',
    foldVersion,
    revision,
    stateJson,
  });

  it('saves and loads the state text byte for byte; a stream never saved has none', async () => {
    expect(store.snapshots).toBeDefined();
    expect(await slots.load('treasury-a')).toBeUndefined();
    // Key order, number spelling and non-ASCII text exactly as written: the engine digests the text.
    const stateJson = '{"z":1,"a":"€ and 🐳","n":1.50,"2":"x","nested":{"b":[1e3,-0]}}';
    await slots.save(snapshot(7, stateJson));
    expect(await slots.load('treasury-a')).toEqual({ streamId: 'treasury-a', foldVersion: 1, revision: 7, stateJson });
    expect(await slots.load('treasury-b')).toBeUndefined();
  });

  it('the latest save wins, and a snapshot of another fold version is still returned (the engine decides)', async () => {
    await slots.save(snapshot(5));
    await slots.save(snapshot(9, '{"later":true}'));
    expect(await slots.load('treasury-a')).toMatchObject({ revision: 9, stateJson: '{"later":true}' });
    await slots.save(snapshot(3, '{"older fold":true}', 2));
    expect(await slots.load('treasury-a')).toEqual({
      streamId: 'treasury-a',
      foldVersion: 2,
      revision: 3,
      stateJson: '{"older fold":true}',
    });
    // The first save asked the server to keep only the latest ($maxCount 1), once.
    const meta = double.log.records.filter((r) => r.stream === '$$ballast-snapshot.treasury-a');
    expect(meta.map((r) => JSON.parse(Buffer.from(r.data).toString('utf8')))).toEqual([{ $maxCount: 1 }]);
  });

  it('is never seen by readAll, subscribe, readStream, heads, headPosition or verify', async () => {
    const live = firstValueFrom(store.subscribe().pipe(take(2), toArray()));
    const first = await store.append('treasury-a', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'c1' });
    if (E.isLeft(first)) throw new Error(first.left.message);
    await slots.save(snapshot(0));
    await store.snapshots!.save({ ...snapshot(0), streamId: 'treasury-b' });
    const second = await store.append('treasury-a', [deposit('2')], { expectedRevision: 0, commandId: 'c2' });
    if (E.isLeft(second)) throw new Error(second.left.message);
    await slots.save(snapshot(1));

    const all = await collect(store.readAll());
    expect(all.map((e) => [e.streamId, e.revision])).toEqual([
      ['treasury-a', 0],
      ['treasury-a', 1],
    ]);
    expect((await live).map((e) => e.position)).toEqual(all.map((e) => e.position));
    expect(await collect(store.readStream('treasury-b'))).toEqual([]);
    expect(await store.streamHead('treasury-b')).toBeUndefined();
    expect((await store.streamHead('treasury-a'))?.revision).toBe(1);
    expect(await store.headPosition()).toBe(second.right.lastPosition);
    expect(await store.verify()).toEqual({ ok: true, streams: 1, events: 2, headPosition: second.right.lastPosition });
  });

  it('keeps namespaces apart: the same stream id in two namespaces has two slots', async () => {
    const other = await openEsdbStore(double.url, { namespace: 'other' });
    await slots.save(snapshot(1, '{"ns":"ballast"}'));
    expect(await other.snapshots!.load('treasury-a')).toBeUndefined();
    await other.snapshots!.save(snapshot(2, '{"ns":"other"}'));
    expect(await slots.load('treasury-a')).toMatchObject({ revision: 1, stateJson: '{"ns":"ballast"}' });
    expect(await other.snapshots!.load('treasury-a')).toMatchObject({ revision: 2, stateJson: '{"ns":"other"}' });
    await other.close();
  });

  it.each([
    ['a bad stream id', { streamId: 'bad id' }, 'streamId'],
    ['a negative revision', { revision: -1 }, 'revision'],
    ['a fractional fold version', { foldVersion: 1.5 }, 'foldVersion'],
    ['a state that is not text', { stateJson: { a: 1 } }, 'stateJson'],
    ['a state over MAX_SNAPSHOT_BYTES', { stateJson: `"${'x'.repeat(MAX_SNAPSHOT_BYTES)}"` }, 'stateJson'],
  ])('refuses %s before any I/O, saving nothing', async (_label, change, path) => {
    const before = double.log.calls.length;
    const error = await thrown(() => slots.save({ ...snapshot(1), ...change } as never));
    expect(error.code).toBe('INVALID_SNAPSHOT');
    expect(error.issues.map((i) => i.path)).toContain(path);
    expect(double.log.calls.length).toBe(before);
    expect(await slots.load('treasury-a')).toBeUndefined();
  });

  it('refuses to load a bad stream id, and a state larger than the server takes is refused there, keeping the last', async () => {
    expect((await thrown(() => slots.load('bad id'))).code).toBe('INVALID_READ');
    await slots.save(snapshot(1));
    const error = await thrown(() => slots.save(snapshot(2, `"${'x'.repeat(1024 * 1024)}"`)));
    expect(error.code).toBe('APPEND_TOO_LARGE');
    expect(await slots.load('treasury-a')).toMatchObject({ revision: 1 });
  });

  it('refuses a snapshot stream holding what Ballast did not write, and every call once the store is closed', async () => {
    const { EventStoreDBClient, jsonEvent } = await import('@eventstore/db-client');
    const client = EventStoreDBClient.connectionString(double.url);
    await client.appendToStream('ballast-snapshot.treasury-a', jsonEvent({ type: 'SomethingElse', data: {} }));
    await client.dispose();
    expect((await thrown(() => slots.load('treasury-a'))).message).toContain('SomethingElse');
    await store.close();
    expect((await thrown(() => slots.load('treasury-a'))).code).toBe('STORE_CLOSED');
    expect((await thrown(() => slots.save(snapshot(1)))).code).toBe('STORE_CLOSED');
  });
});
