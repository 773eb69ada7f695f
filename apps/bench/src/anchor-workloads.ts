import {
  anchorLine,
  auditAgainstAnchors,
  auditStore,
  createAnchor,
  exportLog,
  importLog,
  parseAnchorLines,
  verifyAgainstAnchors,
} from '@ballast/engine';
import { type EventStore, openSqliteStore } from '@ballast/event-store';
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditWorkloadFile } from './audit-workload';
import { TREASURIES } from './log-files';
import { rateOf, time } from './measure';
import { openRawPeer } from './raw-sqlite-peer';
import { interleave, type Side, SIDE_LABEL, summarize, type Contender, type WorkloadResult } from './workload';

/**
 * Issue 18's costs, each beside what it is added to, in one interleaved run over the audit workload
 * (real treasury events, 1,000 treasuries): verify and audit with an anchor file against the same
 * without; export against raw better-sqlite3 reading the rows and writing JSON lines; import against
 * raw better-sqlite3 inserting the same rows in one durable transaction per 512 rows.
 */
export const anchorWorkloads = async (
  dir: string,
  events: number,
  repeats: number,
  log: (line: string) => void,
): Promise<WorkloadResult[]> => {
  const db = join(dir, 'anchored.db');
  const written = await time(() => createAuditWorkloadFile(db, { events, treasuries: TREASURIES }));
  log(`  wrote ${written.ops.toLocaleString('en-US')} events in ${(written.ms / 1000).toFixed(1)} s (not measured)`);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const readOnly = (): EventStore => openSqliteStore(db, { readonly: true, frozen: true });
  const on = async <T>(f: (store: EventStore) => Promise<T>): Promise<T> => {
    const store = readOnly();
    try {
      return await f(store);
    } finally {
      await store.close();
    }
  };
  const created = await on((store) => createAnchor(store, privateKey, new Date().toISOString()));
  if (!created.ok) throw new Error('the bench store failed its audit');
  const lines = parseAnchorLines(anchorLine(created.anchor));
  const rated = (f: (store: EventStore) => Promise<unknown>) => async () =>
    rateOf(await time(() => on(async (store) => (await f(store), events))));
  const exportFile = join(dir, 'export.jsonl');

  const specs: { id: string; title: string; unit: 'events/s'; note: string; contenders: Contender[] }[] = [
    {
      id: 'verify-anchor',
      title: `verify --anchor, ${events.toLocaleString('en-US')} events`,
      unit: 'events/s',
      note: 'one pass: chains, and every stream head at the anchor’s point',
      contenders: [
        {
          side: 'ballast',
          run: rated(async (store) => {
            const { anchors } = await verifyAgainstAnchors(store, lines, publicKey);
            if (!anchors?.ok) throw new Error('anchor check failed');
          }),
        },
        { side: 'unanchored', run: rated((store) => store.verify()) },
      ],
    },
    {
      id: 'audit-anchor',
      title: `audit --anchor, ${events.toLocaleString('en-US')} events`,
      unit: 'events/s',
      note: 'the audit, the heads and the digest at the anchor’s point',
      contenders: [
        {
          side: 'ballast',
          run: rated(async (store) => {
            const { anchors } = await auditAgainstAnchors(store, lines, publicKey);
            if (!anchors?.ok || !anchors.digestChecked) throw new Error('anchor check failed');
          }),
        },
        { side: 'unanchored', run: rated((store) => auditStore(store)) },
      ],
    },
    {
      id: 'export',
      title: `export as JSON lines, ${events.toLocaleString('en-US')} events`,
      unit: 'events/s',
      note: 'Ballast verifies every chain as it writes; raw reads the rows and writes them as JSON',
      contenders: [
        {
          side: 'ballast',
          run: rated(async (store) => {
            const fd = openSync(exportFile, 'w');
            let buffer = '';
            try {
              await exportLog(
                store,
                (line) => {
                  buffer += `${line}\n`;
                  if (buffer.length > 1 << 20) {
                    writeSync(fd, buffer);
                    buffer = '';
                  }
                },
                new Date().toISOString(),
              );
              writeSync(fd, buffer);
            } finally {
              closeSync(fd);
            }
          }),
        },
        {
          side: 'raw',
          run: async () => {
            const raw = new (await import('better-sqlite3')).default(db, { readonly: true });
            const fd = openSync(join(dir, 'raw-export.jsonl'), 'w');
            try {
              return rateOf(
                await time(() => {
                  let buffer = '';
                  let n = 0;
                  for (const row of raw.prepare('SELECT * FROM events ORDER BY position').iterate()) {
                    buffer += `${JSON.stringify(row)}\n`;
                    n++;
                    if (buffer.length > 1 << 20) {
                      writeSync(fd, buffer);
                      buffer = '';
                    }
                  }
                  writeSync(fd, buffer);
                  return n;
                }),
              );
            } finally {
              closeSync(fd);
              raw.close();
            }
          },
        },
      ],
    },
  ];
  const results: WorkloadResult[] = [];
  for (const spec of specs) results.push(summarize(spec, await interleave(spec.contenders, repeats)));

  // Import needs the export file the export workload wrote last.
  const exportLines = readFileSync(exportFile, 'utf8').trimEnd().split('\n');
  let run = 0;
  const imported = summarize(
    {
      id: 'import',
      title: `import from JSON lines into a new SQLite store, ${events.toLocaleString('en-US')} events`,
      unit: 'events/s',
      note:
        'Ballast checks every hash and appends each command as it was (512 in flight); ' +
        'raw inserts the rows, 512 per durable transaction',
    },
    await interleave(
      [
        {
          side: 'ballast',
          run: async () => {
            const path = join(dir, `import-${run++}.db`);
            const store = openSqliteStore(path);
            try {
              const sample = await time(async () => {
                const result = await importLog(
                  (async function* () {
                    yield* exportLines;
                  })(),
                  store,
                  { inFlight: 512 },
                );
                if (!result.ok) throw new Error(result.problem.message);
                return result.events;
              });
              return rateOf(sample);
            } finally {
              await store.close();
              for (const f of [path, `${path}-wal`, `${path}-shm`, `${path}.lock`]) rmSync(f, { force: true });
            }
          },
        },
        {
          side: 'raw',
          run: async () => {
            const path = join(dir, `raw-import-${run++}.db`);
            const raw = openRawPeer(path);
            try {
              return rateOf(
                await time(() => {
                  let batch: [string, number, string][] = [];
                  let n = 0;
                  for (const line of exportLines.slice(1, -1)) {
                    const e = JSON.parse(line) as { streamId: string; revision: number };
                    batch.push([e.streamId, e.revision, line]);
                    n++;
                    if (batch.length === 512) {
                      raw.appendRows(batch);
                      batch = [];
                    }
                  }
                  raw.appendRows(batch);
                  return n;
                }),
              );
            } finally {
              raw.close();
              for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
            }
          },
        },
      ],
      repeats,
    ),
  );
  results.push(imported);
  return results;
};

/** One line per workload: each side's median and Ballast's ratio to the other (> 1: Ballast faster). */
export const anchorResultLine = (r: WorkloadResult): string =>
  `  ${r.title}: ` +
  Object.entries(r.medians)
    .map(([side, v]) => `${SIDE_LABEL[side as Side]} ${Math.round(v).toLocaleString('en-US')} ev/s`)
    .join(', ') +
  Object.entries(r.ratios)
    .map(([side, ratio]) => `; Ballast ${ratio.toFixed(2)}× ${SIDE_LABEL[side as Side]}`)
    .join('');
