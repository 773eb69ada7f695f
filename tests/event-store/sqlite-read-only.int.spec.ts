import { openSqliteStore } from '@ballast/event-store';
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, deposit, storeErrorOfSync as thrown, tempDir } from './fixtures';

/** Every file in a folder with its bytes and mtime, to check that an open wrote nothing. */
const filesOf = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      { mtimeMs: statSync(join(dir, name)).mtimeMs, bytes: readFileSync(join(dir, name)).toString('base64') },
    ]),
  );

describe('SQLite store: reads that write nothing, and files that are not ours', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: string;
  beforeEach(() => {
    dir = tempDir('sqlite-ro');
    db = join(dir.path, 'ballast.db');
  });
  afterEach(() => dir.remove());

  const writeTwo = async () => {
    const store = openSqliteStore(db);
    await store.append('s-1', [deposit('1'), deposit('2')], { expectedRevision: 'no_stream', commandId: 'c1' });
    return store;
  };

  it('a frozen read of a closed WAL store creates no -wal, -shm or lock file and changes no byte', async () => {
    await (await writeTwo()).close();
    const before = filesOf(dir.path);
    const reader = openSqliteStore(db, { readonly: true, frozen: true });
    expect((await collect(reader.readStream('s-1'))).map((e) => e.revision)).toEqual([0, 1]);
    expect((await reader.verify()).ok).toBe(true);
    await reader.close();
    expect(filesOf(dir.path)).toEqual(before);
  });

  it('a frozen read beside a live writer reads through its WAL, events not yet checkpointed included', async () => {
    const writer = await writeTwo();
    try {
      const reader = openSqliteStore(db, { readonly: true, frozen: true });
      expect(await reader.headPosition()).toBe(2);
      await reader.close();
    } finally {
      await writer.close();
    }
  });

  it('a writer asked for an existing store creates nothing where there is none', () => {
    expect(thrown(() => openSqliteStore(join(dir.path, 'missing.db'), { mustExist: true })).code).toBe(
      'STORE_NOT_FOUND',
    );
    expect(readdirSync(dir.path)).toEqual([]);
  });

  it('neither a writer nor a reader changes a text file or a SQLite database of someone else', () => {
    const notes = join(dir.path, 'notes.txt');
    writeFileSync(notes, 'a text file long enough to fill a SQLite header, but not a database at all');
    const theirs = join(dir.path, 'theirs.db');
    const other = new Database(theirs);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    other.close();
    const before = filesOf(dir.path);
    for (const path of [notes, theirs]) {
      for (const options of [{}, { readonly: true }, { readonly: true, frozen: true }]) {
        expect(thrown(() => openSqliteStore(path, options)).code).toBe('NOT_A_BALLAST_STORE');
      }
    }
    // No .lock beside either, and theirs is still in its rollback journal mode (no switch to WAL).
    expect(filesOf(dir.path)).toEqual(before);
  });

  it('an empty SQLite database without tables still becomes a store (as before)', async () => {
    new Database(db).close();
    const store = openSqliteStore(db, { mustExist: true });
    await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'c1' });
    await store.close();
  });
});
