import type Database from 'better-sqlite3';
import type { SnapshotSlots, StoredSnapshot } from '../port';
import { StoreError } from '../store-error';
import { sqliteWriteFailure } from './sqlite-failure';

type SnapshotRow = [number, number, string];

const hasSnapshotTable = (db: Database.Database): boolean =>
  db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'snapshots'`).get() !== undefined;

/**
 * Loads a slot. A reader may have opened a v1 file (no table yet): it finds no snapshot until the
 * writer migrates the file, and then sees the table on its next load.
 */
const snapshotLoader = (db: Database.Database) => {
  let select: Database.Statement | undefined;
  return (streamId: string): StoredSnapshot | undefined => {
    if (select === undefined) {
      if (!hasSnapshotTable(db)) return undefined;
      select = db.prepare(`SELECT fold_version, revision, state FROM snapshots WHERE stream_id = ?`).raw();
    }
    const row = select.get(streamId) as SnapshotRow | undefined;
    return row && { streamId, foldVersion: row[0], revision: row[1], stateJson: row[2] };
  };
};

export const sqliteReadSnapshots = (db: Database.Database): SnapshotSlots => {
  const load = snapshotLoader(db);
  return {
    load: async (streamId) => load(streamId),
    save: () => Promise.reject(new StoreError('READ_ONLY', 'snapshots are saved by the writer')),
  };
};

interface PendingSave {
  readonly snapshot: StoredSnapshot;
  readonly settle: { resolve: () => void; reject: (error: unknown) => void }[];
}

/**
 * The writer's slots. Saves that arrive together are written in one transaction of their own, run
 * after the appends queued in the same turn: a snapshot never rides (and so can never fail) an
 * append's transaction, and the latest save of a stream wins. It stays at synchronous=FULL rather
 * than toggling the connection: a failed toggle back would silently weaken every later append.
 */
export const sqliteWriteSnapshots = (db: Database.Database, path: string) => {
  const load = snapshotLoader(db);
  const upsert = db.prepare(
    `INSERT INTO snapshots (stream_id, fold_version, revision, state) VALUES (?, ?, ?, ?)
     ON CONFLICT (stream_id) DO UPDATE SET fold_version = excluded.fold_version, revision = excluded.revision, state = excluded.state`,
  );
  const writeAll = db.transaction((saves: readonly PendingSave[]) => {
    for (const { snapshot } of saves)
      upsert.run(snapshot.streamId, snapshot.foldVersion, snapshot.revision, snapshot.stateJson);
  });
  let pending = new Map<string, PendingSave>();
  let scheduled = false;

  const flush = (): void => {
    scheduled = false;
    if (pending.size === 0) return;
    const saves = [...pending.values()];
    pending = new Map();
    let failure: unknown;
    try {
      writeAll.immediate(saves);
    } catch (error) {
      failure = sqliteWriteFailure(path, 'snapshots were not saved', error);
    }
    for (const save of saves)
      for (const { resolve, reject } of save.settle) {
        if (failure === undefined) resolve();
        else reject(failure);
      }
  };

  const slots: SnapshotSlots = {
    load: async (streamId) => pending.get(streamId)?.snapshot ?? load(streamId),
    save: (snapshot) =>
      new Promise<void>((resolve, reject) => {
        const earlier = pending.get(snapshot.streamId);
        pending.set(snapshot.streamId, { snapshot, settle: [...(earlier?.settle ?? []), { resolve, reject }] });
        if (!scheduled) {
          scheduled = true;
          // After the append flush scheduled in this turn (setImmediate runs in order).
          setImmediate(flush);
        }
      }),
  };
  return { slots, flush };
};
