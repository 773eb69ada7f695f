import { verifyAgainstAnchors } from '@ballast/engine';
import { ANCHOR_CHECK_HELP, ANCHOR_CHECK_OPTIONS, anchorOptionsOf } from '../anchors/anchor-files';
import { printAnchorCheck } from '../anchors/anchor-report';
import { EXIT } from '../cli-io';
import type { CliCommand } from '../command';
import { openExistingStore, STORE_HELP, STORE_OPTIONS } from '../store-options';
import { printVerifyReport } from './verify-report';

export const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'verify every hash chain of a store, read-only',
  help:
    `Usage: ballast verify (--db PATH | --store URL) [--anchor FILE --anchor-key PUB] [--json]

Opens the store read-only (a SQLite file may be in use by a writer) and walks every
stream's hash chain. A SQLite file no writer has open is read as it is and left untouched: no
lock, no -wal or -shm file is created, so a read-only copy (an auditor's) verifies as well. ` +
    `On the first problem it names the stream and revision and exits 1.

A hash chain kept in the store cannot show that its own end was cut off: with --anchor, the log is
also compared with signed anchors kept elsewhere (ballast anchor --help).

Options:
${STORE_HELP}
${ANCHOR_CHECK_HELP}
  --json            print one JSON object instead of text
  -h, --help        show this help

Exit codes: 0 every chain verifies (and matches every anchor), 1 a chain is broken or an anchor
differs, 2 bad usage, 3 the store could not be opened.`,
  options: { ...STORE_OPTIONS, ...ANCHOR_CHECK_OPTIONS, json: { type: 'boolean' } },
  run: async (values, io) => {
    const anchored = anchorOptionsOf(values);
    const { store, label } = await openExistingStore(values);
    try {
      const { report, anchors } = anchored
        ? await verifyAgainstAnchors(store, anchored.lines, anchored.trusted)
        : { report: await store.verify(), anchors: undefined };
      if (values.json)
        io.out(
          JSON.stringify({
            [values.store === undefined ? 'db' : 'store']: label,
            ...report,
            ...(anchors ? { anchors } : {}),
          }),
        );
      else {
        printVerifyReport(report, io);
        if (anchors) printAnchorCheck(anchors, io, false);
      }
      return report.ok && (anchors?.ok ?? true) ? EXIT.ok : EXIT.checkFailed;
    } finally {
      await store.close();
    }
  },
};
