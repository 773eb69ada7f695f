import type Database from 'better-sqlite3';
import type { CommandRecord } from '../append-plan';
import type { StreamHead } from '../port';
import type { StoredRow } from '../stored-row';

const EVENT_COLUMNS = 'e.position, s.stream_id, e.revision, e.event_id, e.type, e.version, e.data, e.metadata, e.hash';

type RawRow = [number, string, number, string, string, number, string, string, string];

const toRow = ([
  position,
  streamId,
  revision,
  eventId,
  type,
  version,
  dataJson,
  metadataJson,
  hash,
]: RawRow): StoredRow => ({
  position,
  streamId,
  revision,
  eventId,
  type,
  version,
  dataJson,
  metadataJson,
  hash,
});

/** Every statement prepared once per connection; raw rows, because object rows cost ~30% on reads. */
export const prepareReads = (db: Database.Database) => {
  const forwards = db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events e JOIN streams s ON s.stream_no = e.stream_no
       WHERE s.stream_id = ? AND e.revision >= ? ORDER BY e.revision LIMIT ?`,
    )
    .raw();
  const backwards = db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events e JOIN streams s ON s.stream_no = e.stream_no
       WHERE s.stream_id = ? AND e.revision <= ? ORDER BY e.revision DESC LIMIT ?`,
    )
    .raw();
  const all = db
    .prepare(
      `SELECT ${EVENT_COLUMNS} FROM events e JOIN streams s ON s.stream_no = e.stream_no WHERE e.position >= ? ORDER BY e.position LIMIT ?`,
    )
    .raw();
  const heads = db
    .prepare(`SELECT stream_id, revision, last_hash FROM streams WHERE stream_id > ? ORDER BY stream_id LIMIT ?`)
    .raw();
  const head = db.prepare(`SELECT stream_id, revision, last_hash FROM streams WHERE stream_id = ?`).raw();
  const lastPosition = db.prepare(`SELECT coalesce(max(position), 0) FROM events`).pluck();
  const toHead = ([streamId, revision, hash]: [string, number, string]): StreamHead => ({ streamId, revision, hash });
  return {
    streamPage: (
      streamId: string,
      fromRevision: number,
      direction: 'forwards' | 'backwards',
      limit: number,
    ): StoredRow[] =>
      ((direction === 'forwards' ? forwards : backwards).all(streamId, fromRevision, limit) as RawRow[]).map(toRow),
    allPage: (fromPosition: number, limit: number): StoredRow[] =>
      (all.all(fromPosition, limit) as RawRow[]).map(toRow),
    headsPage: (after: string, limit: number): StreamHead[] =>
      (heads.all(after, limit) as [string, number, string][]).map(toHead),
    streamHead: (streamId: string): StreamHead | undefined => {
      const row = head.get(streamId) as [string, number, string] | undefined;
      return row && toHead(row);
    },
    headPosition: (): number => lastPosition.get() as number,
  };
};

/**
 * The writer's statements. Positions and stream numbers are given explicitly: the writer owns the
 * file, so it knows the next of each (the values SQLite would pick), and can write a command's
 * record before its events, which lets one insert stand in for "is this command new?".
 */
export const prepareWrites = (db: Database.Database) => {
  const head = db.prepare(`SELECT stream_no, revision, last_hash FROM streams WHERE stream_id = ?`).raw();
  const insertStream = db.prepare(
    `INSERT INTO streams (stream_no, stream_id, revision, last_hash) VALUES (?, ?, ?, ?)`,
  );
  const updateStream = db.prepare(`UPDATE streams SET revision = ?, last_hash = ? WHERE stream_no = ?`);
  const insertEvent = db.prepare(
    `INSERT INTO events (position, stream_no, revision, event_id, type, version, data, metadata, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertCommand = db.prepare(
    `INSERT INTO commands
       (command_id, stream_no, fingerprint, first_revision, last_revision, first_position, last_position)
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (command_id) DO NOTHING`,
  );
  const lastStreamNo = db.prepare(`SELECT coalesce(max(stream_no), 0) FROM streams`).pluck();
  return {
    /** The stream's number and head, as committed or as written earlier in this transaction. */
    head: (streamId: string): WriterHead | undefined => {
      const row = head.get(streamId) as [number, number, string] | undefined;
      return row && { streamId, streamNo: row[0], revision: row[1], hash: row[2] };
    },
    insertStream,
    updateStream,
    insertEvent,
    insertCommand,
    lastStreamNo: (): number => lastStreamNo.get() as number,
  };
};

/** A stream head as the writer keeps it: with the stream's integer key. */
export interface WriterHead extends StreamHead {
  readonly streamNo: number;
}

/** What the store remembers of a command id: its fingerprint and the result of its append. */
export const prepareCommandLookup = (db: Database.Database) => {
  const command = db
    .prepare(
      `SELECT c.fingerprint, s.stream_id, c.first_revision, c.last_revision, c.first_position, c.last_position
       FROM commands c JOIN streams s ON s.stream_no = c.stream_no WHERE c.command_id = ?`,
    )
    .raw();
  return (commandId: string): CommandRecord | undefined => {
    const row = command.get(commandId) as [string, string, number, number, number, number] | undefined;
    if (row === undefined) return undefined;
    const [fingerprint, streamId, firstRevision, nextExpectedRevision, firstPosition, lastPosition] = row;
    return {
      commandId,
      fingerprint,
      result: { streamId, firstRevision, nextExpectedRevision, firstPosition, lastPosition },
    };
  };
};
