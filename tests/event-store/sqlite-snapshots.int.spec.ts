import {
  LATEST_SCHEMA_VERSION,
  MAX_SNAPSHOT_BYTES,
  openSqliteStore,
  type EventStore,
  type StoredSnapshot,
} from '@ballast/event-store';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, deposit, tempDir } from './fixtures';

/** Written by main before snapshots existed (schema v1); see tests/fixtures/README.md. Never opened in place. */
const FIXTURE = join(__dirname, '..', 'fixtures', 'store-before-transfers.db');

const snapshot = (streamId: string, revision: number, state: unknown, foldVersion = 1): StoredSnapshot => ({
  streamId,
  foldVersion,
  revision,
  stateJson: JSON.stringify(state),
});

const slots = (store: EventStore) => {
  if (store.snapshots === undefined) throw new Error('expected snapshot slots');
  return store.snapshots;
};

const userVersion = (path: string): number => {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.pragma('user_version', { simple: true }) as number;
  } finally {
    raw.close();
  }
};

describe('SQLite snapshot slots', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: string;
  beforeEach(() => {
    dir = tempDir('snapshots');
    db = join(dir.path, 'ballast.db');
  });
  afterEach(() => dir.remove());

  it('saves and loads one slot per stream; the latest save wins; a stream without one loads undefined', async () => {
    const store = openSqliteStore(db);
    await slots(store).save(snapshot('treasury-a', 3, { n: 3 }));
    await slots(store).save(snapshot('treasury-b', 1, { n: 1 }));
    await slots(store).save(snapshot('treasury-a', 7, { n: 7 }, 2));
    expect(await slots(store).load('treasury-a')).toEqual(snapshot('treasury-a', 7, { n: 7 }, 2));
    expect(await slots(store).load('treasury-b')).toEqual(snapshot('treasury-b', 1, { n: 1 }));
    expect(await slots(store).load('treasury-none')).toBeUndefined();
    await store.close();
  });

  it('saves made together resolve together, and the last of them is the one kept', async () => {
    const store = openSqliteStore(db);
    await Promise.all([1, 2, 3].map((r) => slots(store).save(snapshot('s-1', r, { r }))));
    expect((await slots(store).load('s-1'))?.revision).toBe(3);
    await store.close();
  });

  it('keeps a slot across close and reopen, and lets a read-only reader load it', async () => {
    const writer = openSqliteStore(db);
    await writer.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'c-1' });
    // Not awaited: close must still write what was saved.
    void slots(writer).save(snapshot('s-1', 0, { balance: '1' }));
    await writer.close();

    const reopened = openSqliteStore(db);
    expect(await slots(reopened).load('s-1')).toEqual(snapshot('s-1', 0, { balance: '1' }));
    const reader = openSqliteStore(db, { readonly: true });
    expect(await slots(reader).load('s-1')).toEqual(snapshot('s-1', 0, { balance: '1' }));
    await expect(slots(reader).save(snapshot('s-1', 0, {}))).rejects.toMatchObject({ code: 'READ_ONLY' });
    await reader.close();
    await reopened.close();
  });

  it('never shows a snapshot in readAll, verify, heads or positions', async () => {
    const store = openSqliteStore(db);
    await store.append('s-1', [deposit('1'), deposit('2')], { expectedRevision: 'no_stream', commandId: 'c-1' });
    await slots(store).save(snapshot('s-1', 1, { balance: '3' }));
    await slots(store).save(snapshot('s-only-snapshot', 5, {}));
    expect((await collect(store.readAll())).map((e) => e.streamId)).toEqual(['s-1', 's-1']);
    expect(await store.verify()).toMatchObject({ ok: true, events: 2 });
    expect(await store.streamHead('s-only-snapshot')).toBeUndefined();
    expect(await store.headPosition()).toBe(2);
    await store.close();
  });

  it('migrates a v1 store (written before snapshots) when the writer opens it; it still verifies', async () => {
    copyFileSync(FIXTURE, db);
    expect(userVersion(db)).toBe(1);

    // A reader of the v1 file reads its log and finds no snapshot, without migrating it.
    const reader = openSqliteStore(db, { readonly: true });
    expect(await slots(reader).load('treasury-agent-1')).toBeUndefined();
    const before = await reader.verify();
    expect(before.ok).toBe(true);
    expect(userVersion(db)).toBe(1);

    const writer = openSqliteStore(db);
    expect(userVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    const after = await writer.verify();
    expect(after).toMatchObject({ ok: true, events: before.events });
    // The reader opened before the migration sees the new table on its next load.
    await slots(writer).save(snapshot('treasury-agent-1', 10, { migrated: true }));
    expect(await slots(reader).load('treasury-agent-1')).toEqual(snapshot('treasury-agent-1', 10, { migrated: true }));
    // And the old log takes new appends on its chains.
    expect(await writer.streamHead('treasury-agent-1')).toMatchObject({ revision: 1319 });
    expect(
      E.isRight(
        await writer.append('treasury-agent-1', [deposit('1')], {
          expectedRevision: 1319,
          commandId: 'after-migration',
        }),
      ),
    ).toBe(true);
    expect((await writer.verify()).ok).toBe(true);
    await reader.close();
    await writer.close();
  });

  it.each([
    ['a bad stream id', { streamId: 'has space', foldVersion: 1, revision: 0, stateJson: '{}' }, 'streamId'],
    ['a negative revision', { streamId: 's-1', foldVersion: 1, revision: -1, stateJson: '{}' }, 'revision'],
    ['a fractional fold version', { streamId: 's-1', foldVersion: 1.5, revision: 0, stateJson: '{}' }, 'foldVersion'],
    ['a state that is not text', { streamId: 's-1', foldVersion: 1, revision: 0, stateJson: { a: 1 } }, 'stateJson'],
    ['an unknown field', { streamId: 's-1', foldVersion: 1, revision: 0, stateJson: '{}', hash: 'x' }, 'hash'],
    [
      'a state over the size limit',
      { streamId: 's-1', foldVersion: 1, revision: 0, stateJson: 'x'.repeat(MAX_SNAPSHOT_BYTES + 1) },
      'stateJson',
    ],
  ])('G5: refuses %s and saves nothing', async (_label, bad, path) => {
    const store = openSqliteStore(db);
    await expect(slots(store).save(bad as never)).rejects.toMatchObject({
      code: 'INVALID_SNAPSHOT',
      issues: [expect.objectContaining({ path })],
    });
    expect(await slots(store).load('s-1')).toBeUndefined();
    await expect(slots(store).load('has space')).rejects.toMatchObject({ code: 'INVALID_READ' });
    await store.close();
    await expect(slots(store).load('s-1')).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});
