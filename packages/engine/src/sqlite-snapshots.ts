import Database from 'better-sqlite3';
import type { Snapshot, SnapshotStore } from './snapshot-cache';
import { deserializeState, serializeState } from './state-json';

/**
 * Snapshots in a SQLite side file. They are a cache of derived state: losing the file costs one
 * full fold per stream, never correctness, so commits need not wait for fsync (synchronous=NORMAL).
 */
export const openSqliteSnapshots = (path: string): SnapshotStore & { close(): void } => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`CREATE TABLE IF NOT EXISTS snapshots (stream_id TEXT PRIMARY KEY, fold_version INTEGER NOT NULL, revision INTEGER NOT NULL, state TEXT NOT NULL)`);
  const get = db.prepare(`SELECT fold_version, revision, state FROM snapshots WHERE stream_id = ?`);
  const put = db.prepare(`INSERT INTO snapshots (stream_id, fold_version, revision, state) VALUES (?, ?, ?, ?) ON CONFLICT(stream_id) DO UPDATE SET fold_version = excluded.fold_version, revision = excluded.revision, state = excluded.state`);
  return {
    load: (streamId) => {
      const row = get.get(streamId) as { fold_version: number; revision: number; state: string } | undefined;
      return row && { foldVersion: row.fold_version, revision: row.revision, state: deserializeState(row.state) };
    },
    save: (streamId, s: Snapshot<unknown>) => void put.run(streamId, s.foldVersion, s.revision, serializeState(s.state)),
    close: () => db.close(),
  };
};
