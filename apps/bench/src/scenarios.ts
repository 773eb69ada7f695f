import { openSqliteStore, type EventStore, type NewEventInput } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Sample, time } from './measure';
import { openRawPeer } from './raw-sqlite-peer';

export interface Scenario {
  readonly name: string;
  readonly ballast: () => Promise<Sample>;
  readonly peer: () => Promise<Sample>;
}

const withDir = async <T>(fn: (dir: string) => Promise<T>): Promise<T> => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

// About 180 bytes of JSON, the row size FACTS.md measured.
const event = (i: number): NewEventInput => ({
  type: 'FundsDeposited',
  version: 1,
  data: { amount: `${i % 100000}.${String(i % 999999).padStart(6, '0')}`, bucket: 'reserve', at: 1767225600000 + i, memo: 'benchmark deposit' },
});
const dataOf = (i: number) => JSON.stringify(event(i).data);

const must = async (p: Promise<E.Either<{ message: string }, unknown>>) => {
  const r = await p;
  if (E.isLeft(r)) throw new Error(r.left.message);
};

const ballastRun = (fn: (store: EventStore) => Promise<number>) => () =>
  withDir(async (dir) => {
    const store = openSqliteStore(join(dir, 'b.db'));
    try {
      return await time(() => fn(store));
    } finally {
      await store.close();
    }
  });

const peerRun = (fn: (peer: ReturnType<typeof openRawPeer>) => number) => () =>
  withDir(async (dir) => {
    const peer = openRawPeer(join(dir, 'p.db'));
    try {
      return await time(() => fn(peer));
    } finally {
      peer.close();
    }
  });

export const scenarios = (scale: number): Scenario[] => {
  const singles = 2000 * scale;
  const batches = 200 * scale;
  return [
    {
      name: `single-event appends, one at a time (${singles}, events/s)`,
      ballast: ballastRun(async (store) => {
        for (let i = 0; i < singles; i++) await must(store.append('s-1', [event(i)], { expectedRevision: i === 0 ? 'no_stream' : i - 1, commandId: `c-${i}` }));
        return singles;
      }),
      peer: peerRun((peer) => {
        for (let i = 0; i < singles; i++) peer.appendBatch('s-1', i, [dataOf(i)]);
        return singles;
      }),
    },
    {
      name: `single-event appends, 64 in flight, group commit (${singles * 2}, events/s)`,
      ballast: ballastRun(async (store) => {
        const total = singles * 2;
        for (let i = 0; i < total; i += 64) {
          await Promise.all(Array.from({ length: Math.min(64, total - i) }, (_, k) => must(store.append(`s-${(i + k) % 500}`, [event(i + k)], { expectedRevision: 'any', commandId: `c-${i + k}` }))));
        }
        return total;
      }),
      // The peer's best equivalent: the same 64 rows in one durable transaction.
      peer: peerRun((peer) => {
        const total = singles * 2;
        const revisions = new Map<string, number>();
        for (let i = 0; i < total; i += 64) {
          const rows = Array.from({ length: Math.min(64, total - i) }, (_, k) => {
            const s = `s-${(i + k) % 500}`;
            const r = revisions.get(s) ?? 0;
            revisions.set(s, r + 1);
            return [s, r, dataOf(i + k)] as const;
          });
          peer.appendRows(rows);
        }
        return total;
      }),
    },
    {
      name: `batches of 100 events over 2,000 interleaved streams (${batches * 100}, events/s)`,
      ballast: ballastRun(async (store) => {
        for (let b = 0; b < batches; b++) {
          await must(store.append(`s-${(b * 7919) % 2000}`, Array.from({ length: 100 }, (_, i) => event(b * 100 + i)), { expectedRevision: 'any', commandId: `b-${b}` }));
        }
        return batches * 100;
      }),
      peer: peerRun((peer) => {
        const revisions = new Map<string, number>();
        for (let b = 0; b < batches; b++) {
          const s = `s-${(b * 7919) % 2000}`;
          const r = revisions.get(s) ?? 0;
          revisions.set(s, r + 100);
          peer.appendBatch(s, r, Array.from({ length: 100 }, (_, i) => dataOf(b * 100 + i)));
        }
        return batches * 100;
      }),
    },
  ];
};

/** Reading and verifying are measured on one store of `events` events (no peer: verify has none). */
export const readScenarios = async (events: number): Promise<{ name: string; rate: number }[]> =>
  withDir(async (dir) => {
    const store = openSqliteStore(join(dir, 'r.db'));
    try {
      for (let b = 0; b < events / 100; b++) {
        await must(store.append(`s-${b % 50}`, Array.from({ length: 100 }, (_, i) => event(b * 100 + i)), { expectedRevision: 'any', commandId: `r-${b}` }));
      }
      const read = await time(async () => {
        let n = 0;
        for await (const _ of store.readAll()) n++;
        return n;
      });
      const verify = await time(async () => (await store.verify()).events);
      return [
        { name: `readAll, parsed events (${events}, events/s)`, rate: (read.ops / read.ms) * 1000 },
        { name: `verify, every hash recomputed (${events}, events/s)`, rate: (verify.ops / verify.ms) * 1000 },
      ];
    } finally {
      await store.close();
    }
  });
