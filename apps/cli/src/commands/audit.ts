import { auditAgainstAnchors, auditStore } from '@ballast/engine';
import { ANCHOR_CHECK_HELP, ANCHOR_CHECK_OPTIONS, anchorOptionsOf } from '../anchors/anchor-files';
import { printAnchorCheck } from '../anchors/anchor-report';
import { EXIT } from '../cli-io';
import type { CliCommand } from '../command';
import { openExistingStore, STORE_HELP, STORE_OPTIONS } from '../store-options';
import { readLastRunMarker, runMarkerLine } from '../simulation/run-marker';
import { ledgerLines } from './ledger-lines';

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'verify every chain, re-fold every aggregate and read model, print digests',
  help: `Usage: ballast audit (--db PATH | --store URL) [--anchor FILE --anchor-key PUB] [--json]

Opens the store read-only (writing nothing beside a SQLite file: a read-only copy audits as
well), verifies every stream's hash chain, then re-folds every treasury,
pool and escrow and every read model from the first event, and prints one digest each and a
total digest. Then G6, system conservation: every money event is booked in a double-entry ledger
(buckets, locks, escrow holds, pool reserves, transfers in flight, external flows); every
transfer's credit must match its debit (amount, payer and payee), every account must equal its
aggregate's own state, and Σ internal balances + in flight = Σ inflows − Σ outflows. Events
written before transfers existed are booked as the external flow "legacy" and counted.
The same events always give the same aggregate digests, on every store; the audit-trail and
breaker-history read models record global positions, which differ between store kinds (EventStoreDB's
are log offsets), so theirs and the total match only within one kind. On the first problem (a broken
chain, an event that does not decode, a credit without a debit, an account that does not match)
it names the stream and revision (and the transfer or account) and exits 1.
A store written by \`ballast simulate\` also gets a line saying whether that run was complete or
stopped early (SimulationCompleted or SimulationStopped, its last event; "run" in --json;
SQLite stores only).
With --anchor, the log is also compared with signed anchors kept elsewhere, and the newest
anchor's audit digest with the digest of the state folded up to its point (ballast anchor --help).

Options:
${STORE_HELP}
${ANCHOR_CHECK_HELP}
  --json            print one JSON object instead of text
  -h, --help        show this help

Exit codes: 0 audit passed (and every anchor matches), 1 a problem was found, 2 bad usage, 3 the store could not be opened.`,
  options: { ...STORE_OPTIONS, ...ANCHOR_CHECK_OPTIONS, json: { type: 'boolean' } },
  run: async (values, io) => {
    const anchored = anchorOptionsOf(values);
    const { store } = await openExistingStore(values);
    try {
      const { report, anchors } = anchored
        ? await auditAgainstAnchors(store, anchored.lines, anchored.trusted)
        : { report: await auditStore(store), anchors: undefined };
      // The marker is found as the log's last event by its position, which is only a valid read
      // cursor in the embedded stores (EventStoreDB positions are log offsets): SQLite only.
      const run = values.store === undefined ? await readLastRunMarker(store) : undefined;
      if (values.json) {
        io.out(JSON.stringify({ ...report, ...(run ? { run } : {}), ...(anchors ? { anchors } : {}) }));
      } else {
        for (const a of report.aggregates) io.out(`${a.digest}  ${a.streamId} @${a.revision}`);
        for (const p of report.projections) io.out(`${p.digest}  read model ${p.name}`);
        for (const line of ledgerLines(report.ledger)) io.out(line);
        io.out(
          `${report.totalDigest}  total (${report.aggregates.length} aggregates, ${report.events} events` +
            `${report.otherStreams ? `, ${report.otherStreams} other streams verified only` : ''})`,
        );
        if (run) io.out(runMarkerLine(run));
        io.out(
          report.problem
            ? `audit     FAILED at stream ${report.problem.streamId} revision ${report.problem.revision} ` +
                `(${report.problem.kind}): ${report.problem.message}`
            : 'audit     ok: every chain verifies, every aggregate re-folds and the ledger balances (G6)',
        );
        if (anchors) printAnchorCheck(anchors, io, true);
      }
      return report.ok && (anchors?.ok ?? true) ? EXIT.ok : EXIT.checkFailed;
    } finally {
      await store.close();
    }
  },
};
