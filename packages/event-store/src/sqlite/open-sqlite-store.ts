import { readFileSync, statSync } from 'node:fs';
import { boundedInt, strict } from '@ballast/domain';
import Database from 'better-sqlite3';
import * as t from 'io-ts';
import { checkOpenArguments } from '../open-arguments';
import type { EventStore } from '../port';
import { StoreError } from '../store-error';
import { createEventStore } from '../store-facade';
import { MIN_READABLE_SCHEMA_VERSION, migrate, schemaVersion, storeFileKind } from './schema';
import { type CommitInfo, sqliteReadBackend, sqliteWriteBackend } from './sqlite-backend';
import { writerOpenFailure } from './sqlite-failure';
import { acquireWriterLock } from './writer-lock';

export interface SqliteStoreOptions {
  /** Open for reading only, beside a writer in another process. Default false. */
  readonly readonly?: boolean;
  /** How often a read-only store looks for events committed by the writer. Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** Called after each group commit of the writer with how many appends and events it held. */
  readonly onCommit?: (info: CommitInfo) => void;
  /**
   * With readonly: read the file as it is now from a copy in memory when no writer has it open (no
   * WAL content beside it), so nothing on disk is touched: no -wal/-shm side file is created, no
   * lock taken, and a read-only file or folder (an auditor's copy) reads as well as any. Events
   * committed later are not seen (for one-shot reads: verify, audit). Beside a live WAL, or for a
   * file over 1 GiB, the store is opened shared as without it. Default false.
   */
  readonly frozen?: boolean;
  /** For a writer: refuse a path where no file exists instead of creating a store there. Default false. */
  readonly mustExist?: boolean;
}

/**
 * Opens (creating if needed) a SQLite file as an event store.
 *
 * Durability: WAL with synchronous=FULL, so the WAL is fsynced at every commit and an acknowledged
 * append survives a power loss, not only a crash of this process (NORMAL would risk the last
 * commits on power loss). Group commit pays for the fsync once per batch of concurrent appends.
 */
const OpenOptions = strict(
  {},
  {
    readonly: t.boolean,
    pollIntervalMs: boundedInt('pollIntervalMs', 1, 60_000),
    onCommit: t.Function,
    frozen: t.boolean,
    mustExist: t.boolean,
  },
  'SqliteStoreOptions',
);

// better-sqlite3 treats "" and ":memory:" as a throwaway database: a typo would silently lose data.
const checkOpen = (path: unknown, options: unknown): void =>
  checkOpenArguments(
    'openSqliteStore',
    'INVALID_OPTIONS',
    typeof path !== 'string' || path.trim() === '' || path === ':memory:' || path.startsWith('file:')
      ? { path: 'path', message: `expected the path of a store file, got ${JSON.stringify(path)}` }
      : undefined,
    OpenOptions,
    options,
  );

export const openSqliteStore = (path: string, options: SqliteStoreOptions = {}): EventStore => {
  checkOpen(path, options);
  // Identity first, from the header bytes: a foreign file gets no lock file, no WAL switch, no side file.
  const kind = storeFileKind(path);
  if (kind === 'missing' && (options.readonly || options.mustExist)) {
    throw new StoreError(
      'STORE_NOT_FOUND',
      `${path} does not exist; ${options.readonly ? 'a read-only store cannot create it' : 'no store is created here'}`,
    );
  }
  if (kind === 'unmarked') checkUnmarked(path);
  if (options.readonly) {
    const db = (options.frozen && frozenCopy(path)) || new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.pragma('journal_mode');
      db.pragma('busy_timeout = 5000');
      const version = schemaVersion(db, path);
      if (version < MIN_READABLE_SCHEMA_VERSION) {
        throw new StoreError(
          'SCHEMA_TOO_OLD',
          `${path} has schema version ${version}; open it once for writing to migrate it`,
        );
      }
    } catch (error) {
      db.close();
      throw asStoreError(path, error);
    }
    return createEventStore(sqliteReadBackend(db, path, options.pollIntervalMs ?? 50, () => db.close()));
  }

  const lock = openingForWriting(path, () => acquireWriterLock(path));
  let db: Database.Database | undefined;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
    return createEventStore(sqliteWriteBackend(db, path, lock, options.onCommit));
  } catch (error) {
    db?.close();
    lock.release();
    throw asStoreError(path, writerOpenFailure(path, error));
  }
};

/** Byte limit of a frozen read: above it the file is opened shared rather than copied into memory. */
const FROZEN_COPY_MAX_BYTES = 1024 ** 3;
/** Header bytes 18 and 19: file format write/read version, 2 for WAL, 1 for a rollback journal. */
const FORMAT_VERSION_OFFSETS = [18, 19] as const;

const walBytes = (path: string): number => {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
};

/**
 * The file read into memory, or undefined when a writer's WAL holds content the file lacks (or the
 * file is too big to copy, or it changed while being read): then the caller opens it shared.
 */
const frozenCopy = (path: string): Database.Database | undefined => {
  const before = statSync(path);
  if (before.size > FROZEN_COPY_MAX_BYTES || walBytes(path) > 0) return undefined;
  const bytes = readFileSync(path);
  const after = statSync(path);
  // A writer that opened the file meanwhile may have checkpointed into it: that copy could be torn.
  if (after.mtimeMs !== before.mtimeMs || after.size !== bytes.length || walBytes(path) > 0) return undefined;
  // A deserialized database cannot be in WAL mode; the copy has no WAL to read, so mark it rollback.
  if (bytes.length >= 100) for (const offset of FORMAT_VERSION_OFFSETS) bytes[offset] = 1;
  return new Database(bytes, { readonly: true });
};

/** A SQLite file without Ballast's mark may become a store only if it holds nothing (no tables). */
const checkUnmarked = (path: string): void => {
  const copy = frozenCopy(path);
  if (copy === undefined) return; // live WAL: migrate() checks it under the lock, as before
  try {
    schemaVersion(copy, path);
  } finally {
    copy.close();
  }
};

/** A full, failing or read-only disk met while opening a writer, as a StoreError. */
const openingForWriting = <T>(path: string, open: () => T): T => {
  try {
    return open();
  } catch (error) {
    throw writerOpenFailure(path, error);
  }
};

const asStoreError = (path: string, error: unknown): unknown =>
  (error as { code?: string }).code === 'SQLITE_NOTADB'
    ? new StoreError(
        'NOT_A_BALLAST_STORE',
        `${path} is not a SQLite database (and so not a Ballast store); refusing to touch it`,
        [],
        { cause: error },
      )
    : error;
