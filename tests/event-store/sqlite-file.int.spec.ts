import { BALLAST_APPLICATION_ID, type CommitInfo, LATEST_SCHEMA_VERSION, openSqliteStore } from '@ballast/event-store';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { filter, firstValueFrom } from 'rxjs';
import { spawnChild } from './child-process';
import { collect, deposit, storeErrorOfSync as thrown, tempDir } from './fixtures';

describe('SQLite store file', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: string;
  beforeEach(() => {
    dir = tempDir('sqlite');
    db = join(dir.path, 'ballast.db');
  });
  afterEach(() => dir.remove());

  it('is one WAL file marked as a Ballast store with its schema version', async () => {
    const store = openSqliteStore(db);
    await store.close();
    const raw = new Database(db, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('application_id', { simple: true })).toBe(BALLAST_APPLICATION_ID);
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    raw.close();
  });

  it('group-commits appends that arrive together into one transaction', async () => {
    const commits: CommitInfo[] = [];
    const store = openSqliteStore(db, { onCommit: (info) => commits.push(info) });
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.append(`s-${i}`, [deposit('1'), deposit('2')], { expectedRevision: 'no_stream', commandId: `c-${i}` }),
      ),
    );
    expect(results.every(E.isRight)).toBe(true);
    expect(commits).toEqual([{ appends: 30, events: 60 }]);
    await store.close();
  });

  it('refuses a second writer in another process with a clear error, while readers there work', async () => {
    const writer = spawnChild('hold-writer.ts', [db]);
    try {
      await writer.waitFor(/^READY$/);
      expect(thrown(() => openSqliteStore(db))).toMatchObject({
        code: 'WRITER_LOCKED',
        message: expect.stringContaining('already open for writing'),
      });

      const other = spawnChild('hold-writer.ts', [db]);
      expect(await other.waitFor(/^ERROR/)).toMatch(/^ERROR WRITER_LOCKED: .*only one writer may append/);
      expect(await other.exited).toBe(3);

      const reader = openSqliteStore(db, { readonly: true, pollIntervalMs: 10 });
      const live = firstValueFrom(reader.subscribe().pipe(filter((e) => e.data.line === 'second')));
      writer.process.stdin.write('first\nsecond\n');
      expect((await live).streamId).toBe('s-held');
      expect((await collect(reader.readStream('s-held'))).map((e) => e.data.line)).toEqual(['first', 'second']);
      await expect(
        reader.append('s-held', [deposit('1')], { expectedRevision: 'any', commandId: 'nope' }),
      ).rejects.toMatchObject({ code: 'READ_ONLY' });
      expect((await reader.verify()).ok).toBe(true);
      const completed = new Promise<boolean>((resolve) =>
        reader.subscribe().subscribe({ complete: () => resolve(true) }),
      );
      await reader.close();
      expect(await completed).toBe(true);
    } finally {
      writer.process.kill('SIGKILL');
      await writer.exited;
    }
    // The kernel dropped the dead writer's lock: no stale lock file to clean up by hand.
    const store = openSqliteStore(db);
    expect(await store.headPosition()).toBe(2);
    await store.close();
  }, 60_000);

  it('refuses a second writer in the same process and lets the next one in after close', async () => {
    const first = openSqliteStore(db);
    expect(thrown(() => openSqliteStore(db)).code).toBe('WRITER_LOCKED');
    await first.close();
    const second = openSqliteStore(db);
    await second.close();
  });

  it('refuses to open a SQLite file that is not a Ballast store, and leaves it untouched', () => {
    const other = new Database(db);
    other.exec('CREATE TABLE invoices (id INTEGER PRIMARY KEY)');
    other.close();
    expect(thrown(() => openSqliteStore(db))).toMatchObject({ code: 'NOT_A_BALLAST_STORE' });
    const check = new Database(db, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(0);
    check.close();
  });

  it('refuses a file that is not SQLite at all', () => {
    writeFileSync(db, 'this is a text file, not a database, and it is long enough to have a header');
    expect(thrown(() => openSqliteStore(db))).toMatchObject({
      code: 'NOT_A_BALLAST_STORE',
      message: expect.stringContaining('not a SQLite database'),
    });
    expect(thrown(() => openSqliteStore(db, { readonly: true })).code).toBe('NOT_A_BALLAST_STORE');
  });

  it('refuses a store written by a newer Ballast, for writers and readers', async () => {
    const store = openSqliteStore(db);
    await store.close();
    const raw = new Database(db);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expect(thrown(() => openSqliteStore(db))).toMatchObject({
      code: 'SCHEMA_TOO_NEW',
      message: expect.stringContaining('Upgrade Ballast'),
    });
    expect(thrown(() => openSqliteStore(db, { readonly: true })).code).toBe('SCHEMA_TOO_NEW');
  });

  it.each([
    ['an empty path', '', {}, 'path'],
    [':memory:', ':memory:', {}, 'path'],
    ['a non-string path', 42, {}, 'path'],
    ['an unknown option', 'x.db', { readOnly: true }, 'options.readOnly'],
    ['a zero poll interval', 'x.db', { readonly: true, pollIntervalMs: 0 }, 'options.pollIntervalMs'],
  ])('G5: refuses %s before touching any file', (_label, path, options, issuePath) => {
    const error = thrown(() => openSqliteStore(path as string, options as never));
    expect(error).toMatchObject({ code: 'INVALID_OPTIONS', issues: [expect.objectContaining({ path: issuePath })] });
    expect(error.message).toContain(issuePath);
  });

  it('refuses to open a missing file read-only instead of creating it', () => {
    expect(thrown(() => openSqliteStore(join(dir.path, 'missing.db'), { readonly: true }))).toMatchObject({
      code: 'STORE_NOT_FOUND',
    });
  });

  it('keeps its data across close and reopen, with the idempotency record', async () => {
    const first = openSqliteStore(db);
    const result = await first.append('s-1', [deposit('5')], { expectedRevision: 'no_stream', commandId: 'once' });
    await first.close();
    const second = openSqliteStore(db);
    expect(await second.append('s-1', [deposit('5')], { expectedRevision: 'no_stream', commandId: 'once' })).toEqual(
      result,
    );
    expect(await second.headPosition()).toBe(1);
    await second.close();
  });
});
