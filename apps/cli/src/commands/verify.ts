import { EXIT } from '../cli-io';
import type { CliCommand } from '../command';
import { openExistingStore, STORE_HELP, STORE_OPTIONS } from '../store-options';
import { printVerifyReport } from './verify-report';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify every hash chain of a store, read-only',
  help:
    `Usage: ballast verify (--db PATH | --store URL) [--json]

Opens the store read-only (a SQLite file may be in use by a writer) and walks every
stream's hash chain. A SQLite file no writer has open is read as it is and left untouched: no
lock, no -wal or -shm file is created, so a read-only copy (an auditor's) verifies as well. ` +
    `On the first problem it names the stream and revision and exits 1.

Options:
${STORE_HELP}
  --json            print one JSON object instead of text
  -h, --help        show this help

Exit codes: 0 every chain verifies, 1 a chain is broken, 2 bad usage, 3 the store could not be opened.`,
  options: { ...STORE_OPTIONS, json: { type: 'boolean' } },
  run: async (values, io) => {
    const { store, label } = await openExistingStore(values);
    try {
      const report = await store.verify();
      if (values.json) io.out(JSON.stringify({ [values.store === undefined ? 'db' : 'store']: label, ...report }));
      else printVerifyReport(report, io);
      return report.ok ? EXIT.ok : EXIT.checkFailed;
    } finally {
      await store.close();
    }
  },
};
