import { existsSync } from 'node:fs';
import { boundedInt, strict } from '@ballast/domain';
import Database from 'better-sqlite3';
import * as t from 'io-ts';
import { checkOpenArguments } from '../open-arguments';
import type { EventStore } from '../port';
import { StoreError } from '../store-error';
import { createEventStore } from '../store-facade';
import { MIN_READABLE_SCHEMA_VERSION, migrate, schemaVersion } from './schema';
import { type CommitInfo, sqliteReadBackend, sqliteWriteBackend } from './sqlite-backend';
import { acquireWriterLock } from './writer-lock';

export interface SqliteStoreOptions {
  /** Open for reading only, beside a writer in another process. Default false. */
  readonly readonly?: boolean;
  /** How often a read-only store looks for events committed by the writer. Default 50 ms. */
  readonly pollIntervalMs?: number;
  /** Called after each group commit of the writer with how many appends and events it held. */
  readonly onCommit?: (info: CommitInfo) => void;
}

/**
 * Opens (creating if needed) a SQLite file as an event store.
 *
 * Durability: WAL with synchronous=FULL, so the WAL is fsynced at every commit and an acknowledged
 * append survives a power loss, not only a crash of this process (NORMAL would risk the last
 * commits on power loss). Group commit pays for the fsync once per batch of concurrent appends.
 */
const OpenOptions = strict({}, { readonly: t.boolean, pollIntervalMs: boundedInt('pollIntervalMs', 1, 60_000), onCommit: t.Function }, 'SqliteStoreOptions');

// better-sqlite3 treats "" and ":memory:" as a throwaway database: a typo would silently lose data.
const checkOpen = (path: unknown, options: unknown): void =>
  checkOpenArguments(
    'openSqliteStore',
    'INVALID_OPTIONS',
    typeof path !== 'string' || path.trim() === '' || path === ':memory:' || path.startsWith('file:') ? { path: 'path', message: `expected the path of a store file, got ${JSON.stringify(path)}` } : undefined,
    OpenOptions,
    options,
  );

export const openSqliteStore = (path: string, options: SqliteStoreOptions = {}): EventStore => {
  checkOpen(path, options);
  if (options.readonly) {
    if (!existsSync(path)) throw new StoreError('STORE_NOT_FOUND', `${path} does not exist; a read-only store cannot create it`);
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      db.pragma('journal_mode');
      db.pragma('busy_timeout = 5000');
      const version = schemaVersion(db, path);
      if (version < MIN_READABLE_SCHEMA_VERSION) {
        throw new StoreError('SCHEMA_TOO_OLD', `${path} has schema version ${version}; open it once for writing to migrate it`);
      }
    } catch (error) {
      db.close();
      throw asStoreError(path, error);
    }
    return createEventStore(sqliteReadBackend(db, path, options.pollIntervalMs ?? 50, () => db.close()));
  }

  const lock = acquireWriterLock(path);
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
    throw asStoreError(path, error);
  }
};

const asStoreError = (path: string, error: unknown): unknown =>
  (error as { code?: string }).code === 'SQLITE_NOTADB'
    ? new StoreError('NOT_A_BALLAST_STORE', `${path} is not a SQLite database (and so not a Ballast store); refusing to touch it`, [], { cause: error })
    : error;
