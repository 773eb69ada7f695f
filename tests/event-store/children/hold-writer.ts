// Opens a store for writing and holds it; each line on stdin appends one event to `s-held`.
import { openSqliteStore, StoreError } from '@ballast/event-store';
import { createInterface } from 'node:readline';
import { writeSync } from 'node:fs';

const [dbPath] = process.argv.slice(2) as [string];
try {
  const store = openSqliteStore(dbPath);
  writeSync(1, 'READY\n');
  let n = 0;
  createInterface({ input: process.stdin }).on('line', (line) => {
    void store
      .append('s-held', [{ type: 'Noted', version: 1, data: { line } }], {
        expectedRevision: 'any',
        commandId: `held-${process.pid}-${n++}`,
      })
      .then(() => writeSync(1, 'APPENDED\n'));
  });
} catch (error) {
  writeSync(1, `ERROR ${(error as StoreError).code}: ${(error as Error).message}\n`);
  process.exit(3);
}
