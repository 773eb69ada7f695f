import { openSqliteStore } from '@ballast/event-store';
import type { Event } from '@event-driven-io/emmett';
import { join } from 'node:path';
import { createAuditWorkloadFile } from './audit-workload';
import { openEmmettPersistent } from './emmett-peer';
import { time } from './measure';
import { openRawPeer } from './raw-sqlite-peer';

/** The treasury logs the read workloads run over, each written once per bench run. */
export interface LogFiles {
  /** Ballast store: `small` events over 1,000 treasuries (the 200k audit). */
  readonly ballastSmall: string;
  readonly small: number;
  /** Ballast store: `large` events over 1,000 treasuries (the 1M). */
  readonly ballastLarge: string;
  readonly large: number;
  /**
   * The small log's events, copied into raw better-sqlite3 (global order) and Emmett (one append
   * per stream). Small, not large: Emmett writes ~25k events/s at best, a 1M copy would take most
   * of the ten minutes, and a plain fold's rate does not depend on the log's length.
   */
  readonly rawSmall: string;
  readonly emmettSmall: string;
  /** Seconds each fill took, for the reader's information (not a measured workload). */
  readonly fillSeconds: Record<string, number>;
}

export const TREASURIES = 1_000;
const COPY_CHUNK = 10_000;

const copyToRaw = async (from: string, to: string): Promise<number> => {
  const store = openSqliteStore(from, { readonly: true });
  const raw = openRawPeer(to);
  let rows: [string, number, string][] = [];
  let n = 0;
  try {
    for await (const e of store.readAll()) {
      rows.push([e.streamId, e.revision, JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata })]);
      if (rows.length === COPY_CHUNK) {
        raw.appendRows(rows);
        rows = [];
      }
      n++;
    }
    raw.appendRows(rows);
    return n;
  } finally {
    raw.close();
    await store.close();
  }
};

const copyToEmmett = async (from: string, to: string): Promise<number> => {
  const store = openSqliteStore(from, { readonly: true });
  const emmett = await openEmmettPersistent(to);
  let n = 0;
  try {
    for (let k = 0; k < TREASURIES; k++) {
      const events: Event[] = [];
      for await (const e of store.readStream(`treasury-t${k}`))
        events.push({ type: e.type, data: e.data, metadata: { ...e.metadata } } as Event);
      if (events.length > 0) await emmett.append(`treasury-t${k}`, events, 0n);
      n += events.length;
    }
    return n;
  } finally {
    await emmett.close();
    await store.close();
  }
};

export const writeLogFiles = async (
  dir: string,
  small: number,
  large: number,
  log: (line: string) => void,
): Promise<LogFiles> => {
  const files = {
    ballastSmall: join(dir, 'audit-small.db'),
    ballastLarge: join(dir, 'audit-large.db'),
    rawSmall: join(dir, 'raw-small.db'),
    emmettSmall: join(dir, 'emmett-small.db'),
  };
  const fillSeconds: Record<string, number> = {};
  const step = async (name: string, fn: () => Promise<number>) => {
    const s = await time(fn);
    fillSeconds[name] = s.ms / 1000;
    log(`  wrote ${name}: ${s.ops.toLocaleString('en-US')} events in ${(s.ms / 1000).toFixed(1)} s`);
  };
  await step('ballast small', () =>
    createAuditWorkloadFile(files.ballastSmall, { events: small, treasuries: TREASURIES }),
  );
  await step('ballast large', () =>
    createAuditWorkloadFile(files.ballastLarge, { events: large, treasuries: TREASURIES }),
  );
  await step('raw copy of small', () => copyToRaw(files.ballastSmall, files.rawSmall));
  await step('emmett copy of small', () => copyToEmmett(files.ballastSmall, files.emmettSmall));
  return { ...files, small, large, fillSeconds };
};
