import Database from 'better-sqlite3';
import { canonicalEnvelope, chainHash, GENESIS_HASH } from '@ballast/event-store';

/**
 * What an attacker with write access to a SQLite store file can do without leaving a broken chain:
 * each edit below keeps every hash chain and stream head consistent, so `verify` alone passes.
 * Only an anchor kept elsewhere shows them.
 */

interface Row {
  position: number;
  revision: number;
  event_id: string;
  type: string;
  version: number;
  data: string;
  metadata: string;
  hash: string;
}

const streamNo = (db: Database.Database, streamId: string): number => {
  const found = db.prepare('SELECT stream_no FROM streams WHERE stream_id = ?').get(streamId) as
    { stream_no: number } | undefined;
  if (found === undefined) throw new Error(`no stream ${streamId}`);
  return found.stream_no;
};

const rowsOf = (db: Database.Database, no: number): Row[] =>
  db.prepare('SELECT * FROM events WHERE stream_no = ? ORDER BY revision').all(no) as Row[];

/** Deletes a stream's last `count` events and sets its head to the event now last. */
export const cutStreamEnd = (path: string, streamId: string, count: number): void => {
  const db = new Database(path);
  try {
    db.transaction(() => {
      const no = streamNo(db, streamId);
      const rows = rowsOf(db, no);
      const keep = rows.slice(0, rows.length - count);
      db.prepare('DELETE FROM events WHERE stream_no = ? AND revision >= ?').run(no, keep.length);
      const last = keep[keep.length - 1]!;
      db.prepare('UPDATE streams SET revision = ?, last_hash = ? WHERE stream_no = ?').run(
        last.revision,
        last.hash,
        no,
      );
    })();
  } finally {
    db.close();
  }
};

/** Rewrites one event's data and recomputes the hash chain from it to the stream's head. */
export const rewriteEvent = (
  path: string,
  streamId: string,
  revision: number,
  edit: (data: Record<string, unknown>) => Record<string, unknown>,
): void => {
  const db = new Database(path);
  try {
    db.transaction(() => {
      const no = streamNo(db, streamId);
      const rows = rowsOf(db, no);
      let prev = revision === 0 ? GENESIS_HASH : rows[revision - 1]!.hash;
      for (const row of rows.slice(revision)) {
        const data =
          row.revision === revision ? JSON.stringify(edit(JSON.parse(row.data) as Record<string, unknown>)) : row.data;
        const hash = chainHash(
          prev,
          canonicalEnvelope({
            streamId,
            revision: row.revision,
            eventId: row.event_id,
            type: row.type,
            version: row.version,
            dataJson: data,
            metadataJson: row.metadata,
          }),
        );
        db.prepare('UPDATE events SET data = ?, hash = ? WHERE position = ?').run(data, hash, row.position);
        prev = hash;
      }
      db.prepare('UPDATE streams SET last_hash = ? WHERE stream_no = ?').run(prev, no);
    })();
  } finally {
    db.close();
  }
};
