import { LATEST_SCHEMA_VERSION, openSqliteStore } from '@ballast/event-store';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { EXIT } from '../cli-io';
import type { CliCommand } from '../command';
import { printVerifyReport } from './verify-report';

export const DEFAULT_DB = './data/ballast.db';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'open (or create) a store, verify it and show what it holds',
  help: `Usage: ballast status [--db PATH] [--json]

Opens the SQLite store at PATH for writing (creating and migrating it if it does not exist),
verifies every hash chain, and prints what it holds: streams, events, head position.

Options:
  --db PATH   the store file (default: ${DEFAULT_DB})
  --json      print one JSON object instead of text
  -h, --help  show this help

Exit codes: 0 ok, 1 a chain is broken, 2 bad usage, 3 the store could not be opened.`,
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  run: async (values, io) => {
    const db = (values.db as string | undefined) ?? DEFAULT_DB;
    // A first run on a fresh clone creates ./data/ballast.db, folder included.
    mkdirSync(dirname(db), { recursive: true });
    const store = openSqliteStore(db);
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
