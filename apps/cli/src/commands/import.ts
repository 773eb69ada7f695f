import { importLog, MAX_EXPORT_LINE } from '@ballast/engine';
import { DEFAULT_ESDB_NAMESPACE, type EventStore, openEsdbStore, openSqliteStore } from '@ballast/event-store';
import { createReadStream, existsSync, renameSync, rmSync } from 'node:fs';
import { EXIT, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { requireNotFolder } from '../anchors/anchor-files';
import { isEsdbUrl, requireFolderOf } from '../store-options';

/** The files a SQLite store at `path` may have beside it. */
const storeFiles = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`, `${path}.lock`];

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'rebuild a new SQLite store from an export, checking every hash',
  help: `Usage: ballast import --from FILE (--db NEW.db | --store URL [--namespace NAME]) [--json]

Reads an export ('ballast export') line by line and appends every event into a new SQLite store,
as its command appended it, so the new store derives the same event ids and chain hashes. Every
event's hash is recomputed from the export's own bytes before it is appended; the first event
that does not match, a line missing or out of order, or a file without its trailer (cut off) stops
the import, naming the line, and leaves no store behind. The new store then audits to the same
digests as the original, and the original's anchors verify it (ballast verify --anchor).

The store is built beside NEW.db and renamed when complete, so NEW.db is never half imported.
Into EventStoreDB (--store), the namespace must hold no event; a failed import leaves the events
before the failing line there (the message says so): import again into a new namespace. There the
global positions are log offsets, so the digests of the read models that record positions differ
from the original's; every aggregate's digest, the heads and the anchors' checks do not.

Options:
  --from FILE       the export to read
  --db NEW.db       the store to create (must not exist, in a folder that exists)
  --store URL       an empty EventStoreDB namespace instead: esdb://host:2113?tls=false
  --namespace NAME  Ballast's stream prefix there (default ${DEFAULT_ESDB_NAMESPACE})
  --json            print the summary as JSON
  -h, --help        show this help

Exit codes: 0 imported, 1 the export failed a check (nothing written), 2 bad usage, 3 the store
could not be written.`,
  options: {
    from: { type: 'string' },
    db: { type: 'string' },
    store: { type: 'string' },
    namespace: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async (values, io) => {
    const from = requireString(values, 'from');
    if (!existsSync(from)) throw new UsageError(`--from ${from}: no such file`);
    requireNotFolder(from, '--from');
    if ((values.db === undefined) === (values.store === undefined))
      throw new UsageError('give --db NEW.db or --store URL');
    if (values.store !== undefined) return importIntoEsdb(from, values, io);
    if (values.namespace !== undefined) throw new UsageError('--namespace only applies to --store esdb://…');
    const db = requireString(values, 'db');
    requireFolderOf(db, '--db');
    if (storeFiles(db).some((f) => existsSync(f)))
      throw new UsageError(`--db ${db} exists already; import builds a new store (choose another path)`);
    const building = `${db}.importing`;
    // A file left by an import that was killed is ours to replace: nothing else writes that name.
    for (const f of storeFiles(building)) rmSync(f, { force: true });
    const store = openSqliteStore(building);
    let done = false;
    try {
      // The SQLite store commits concurrent appends in call order, one fsync per group.
      const result = await importLog(linesOf(from), store, { inFlight: 512 });
      await store.close();
      if (!result.ok) {
        const p = result.problem;
        io.err(`ballast import: ${p.message} [${p.code}]; nothing imported`);
        return EXIT.checkFailed;
      }
      renameSync(building, db);
      done = true;
      printImported(result, db, values, io);
      return EXIT.ok;
    } finally {
      await store.close();
      for (const f of storeFiles(building)) if (done ? f !== building : true) rmSync(f, { force: true });
    }
  },
};

/**
 * The file's lines, opened only when the import starts reading (it first asks the target whether it
 * is empty: a network call to EventStoreDB). Split here rather than by readline, which holds any line
 * whole however long: a line past MAX_EXPORT_LINE is handed over cut at that length, for the import
 * to refuse, and nothing more is read.
 */
async function* linesOf(from: string): AsyncGenerator<string> {
  let partial = '';
  for await (const chunk of createReadStream(from, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (partial + (chunk as string)).split('\n');
    partial = parts.pop()!;
    for (const line of parts) yield line.endsWith('\r') ? line.slice(0, -1) : line;
    if (partial.length > MAX_EXPORT_LINE) {
      yield partial.slice(0, MAX_EXPORT_LINE + 1);
      return;
    }
  }
  if (partial !== '') yield partial;
}

type Imported = Extract<Awaited<ReturnType<typeof importLog>>, { ok: true }>;

const printImported = (
  result: Imported,
  where: string,
  values: Readonly<Record<string, unknown>>,
  io: { out(line: string): void },
): void => {
  if (values.json) {
    const { ok: _ok, ...summary } = result;
    io.out(JSON.stringify({ into: where, ...summary }));
    return;
  }
  io.out(`imported  ${result.events} events in ${result.streams} streams into ${where}; every hash checked`);
  io.out(`root      ${result.headsRoot}`);
  if (result.renumbered > 0)
    io.out(`positions ${result.renumbered} events have other global positions than in the export (another store kind)`);
};

/** Into an EventStoreDB namespace that holds nothing yet; it cannot be renamed, so a failure says what is left. */
const importIntoEsdb = async (
  from: string,
  values: Readonly<Record<string, string | boolean | undefined>>,
  io: { out(line: string): void; err(line: string): void },
): Promise<number> => {
  const url = values.store as string;
  if (!isEsdbUrl(url))
    throw new UsageError(`--store takes an EventStoreDB connection string (esdb://host:2113?tls=false), got ${url}`);
  const namespace = (values.namespace as string | undefined) ?? DEFAULT_ESDB_NAMESPACE;
  const store: EventStore = await openEsdbStore(url, { namespace });
  try {
    const result = await importLog(linesOf(from), store);
    if (!result.ok) {
      const p = result.problem;
      const left =
        p.code === 'IMPORT_TARGET_NOT_EMPTY'
          ? 'nothing imported'
          : `${result.imported} events before it are in namespace ${namespace}: import again into a new namespace`;
      io.err(`ballast import: ${p.message} [${p.code}]; ${left}`);
      return EXIT.checkFailed;
    }
    printImported(result, `${url} (namespace ${namespace})`, values, io);
    return EXIT.ok;
  } finally {
    await store.close();
  }
};
