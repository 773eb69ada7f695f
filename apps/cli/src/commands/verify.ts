import { openSqliteStore } from '@ballast/event-store';
import { EXIT } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { printVerifyReport } from './verify-report';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify every hash chain of a store, read-only',
  help: `Usage: ballast verify --db PATH [--json]

Opens the SQLite store at PATH read-only (it may be in use by a writer) and walks every
stream's hash chain. On the first problem it names the stream and revision and exits 1.

Options:
  --db PATH   the store file (required; it must exist)
  --json      print one JSON object instead of text
  -h, --help  show this help

Exit codes: 0 every chain verifies, 1 a chain is broken, 2 bad usage, 3 the store could not be opened.`,
  options: { db: { type: 'string' }, json: { type: 'boolean' } },
  run: async (values, io) => {
    const db = requireString(values, 'db');
    const store = openSqliteStore(db, { readonly: true });
    try {
      const report = await store.verify();
      if (values.json) io.out(JSON.stringify({ db, ...report }));
      else printVerifyReport(report, io);
      return report.ok ? EXIT.ok : EXIT.checkFailed;
    } finally {
      await store.close();
    }
  },
};
