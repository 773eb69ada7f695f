import { LATEST_SCHEMA_VERSION, openSqliteStore } from '@ballast/event-store';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type CliIo, EXIT } from '../cli-io';
import { printVerifyReport } from './verify-report';

export const statusHelp = `Usage: ballast status [--db PATH] [--json]

Opens the SQLite store at PATH for writing (creating and migrating it if it does not exist),
verifies every hash chain, and prints what it holds: streams, events, head position.

Options:
  --db PATH   the store file (default: ./data/ballast.db)
  --json      print one JSON object instead of text
  -h, --help  show this help

Exit codes: 0 ok, 1 a chain is broken, 2 bad usage, 3 the store could not be opened.`;

export const runStatus = async (db: string, json: boolean, io: CliIo): Promise<number> => {
  // A first run on a fresh clone creates ./data/ballast.db, folder included.
  mkdirSync(dirname(db), { recursive: true });
  const store = openSqliteStore(db);
  try {
    const report = await store.verify();
    if (json) io.out(JSON.stringify({ db, schemaVersion: LATEST_SCHEMA_VERSION, ...report }));
    else {
      io.out(`store     ${db} (SQLite, schema v${LATEST_SCHEMA_VERSION}, single writer)`);
      printVerifyReport(report, io);
    }
    return report.ok ? EXIT.ok : EXIT.checkFailed;
  } finally {
    await store.close();
  }
};
