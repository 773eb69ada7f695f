import { LATEST_SCHEMA_VERSION, openSqliteStore } from '@ballast/event-store';
import { EXIT } from '../cli-io';
import type { CliCommand } from '../command';
import { printVerifyReport } from './verify-report';

export const DEFAULT_DB = './data/ballast.db';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'open a store, migrate it to the latest schema, verify it and show what it holds',
  help: `Usage: ballast status [--db PATH] [--json]

Opens the SQLite store at PATH for writing (migrating an older schema to the latest), verifies
every hash chain, and prints what it holds: streams, events, head position. It creates no store
(\`ballast simulate\` or the library does) and touches no file that is not a Ballast store.
Being the writer, it needs write access beside PATH (a lock file, the WAL): on a read-only copy
use \`ballast verify\` or \`ballast audit\`, which write nothing.

Options:
  --db PATH   the store file (default: ${DEFAULT_DB})
  --json      print one JSON object instead of text
  -h, --help  show this help

Exit codes: 0 ok, 1 a chain is broken, 2 bad usage, 3 the store could not be opened (no file at
PATH, not a Ballast store, or a writer has it open).`,
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  run: async (values, io) => {
    const db = (values.db as string | undefined) ?? DEFAULT_DB;
    const store = openSqliteStore(db, { mustExist: true });
    try {
      const report = await store.verify();
      if (values.json) io.out(JSON.stringify({ db, schemaVersion: LATEST_SCHEMA_VERSION, ...report }));
      else {
        io.out(`store     ${db} (SQLite, schema v${LATEST_SCHEMA_VERSION}, single writer)`);
        printVerifyReport(report, io);
      }
      return report.ok ? EXIT.ok : EXIT.checkFailed;
    } finally {
      await store.close();
    }
  },
};
