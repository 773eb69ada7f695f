import { closeSync, openSync, readSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { StoreError } from '../store-error';

/** 'BLST': marks a SQLite file as a Ballast store, so we never migrate someone else's database. */
export const BALLAST_APPLICATION_ID = 0x424c5354;

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * Append-only list; a released migration is never edited. Streams get an integer key so the
 * (stream, revision) index holds small integers rather than repeated stream names: measured here,
 * a text-keyed unique index over thousands of interleaved streams cut batch appends about 4×.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events, streams and commands',
    sql: `
      CREATE TABLE streams (
        stream_no INTEGER PRIMARY KEY,
        stream_id TEXT NOT NULL UNIQUE,
        revision  INTEGER NOT NULL,
        last_hash TEXT NOT NULL
      );
      CREATE TABLE events (
        position  INTEGER PRIMARY KEY,
        stream_no INTEGER NOT NULL,
        revision  INTEGER NOT NULL,
        event_id  TEXT NOT NULL,
        type      TEXT NOT NULL,
        version   INTEGER NOT NULL,
        data      TEXT NOT NULL,
        metadata  TEXT NOT NULL,
        hash      TEXT NOT NULL
      );
      CREATE UNIQUE INDEX events_by_stream ON events (stream_no, revision);
      CREATE TABLE commands (
        command_id     TEXT PRIMARY KEY,
        stream_no      INTEGER NOT NULL,
        fingerprint    TEXT NOT NULL,
        first_revision INTEGER NOT NULL,
        last_revision  INTEGER NOT NULL,
        first_position INTEGER NOT NULL,
        last_position  INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    // A snapshot is a cache of a fold beside the log, never part of a chain: keyed by the stream's
    // name (a slot may be saved before the writer has cached the stream's number), one per stream.
    version: 2,
    name: 'snapshot slots',
    sql: `
      CREATE TABLE snapshots (
        stream_id    TEXT PRIMARY KEY,
        fold_version INTEGER NOT NULL,
        revision     INTEGER NOT NULL,
        state        TEXT NOT NULL
      );
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * The oldest schema a read-only opener accepts without migrating: later versions only added
 * tables (v2: snapshots), so a reader of a v1 file reads its log and finds no snapshot.
 */
export const MIN_READABLE_SCHEMA_VERSION = 1;

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;
/** Where the database header keeps PRAGMA application_id (big-endian), per the SQLite file format. */
const APPLICATION_ID_OFFSET = 68;

/**
 * What a file is, read from its first 100 bytes with plain fs calls: opening it through SQLite first
 * could already change it (journal mode, -wal/-shm side files, a writer's .lock beside it).
 * 'unmarked' is a SQLite file without Ballast's application_id: a fresh empty database, or someone
 * else's (the caller tells them apart by looking for tables, without writing).
 */
export type StoreFileKind = 'missing' | 'empty' | 'ballast' | 'unmarked';

export const storeFileKind = (path: string): StoreFileKind => {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const header = Buffer.alloc(HEADER_BYTES);
    const read = readSync(fd, header, 0, HEADER_BYTES, 0);
    if (read === 0) return 'empty';
    if (read < HEADER_BYTES || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
      throw new StoreError(
        'NOT_A_BALLAST_STORE',
        `${path} is not a SQLite database (and so not a Ballast store); refusing to touch it`,
      );
    }
    const applicationId = header.readUInt32BE(APPLICATION_ID_OFFSET);
    if (applicationId === BALLAST_APPLICATION_ID) return 'ballast';
    if (applicationId !== 0) throw notOurs(path, applicationId);
    return 'unmarked';
  } finally {
    closeSync(fd);
  }
};

const notOurs = (path: string, applicationId: number): StoreError =>
  new StoreError(
    'NOT_A_BALLAST_STORE',
    `${path} is a SQLite database but not a Ballast store (application_id ${applicationId}); refusing to touch it`,
  );

const hasTables = (db: Database.Database): boolean =>
  (db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number }).n > 0;

/** Reads and checks the schema version without changing anything (for readers). */
export const schemaVersion = (db: Database.Database, path: string): number => {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  if (applicationId !== BALLAST_APPLICATION_ID) {
    if (applicationId === 0 && !hasTables(db)) return 0;
    throw notOurs(path, applicationId);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > LATEST_SCHEMA_VERSION) {
    throw new StoreError(
      'SCHEMA_TOO_NEW',
      `${path} has schema version ${version}; this Ballast knows up to ${LATEST_SCHEMA_VERSION}. Upgrade Ballast to open it`,
    );
  }
  return version;
};

/** Brings the schema to the latest version, each migration in its own transaction. */
export const migrate = (db: Database.Database, path: string): number => {
  const from = schemaVersion(db, path);
  for (const migration of MIGRATIONS) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`application_id = ${BALLAST_APPLICATION_ID}`);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
  }
  return LATEST_SCHEMA_VERSION;
};
