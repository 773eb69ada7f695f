import { type CommitInfo, openSqliteStore, type EventStore, type NewEventInput } from '@ballast/event-store';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { collect, deposit, tempDir } from './fixtures';

/**
 * The writer keeps the next position, stream numbers and stream heads in memory. These tests make
 * an append fail inside a group commit (a trigger stands in for a disk error) and check that what
 * the writer remembers is what the file holds: a failed append or group leaves no trace in either.
 */
describe('SQLite writer: a failure inside a group commit', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: string;
  let store: EventStore;
  const commits: CommitInfo[] = [];
  beforeEach(() => {
    dir = tempDir('group-failure');
    db = join(dir.path, 'ballast.db');
    commits.length = 0;
    store = openSqliteStore(db, { onCommit: (info) => commits.push(info) });
  });
  afterEach(async () => {
    await store.close();
    dir.remove();
  });

  /** Beside the open writer, as another process could: fails any insert of an event of this type. */
  const failInsertsOf = (type: string, raise: 'ABORT' | 'ROLLBACK') => {
    const raw = new Database(db, { timeout: 5000 });
    raw.exec(
      `CREATE TRIGGER fail_${type} BEFORE INSERT ON events WHEN NEW.type = '${type}' BEGIN SELECT RAISE(${raise}, 'injected failure'); END`,
    );
    raw.close();
  };
  const boom: NewEventInput = { type: 'Boom', version: 1, data: { amount: '9' } };
  const settle = <T>(p: Promise<T>) =>
    p.then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );

  it('an append that fails mid-way is undone alone: its neighbours commit, and the next append chains from them', async () => {
    expect(
      E.isRight(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' })),
    ).toBe(true);
    failInsertsOf('Boom', 'ABORT');
    commits.length = 0;

    const [a, b, c] = await Promise.all([
      settle(store.append('s-1', [deposit('2')], { expectedRevision: 0, commandId: 'a' })),
      // Its command record is written before its events: the failure must take that back too.
      settle(store.append('s-1', [deposit('3'), boom], { expectedRevision: 1, commandId: 'b' })),
      settle(store.append('s-1', [deposit('4')], { expectedRevision: 'any', commandId: 'c' })),
    ]);
    expect(commits).toEqual([{ appends: 3, events: 2 }]);
    expect(a).toMatchObject({ ok: true, value: E.right({ firstRevision: 1, firstPosition: 2 }) });
    expect(b).toMatchObject({ ok: false, error: { code: 'IO_FAILURE' } });
    expect(c).toMatchObject({ ok: true, value: E.right({ firstRevision: 2, firstPosition: 3 }) });

    expect(await store.commandResult('b')).toBeUndefined();
    expect(await store.streamHead('s-1')).toMatchObject({ revision: 2 });
    expect(E.isRight(await store.append('s-1', [deposit('5')], { expectedRevision: 2, commandId: 'd' }))).toBe(true);
    expect((await collect(store.readAll())).map((e) => [e.position, e.revision, e.data.amount])).toEqual([
      [1, 0, '1'],
      [2, 1, '2'],
      [3, 2, '4'],
      [4, 3, '5'],
    ]);
    expect(await store.verify()).toMatchObject({ ok: true, events: 4 });
  });

  it('a failure that rolls back the whole transaction fails every append of the group and leaves the writer as before it', async () => {
    expect(
      E.isRight(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' })),
    ).toBe(true);
    failInsertsOf('Boom', 'ROLLBACK');

    const outcomes = await Promise.all([
      settle(store.append('s-1', [deposit('2')], { expectedRevision: 0, commandId: 'a' })),
      settle(store.append('s-new', [deposit('3')], { expectedRevision: 'no_stream', commandId: 'new' })),
      settle(store.append('s-2', [boom], { expectedRevision: 'any', commandId: 'b' })),
      // Would run outside any transaction (and commit alone) if the group went on after the rollback.
      settle(store.append('s-3', [deposit('4')], { expectedRevision: 'no_stream', commandId: 'c' })),
    ]);
    expect(outcomes.map((o) => (o.ok ? 'ok' : (o.error as { code: string }).code))).toEqual([
      'IO_FAILURE',
      'IO_FAILURE',
      'IO_FAILURE',
      'IO_FAILURE',
    ]);

    // Nothing of the group is in the file, and the writer does not think otherwise.
    expect(await store.headPosition()).toBe(1);
    for (const id of ['a', 'new', 'b', 'c']) expect(await store.commandResult(id)).toBeUndefined();
    expect(await store.streamHead('s-new')).toBeUndefined();
    expect(await store.append('s-1', [deposit('2')], { expectedRevision: 0, commandId: 'a' })).toEqual(
      E.right({ streamId: 's-1', firstRevision: 1, nextExpectedRevision: 1, firstPosition: 2, lastPosition: 2 }),
    );
    expect(await store.append('s-new', [deposit('3')], { expectedRevision: 'no_stream', commandId: 'new' })).toEqual(
      E.right({ streamId: 's-new', firstRevision: 0, nextExpectedRevision: 0, firstPosition: 3, lastPosition: 3 }),
    );
    expect(await store.verify()).toMatchObject({ ok: true, events: 3 });
  });

  it('a retry in the same group as its first attempt appends once and answers both with the same result', async () => {
    const [first, retry] = await Promise.all([
      store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'once' }),
      store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'once' }),
    ]);
    expect(retry).toEqual(first);
    expect(await store.headPosition()).toBe(1);
  });

  it('a writer whose cached position went stale fails one append, re-reads the file and appends again', async () => {
    expect(
      E.isRight(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' })),
    ).toBe(true);
    // A row the writer did not write takes the next position (as a commit reported failed but landed would).
    const raw = new Database(db, { timeout: 5000 });
    raw
      .prepare(
        `INSERT INTO events (position, stream_no, revision, event_id, type, version, data, metadata, hash)
         SELECT 2, stream_no, 99, 'x', 'Stray', 1, '{}', '{}', 'x' FROM streams`,
      )
      .run();
    raw.close();

    const stale = await settle(store.append('s-1', [deposit('2')], { expectedRevision: 0, commandId: 'a' }));
    expect(stale).toMatchObject({ ok: false, error: { code: 'IO_FAILURE' } });
    const next = await store.append('s-1', [deposit('3')], { expectedRevision: 0, commandId: 'b' });
    expect(next).toMatchObject(E.right({ firstRevision: 1, firstPosition: 3 }));
  });
});
