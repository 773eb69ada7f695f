import { DEFAULT_ESDB_NAMESPACE, type EventStore, openEsdbStore, openSqliteStore } from '@ballast/event-store';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './cli-io';

/** The options every command that reads an existing store accepts. */
export const STORE_OPTIONS = {
  db: { type: 'string' },
  store: { type: 'string' },
  namespace: { type: 'string' },
} as const;

export const STORE_HELP = `  --db PATH         a SQLite store file (it must exist)
  --store URL       an EventStoreDB/KurrentDB store instead: esdb://host:2113?tls=false
                    (or esdb+discover://… for a cluster); give --db or --store
  --namespace NAME  Ballast's stream prefix in that database (default ${DEFAULT_ESDB_NAMESPACE})`;

export const isEsdbUrl = (value: string): boolean => /^esdb(\+discover)?:\/\//.test(value);

type Values = Readonly<Record<string, string | boolean | undefined>>;

/** Opens the store named by --db or --store, read-only where the store supports it. */
export const openExistingStore = async (
  values: Values,
  sqlite: { pollIntervalMs?: number } = {},
): Promise<{ store: EventStore; label: string; where: string }> => {
  const db = values.db as string | undefined;
  const url = values.store as string | undefined;
  const namespace = values.namespace as string | undefined;
  if (db !== undefined && url !== undefined) throw new UsageError('give --db PATH or --store URL, not both');
  if (url !== undefined) {
    if (!isEsdbUrl(url))
      throw new UsageError(`--store takes an EventStoreDB connection string (esdb://host:2113?tls=false), got ${url}`);
    const where = `${url} (namespace ${namespace ?? DEFAULT_ESDB_NAMESPACE})`;
    return { store: await openEsdbStore(url, namespace === undefined ? {} : { namespace }), label: url, where };
  }
  if (namespace !== undefined) throw new UsageError('--namespace only applies to --store esdb://…');
  if (db === undefined || db === '') throw new UsageError('--db PATH or --store URL is required');
  // A one-shot read (no polling asked for) reads a copy of the file: nothing is written beside it,
  // so an auditor's read-only copy works and is left exactly as it was.
  return {
    store: openSqliteStore(db, { readonly: true, frozen: sqlite.pollIntervalMs === undefined, ...sqlite }),
    label: db,
    where: db,
  };
};

/** A store or checkpoint file in a folder that does not exist is a usage mistake, said in one line. */
export const requireFolderOf = (path: string, option: string): void => {
  const folder = dirname(path);
  if (!existsSync(folder))
    throw new UsageError(
      `${option} ${path}: the folder ${folder} does not exist (create it first: mkdir -p ${folder})`,
    );
};

/**
 * The store a writer command opens (`serve`, `keys`): the SQLite file named by --db (created if
 * missing, in a folder that must exist; this process becomes its one writer), or the EventStoreDB
 * named by --store.
 */
export const openWriterStore = async (values: Values): Promise<{ store: EventStore; where: string }> => {
  const db = values.db as string | undefined;
  const url = values.store as string | undefined;
  const namespace = values.namespace as string | undefined;
  if ((db === undefined) === (url === undefined)) throw new UsageError('give --db PATH or --store URL');
  if (url !== undefined) {
    if (!isEsdbUrl(url))
      throw new UsageError(`--store takes an EventStoreDB connection string (esdb://host:2113?tls=false), got ${url}`);
    const where = `${url} (namespace ${namespace ?? DEFAULT_ESDB_NAMESPACE})`;
    return { store: await openEsdbStore(url, namespace === undefined ? {} : { namespace }), where };
  }
  if (namespace !== undefined) throw new UsageError('--namespace only applies to --store esdb://…');
  requireFolderOf(db!, '--db');
  return { store: openSqliteStore(db!), where: db! };
};
