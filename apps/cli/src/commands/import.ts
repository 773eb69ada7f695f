import { importLog } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { createReadStream, existsSync, renameSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { EXIT, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { requireFolderOf } from '../store-options';

/** The files a SQLite store at `path` may have beside it. */
const storeFiles = (path: string): string[] => [path, `${path}-wal`, `${path}-shm`, `${path}.lock`];

export const importCommand: CliCommand = {
  name: 'import',
  summary: 'rebuild a new SQLite store from an export, checking every hash',
  help: `Usage: ballast import --from FILE --db NEW.db [--json]

Reads an export ('ballast export') line by line and appends every event into a new SQLite store,
as its command appended it, so the new store derives the same event ids and chain hashes. Every
event's hash is recomputed from the export's own bytes before it is appended; the first event
that does not match, a line missing or out of order, or a file without its trailer (cut off) stops
the import, naming the line, and leaves no store behind. The new store then audits to the same
digests as the original, and the original's anchors verify it (ballast verify --anchor).

The store is built beside NEW.db and renamed when complete, so NEW.db is never half imported.

Options:
  --from FILE       the export to read
  --db NEW.db       the store to create (must not exist, in a folder that exists)
  --json            print the summary as JSON
  -h, --help        show this help

Exit codes: 0 imported, 1 the export failed a check (nothing written), 2 bad usage, 3 the store
could not be written.`,
  options: { from: { type: 'string' }, db: { type: 'string' }, json: { type: 'boolean' } },
  run: async (values, io) => {
    const from = requireString(values, 'from');
    const db = requireString(values, 'db');
    requireFolderOf(db, '--db');
    if (!existsSync(from)) throw new UsageError(`--from ${from}: no such file`);
    if (storeFiles(db).some((f) => existsSync(f)))
      throw new UsageError(`--db ${db} exists already; import builds a new store (choose another path)`);
    const building = `${db}.importing`;
    // A file left by an import that was killed is ours to replace: nothing else writes that name.
    for (const f of storeFiles(building)) rmSync(f, { force: true });
    const store = openSqliteStore(building);
    let done = false;
    try {
      const lines = createInterface({ input: createReadStream(from, 'utf8'), crlfDelay: Infinity });
      const result = await importLog(lines, store);
      await store.close();
      if (!result.ok) {
        const p = result.problem;
        io.err(`ballast import: ${p.message} [${p.code}]; nothing imported`);
        return EXIT.checkFailed;
      }
      renameSync(building, db);
      done = true;
      const summary = {
        db,
        events: result.events,
        streams: result.streams,
        headsRoot: result.headsRoot,
        renumbered: result.renumbered,
      };
      if (values.json) io.out(JSON.stringify(summary));
      else {
        io.out(`imported  ${result.events} events in ${result.streams} streams into ${db}; every hash checked`);
        io.out(`root      ${result.headsRoot}`);
        if (result.renumbered > 0)
          io.out(
            `positions ${result.renumbered} events have new global positions (the export came from another store kind)`,
          );
      }
      return EXIT.ok;
    } finally {
      await store.close();
      for (const f of storeFiles(building)) if (done ? f !== building : true) rmSync(f, { force: true });
    }
  },
};
