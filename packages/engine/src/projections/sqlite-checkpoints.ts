import { StoreError } from '@ballast/event-store';
import Database from 'better-sqlite3';
import type { Checkpoint, CheckpointStore, DeadLetter } from './checkpoint-store';

/**
 * Checkpoints in their own SQLite file beside the event store (read models are derived data; the
 * event store's single writer lock stays with the writer). WAL and synchronous=FULL, like the store.
 */
export const openSqliteCheckpoints = (path: string): CheckpointStore => {
  const db = new Database(path);
  // A file that holds anything but checkpoints is someone else's: refused before anything in it changes.
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map(
    (t) => t.name,
  );
  const foreign = tables.filter((name) => name !== 'checkpoints' && name !== 'dead_letters');
  if (foreign.length > 0) {
    db.close();
    throw new StoreError(
      'NOT_A_BALLAST_STORE',
      `${path} is not a Ballast checkpoint file (it holds table ${foreign[0]}); name a new file or one Ballast wrote`,
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // SQLite keeps each CREATE TABLE's text in its schema: the pieces join to exactly the text it always had.
  db.exec(
    'CREATE TABLE IF NOT EXISTS checkpoints ' +
      '(name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL, state TEXT NOT NULL);\n' +
      'CREATE TABLE IF NOT EXISTS dead_letters (name TEXT NOT NULL, position INTEGER NOT NULL, ' +
      'stream_id TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL, error TEXT NOT NULL, ' +
      'attempts INTEGER NOT NULL, PRIMARY KEY (name, position));',
  );
  const get = db.prepare(`SELECT version, position, state FROM checkpoints WHERE name = ?`);
  const put = db.prepare(
    `INSERT INTO checkpoints (name, version, position, state) VALUES (?, ?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET version = excluded.version, position = excluded.position, state = excluded.state`,
  );
  const park = db.prepare(
    `INSERT OR REPLACE INTO dead_letters (name, position, stream_id, revision, type, error, attempts) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const letters = db.prepare(
    `SELECT position, stream_id AS streamId, revision, type, error, attempts FROM dead_letters WHERE name = ? ORDER BY position`,
  );
  const save = db.transaction((name: string, c: Checkpoint, parked: readonly DeadLetter[]) => {
    put.run(name, c.version, c.position, c.stateJson);
    for (const l of parked) park.run(name, l.position, l.streamId, l.revision, l.type, l.error, l.attempts);
  });
  return {
    load: async (name) => {
      const row = get.get(name) as { version: number; position: number; state: string } | undefined;
      return row && { version: row.version, position: row.position, stateJson: row.state };
    },
    save: async (name, checkpoint, parked = []) => void save(name, checkpoint, parked),
    deadLetters: async (name) => letters.all(name) as DeadLetter[],
    close: async () => void db.close(),
  };
};
