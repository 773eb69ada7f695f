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
  db.exec(
    `CREATE TABLE IF NOT EXISTS events (position INTEGER PRIMARY KEY, stream TEXT NOT NULL, revision INTEGER NOT NULL, data TEXT NOT NULL)`,
  );
  db.exec(`CREATE UNIQUE INDEX IF NOT EXISTS events_by_stream ON events (stream, revision)`);
  const insert = db.prepare(`INSERT INTO events (stream, revision, data) VALUES (?, ?, ?)`);
  const readAll = db.prepare(`SELECT data FROM events ORDER BY position`).pluck();
  const appendBatch = db.transaction((stream: string, firstRevision: number, rows: readonly string[]) => {
    rows.forEach((data, i) => insert.run(stream, firstRevision + i, data));
  });
  const appendRows = db.transaction((rows: readonly (readonly [string, number, string])[]) => {
    for (const [stream, revision, data] of rows) insert.run(stream, revision, data);
  });
  return {
    /** One durable commit of one row, outside any transaction: the cheapest durable write. */
    insertOne: (stream: string, revision: number, data: string) => insert.run(stream, revision, data),
    appendBatch,
    appendRows,
    /** Reads every row in order and parses its JSON: the floor for a plain fold. */
    foldAll: (onEvent: (data: unknown) => void): number => {
      let n = 0;
      for (const data of readAll.iterate() as IterableIterator<string>) {
        onEvent(JSON.parse(data));
        n++;
      }
      return n;
    },
    close: () => db.close(),
  };
};

export type RawPeer = ReturnType<typeof openRawPeer>;
