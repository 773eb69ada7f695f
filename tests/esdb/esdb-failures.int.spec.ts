import { type EventStore, openEsdbStore } from '@ballast/event-store';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { firstValueFrom, take, toArray } from 'rxjs';
import { collect, deposit, storeErrorOf as thrown } from '../event-store/fixtures';
import { type ProtocolDouble, startProtocolDouble } from './double/start-double';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected success, got ${JSON.stringify(e.left)}`);
  return e.right;
};

const left = (e: E.Either<unknown, unknown>) => {
  if (E.isRight(e)) throw new Error(`expected a refusal, got ${JSON.stringify(e.right)}`);
  return e.left;
};

describe('esdb adapter: failures between the steps of an append (G2 across lost replies and dead writers)', () => {
  let double: ProtocolDouble;
  let store: EventStore;
  beforeEach(async () => {
    double = await startProtocolDouble();
    store = await openEsdbStore(double.url, { claimLeaseMs: 300 });
  });
  afterEach(async () => {
    await store.close();
    await double.close();
  });

  const dataEvents = () => double.log.records.filter((r) => r.stream.startsWith('ballast.')).length;
  const claimTypes = (commandId: string) =>
    double.log.records
      .filter((r) => r.stream === `ballast-command.${createHash('sha256').update(commandId).digest('hex')}`)
      .map((r) => r.type);

  it('the reply to the data append is lost: the retry answers with the first result and appends nothing', async () => {
    right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' }));
    double.log.fault = (stream) => (stream === 'ballast.s-1' ? 'lose-reply' : undefined);
    expect(
      (await thrown(() => store.append('s-1', [deposit('2'), deposit('3')], { expectedRevision: 0, commandId: 'pay' })))
        .code,
    ).toBe('STORE_UNREACHABLE');
    double.log.fault = undefined;
    expect(dataEvents()).toBe(3);
    const retry = right(
      await store.append('s-1', [deposit('2'), deposit('3')], { expectedRevision: 0, commandId: 'pay' }),
    );
    expect(retry).toMatchObject({ streamId: 's-1', firstRevision: 1, nextExpectedRevision: 2 });
    expect(await store.commandResult('pay')).toEqual(retry);
    expect(dataEvents()).toBe(3);
    expect((await store.verify()).ok).toBe(true);
  });

  it('the writer dies after claiming, before appending: a retry of the same command finishes it at once, landing it once', async () => {
    double.log.fault = (stream) => (stream === 'ballast.s-1' ? 'drop' : undefined);
    await thrown(() => store.append('s-1', [deposit('5')], { expectedRevision: 'any', commandId: 'pay' }));
    double.log.fault = undefined;
    // The same events at the same place: the retry sends them itself (the server would drop a twin).
    const retry = right(await store.append('s-1', [deposit('5')], { expectedRevision: 'any', commandId: 'pay' }));
    expect(retry.firstRevision).toBe(0);
    expect(right(await store.append('s-1', [deposit('5')], { expectedRevision: 'any', commandId: 'pay' }))).toEqual(
      retry,
    );
    expect(dataEvents()).toBe(1);
  });

  it('the writer dies after claiming: another command under that id waits for the lease, then takes the id, once', async () => {
    double.log.fault = (stream) => (stream === 'ballast.s-1' ? 'drop' : undefined);
    await thrown(() => store.append('s-1', [deposit('5')], { expectedRevision: 'any', commandId: 'pay' }));
    double.log.fault = undefined;
    const other = right(await store.append('s-1', [deposit('6')], { expectedRevision: 'any', commandId: 'pay' }));
    expect(other.firstRevision).toBe(0);
    expect(claimTypes('pay')).toEqual(['CommandClaimed', 'CommandReleased', 'CommandClaimed']);
    expect((await collect(store.readStream('s-1'))).map((e) => e.data.amount)).toEqual(['6']);
    expect(
      left(await store.append('s-1', [deposit('5')], { expectedRevision: 'any', commandId: 'pay' })),
    ).toMatchObject({ code: 'COMMAND_ID_REUSED' });
  });

  it('the writer records no completion: the first reader of the claim finds the landed events and records them', async () => {
    const first = right(await store.append('s-1', [deposit('7')], { expectedRevision: 'any', commandId: 'pay' }));
    expect(claimTypes('pay')).toEqual(['CommandClaimed']);
    expect(await store.commandResult('pay')).toEqual(first);
    expect(claimTypes('pay')).toEqual(['CommandClaimed', 'CommandCompleted']);
    expect(right(await store.append('s-1', [deposit('7')], { expectedRevision: 'any', commandId: 'pay' }))).toEqual(
      first,
    );
    expect(
      left(await store.append('s-1', [deposit('8')], { expectedRevision: 'any', commandId: 'pay' })),
    ).toMatchObject({ code: 'COMMAND_ID_REUSED', originalStreamId: 's-1' });
    expect(dataEvents()).toBe(1);
  });

  it('the reply to the claim is lost: the retry makes the same claim (deduplicated) and lands the command once', async () => {
    double.log.fault = (_stream, types) => (types.includes('CommandClaimed') ? 'lose-reply' : undefined);
    await thrown(() => store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'pay' }));
    double.log.fault = undefined;
    const retry = right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'pay' }));
    expect(retry.firstRevision).toBe(0);
    expect(claimTypes('pay')).toEqual(['CommandClaimed']);
    expect(dataEvents()).toBe(1);
  });

  it('a conflict leaves a dead claim: the command re-decided under the same id takes it over without waiting for a lease', async () => {
    right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' }));
    const other = await openEsdbStore(double.url, { claimLeaseMs: 3_600_000 });
    right(await other.append('s-1', [deposit('2')], { expectedRevision: 0, commandId: 'theirs' }));
    // This writer still believes the head is revision 0: the append is refused, not mis-chained.
    expect(left(await store.append('s-1', [deposit('3')], { expectedRevision: 0, commandId: 'mine' }))).toMatchObject({
      code: 'WRONG_EXPECTED_REVISION',
    });
    expect(await store.commandResult('mine')).toBeUndefined();
    // Another writer, with a lease of an hour, is not held up: the dead claim's place is taken for good.
    const redone = right(await other.append('s-1', [deposit('4')], { expectedRevision: 1, commandId: 'mine' }));
    expect(redone.firstRevision).toBe(2);
    expect((await collect(store.readStream('s-1'))).map((e) => e.data.amount)).toEqual(['1', '2', '4']);
    expect((await store.verify()).ok).toBe(true);
    await other.close();
  });

  it('a retry whose claim is deduplicated against an old, dead claim still answers with the first result, not a conflict', async () => {
    const other = await openEsdbStore(double.url);
    right(await other.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' }));
    // This writer claims revision 0 and dies before appending; it still remembers the head at 0.
    double.log.fault = (stream) => (stream === 'ballast.s-1' ? 'drop' : undefined);
    await thrown(() => store.append('s-1', [deposit('3')], { expectedRevision: 0, commandId: 'mine' }));
    double.log.fault = undefined;
    right(await other.append('s-1', [deposit('2')], { expectedRevision: 0, commandId: 'theirs' }));
    const first = right(await other.append('s-1', [deposit('3')], { expectedRevision: 1, commandId: 'mine' }));
    expect(first.firstRevision).toBe(2);
    // The old claim again (same id: deduplicated), its place taken: the record, not the conflict, answers.
    expect(right(await store.append('s-1', [deposit('3')], { expectedRevision: 0, commandId: 'mine' }))).toEqual(first);
    expect(dataEvents()).toBe(3);
    await other.close();
  });

  it('a writer whose remembered head is stale is refused by the server and reads the head again', async () => {
    const other = await openEsdbStore(double.url);
    right(await store.append('s-1', [deposit('1')], { expectedRevision: 'any', commandId: 'a1' }));
    right(await other.append('s-1', [deposit('2')], { expectedRevision: 'any', commandId: 'b1' }));
    right(await store.append('s-1', [deposit('3')], { expectedRevision: 'any', commandId: 'a2' }));
    right(await other.append('s-1', [deposit('4')], { expectedRevision: 2, commandId: 'b2' }));
    expect((await collect(store.readStream('s-1'))).map((e) => [e.revision, e.data.amount])).toEqual([
      [0, '1'],
      [1, '2'],
      [2, '3'],
      [3, '4'],
    ]);
    expect((await store.verify()).ok).toBe(true);
    await other.close();
  });

  it('the common append is two calls: the claim, then the append at the remembered head', async () => {
    right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'c0' }));
    const before = double.log.calls.length;
    for (let i = 1; i <= 3; i++)
      right(await store.append('s-1', [deposit(String(i))], { expectedRevision: i - 1, commandId: `c${i}` }));
    expect(
      double.log.calls
        .slice(before)
        .map((c) => `${c.op} ${c.stream.startsWith('ballast-command.') ? 'claim' : c.stream}`),
    ).toEqual(Array(3).fill(['append claim', 'append ballast.s-1']).flat());
  });

  it('G2: concurrent retries of one command land it once, and all answer with the same result', async () => {
    right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' }));
    const same = await Promise.all(
      Array.from({ length: 12 }, () =>
        store.append('s-1', [deposit('2'), deposit('3')], { expectedRevision: 0, commandId: 'pay' }),
      ),
    );
    const results = same.map(right);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    // The same command id with different events, racing: one lands, the rest are told it was used.
    const mixed = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        store.append('s-2', [deposit(String(i))], { expectedRevision: 'any', commandId: 'other' }),
      ),
    );
    expect(mixed.filter(E.isRight)).toHaveLength(1);
    expect(mixed.filter(E.isLeft).map((r) => left(r))).toEqual(
      Array(5).fill(expect.objectContaining({ code: 'COMMAND_ID_REUSED', originalStreamId: 's-2' })),
    );
    expect(dataEvents()).toBe(4);
    expect((await store.verify()).ok).toBe(true);
  });

  it('refuses a claim stream it did not write, naming it', async () => {
    const client = EventStoreDBClient.connectionString(double.url);
    await client.appendToStream(`ballast-command.${createHash('sha256').update('odd').digest('hex')}`, [
      jsonEvent({ type: 'SomethingElse', data: {} }),
    ]);
    await client.dispose();
    const error = await thrown(() =>
      store.append('s-1', [deposit('1')], { expectedRevision: 'any', commandId: 'odd' }),
    );
    expect(error.code).toBe('CORRUPT_COMMAND_RECORD');
    expect(error.message).toContain('SomethingElse');
  });
});

describe('esdb adapter: a database shared with other applications and other namespaces', () => {
  let double: ProtocolDouble;
  beforeEach(async () => {
    double = await startProtocolDouble();
  });
  afterEach(async () => double.close());

  it('reads, subscribes, verifies and finds the head among other streams, seeing only its own namespace', async () => {
    const client = EventStoreDBClient.connectionString(double.url);
    const a = await openEsdbStore(double.url, { namespace: 'alpha' });
    const b = await openEsdbStore(double.url, { namespace: 'beta' });
    const live = firstValueFrom(a.subscribe().pipe(take(3), toArray()));
    right(await a.append('s-1', [deposit('1')], { expectedRevision: 'any', commandId: 'c1' }));
    await client.appendToStream('orders-9', [jsonEvent({ type: 'OrderPlaced', data: { total: 3 } })]);
    right(await b.append('s-1', [deposit('100')], { expectedRevision: 'any', commandId: 'c1' }));
    right(await a.append('s-2', [deposit('2'), deposit('3')], { expectedRevision: 'any', commandId: 'c2' }));
    await client.appendToStream('orders-9', [jsonEvent({ type: 'OrderShipped', data: {} })]);
    await client.dispose();

    const seen = await collect(a.readAll());
    expect(seen.map((e) => [e.streamId, e.data.amount])).toEqual([
      ['s-1', '1'],
      ['s-2', '2'],
      ['s-2', '3'],
    ]);
    expect((await live).map((e) => e.position)).toEqual(seen.map((e) => e.position));
    // Filtered on the server, so other applications' events never cross the wire.
    expect(double.log.subscriptionFilters).toEqual([['alpha.']]);
    expect(await a.headPosition()).toBe(seen[2]!.position);
    expect(await a.verify()).toEqual({ ok: true, streams: 2, events: 3, headPosition: seen[2]!.position });
    expect((await collect(b.readAll())).map((e) => e.data.amount)).toEqual(['100']);
    await a.close();
    await b.close();
  });

  it('G3: an event edited on the server fails verification, naming the stream and revision', async () => {
    const store = await openEsdbStore(double.url);
    right(
      await store.append('treasury-a', [deposit('1'), deposit('2'), deposit('3')], {
        expectedRevision: 'any',
        commandId: 'c1',
      }),
    );
    const index = double.log.records.findIndex((r) => r.stream === 'ballast.treasury-a' && r.revision === 1);
    double.log.tamper(index, { data: Buffer.from('{"amount":"2000"}') });
    expect(await store.verify()).toMatchObject({
      ok: false,
      problem: { kind: 'HASH_MISMATCH', streamId: 'treasury-a', revision: 1 },
    });
    await store.close();
  });
});

describe('esdb adapter: connecting', () => {
  let double: ProtocolDouble;
  beforeAll(async () => {
    double = await startProtocolDouble();
  });
  afterAll(async () => double.close());

  it('says the server is unreachable, with what to check', async () => {
    const closed = await startProtocolDouble();
    await closed.close();
    const error = await thrown(() => openEsdbStore(closed.url, { connectTimeoutMs: 3000 }));
    expect(error.code).toBe('STORE_UNREACHABLE');
    expect(error.message).toContain(`127.0.0.1:${closed.port}`);
    expect(error.message).toMatch(/docker compose up/);
  });

  it('says TLS is the problem when a TLS client meets an insecure server, and how to fix it', async () => {
    const error = await thrown(() => openEsdbStore(`esdb://127.0.0.1:${double.port}`, { connectTimeoutMs: 3000 }));
    expect(error.code).toBe('TLS_MISMATCH');
    expect(error.message).toContain('?tls=false');
  });

  it('says TLS is the problem when a plain-text client meets a TLS server, and connects once told the CA', async () => {
    const secure = await startProtocolDouble({ tls: true });
    try {
      const error = await thrown(() =>
        openEsdbStore(`esdb://localhost:${secure.port}?tls=false`, { connectTimeoutMs: 3000 }),
      );
      expect(error.code).toBe('TLS_MISMATCH');
      expect(error.message).toContain('drop ?tls=false');
      const untrusted = await thrown(() =>
        openEsdbStore(`esdb://localhost:${secure.port}`, { connectTimeoutMs: 3000 }),
      );
      expect(untrusted.code).toBe('TLS_MISMATCH');
      expect(untrusted.message).toContain('tlsCAFile');
      const store = await openEsdbStore(secure.url);
      right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'c1' }));
      expect((await store.verify()).ok).toBe(true);
      await store.close();
    } finally {
      await secure.close();
    }
  });

  it.each([
    ['not a connection string', 'localhost:2113'],
    ['an http URL', 'http://localhost:2113'],
    ['an empty string', ''],
    ['a number', 2113],
  ])('refuses %s before touching the network', async (_label, url) => {
    const error = await thrown(() => openEsdbStore(url as string));
    expect(error.code).toBe('INVALID_CONNECTION_STRING');
    expect(error.issues[0]).toMatchObject({ path: 'connectionString' });
  });

  it('refuses bad options, naming each', async () => {
    const error = await thrown(() => openEsdbStore(double.url, { namespace: 'Bad Name', claimLeaseMs: 0 } as never));
    expect(error.issues.map((i) => i.path).sort()).toEqual(['options.claimLeaseMs', 'options.namespace']);
  });

  it(`reads the connection string from BALLAST_ESDB_URL when none is given, and says so when it is unset`, async () => {
    const saved = process.env.BALLAST_ESDB_URL;
    try {
      delete process.env.BALLAST_ESDB_URL;
      expect((await thrown(() => openEsdbStore())).message).toContain('BALLAST_ESDB_URL is not set');
      process.env.BALLAST_ESDB_URL = double.url;
      const store = await openEsdbStore();
      expect(await store.headPosition()).toBe(0);
      await store.close();
    } finally {
      if (saved === undefined) delete process.env.BALLAST_ESDB_URL;
      else process.env.BALLAST_ESDB_URL = saved;
    }
  });
});
