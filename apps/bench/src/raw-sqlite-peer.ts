import Database from 'better-sqlite3';

/**
 * The floor: plain better-sqlite3 with the same durability (WAL, synchronous=FULL) and a row of
 * the same size, with no validation, hashing, idempotency or revision checks. The ratio of Ballast
 * to this, measured in the same run, is what the store's guarantees cost.
 */
export const openRawPeer = (path: string) => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL)`);
  db.exec(`CREATE UNIQUE INDEX events_by_stream ON events (stream, revision)`);
  const insert = db.prepare(`INSERT INTO events (stream, revision, data) VALUES (?, ?, ?)`);
  const appendBatch = db.transaction((stream: string, firstRevision: number, rows: readonly string[]) => {
    rows.forEach((data, i) => insert.run(stream, firstRevision + i, data));
  });
  const appendRows = db.transaction((rows: readonly (readonly [string, number, string])[]) => {
    for (const [stream, revision, data] of rows) insert.run(stream, revision, data);
  });
  return { appendBatch, appendRows, close: () => db.close() };
};
