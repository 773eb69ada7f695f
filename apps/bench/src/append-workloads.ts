import { openSqliteStore, type EventStore } from '@ballast/event-store';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { ballastDeposit, emmettDeposit, rawDeposit } from './deposits';
import { type EmmettPeer, openEmmettDefault, openEmmettPersistent } from './emmett-peer';
import { rateOf, time, withDir } from './measure';
import { openRawPeer, type RawPeer } from './raw-sqlite-peer';
import type { Contender, Target, Unit } from './workload';

export interface WorkloadSpec {
  readonly id: string;
  readonly title: string;
  readonly unit: Unit;
  readonly target?: Target;
  readonly note?: string;
  readonly contenders: Contender[];
}

const must = async (p: Promise<E.Either<{ message: string }, unknown>>) => {
  const r = await p;
  if (E.isLeft(r)) throw new Error(r.left.message);
};

/** Each run gets a new, empty file; the figure is events per second. */
const ballast =
  (fn: (store: EventStore) => Promise<number>): Contender['run'] =>
  () =>
    withDir(async (dir) => {
      const store = openSqliteStore(join(dir, 'b.db'));
      try {
        return rateOf(await time(() => fn(store)));
      } finally {
        await store.close();
      }
    });

const raw =
  (fn: (peer: RawPeer) => number): Contender['run'] =>
  () =>
    withDir(async (dir) => {
      const peer = openRawPeer(join(dir, 'r.db'));
      try {
        return rateOf(await time(() => fn(peer)));
      } finally {
        peer.close();
      }
    });

/** After the run, every acknowledged event must be in the file, or the figure would count lost writes. */
const emmett =
  (open: (file: string) => Promise<EmmettPeer>, fn: (peer: EmmettPeer) => Promise<number>): Contender['run'] =>
  () =>
    withDir(async (dir) => {
      const file = join(dir, 'e.db');
      const peer = await open(file);
      let sample;
      try {
        sample = await time(() => fn(peer));
      } finally {
        await peer.close();
      }
      const db = new Database(file, { readonly: true });
      const rows = (db.prepare('SELECT count(*) AS n FROM emt_messages').get() as { n: number }).n;
      db.close();
      if (rows !== sample.ops) throw new Error(`emmett: ${sample.ops} events acknowledged, ${rows} in the file`);
      return rateOf(sample);
    });

/** Emmett's default setup opens a connection per call (~300/s): fewer appends keep the run short. */
const DEFAULT_SETUP_SHARE = 4;

export const appendWorkloads = (scale: number): WorkloadSpec[] => {
  const singles = Math.max(64, Math.round(2000 * scale));
  const waves = Math.max(2, Math.round(64 * scale));
  const batches = Math.max(20, Math.round(1000 * scale));
  const singleEmmett = (n: number) => async (peer: EmmettPeer) => {
    for (let i = 0; i < n; i++) await peer.append('s-1', [emmettDeposit(i)], BigInt(i));
    return n;
  };
  const batchStream = (b: number) => `s-${(b * 7919) % 2000}`;
  const batchesEmmett = (n: number) => async (peer: EmmettPeer) => {
    const versions = new Map<string, number>();
    for (let b = 0; b < n; b++) {
      const s = batchStream(b);
      const v = versions.get(s) ?? 0;
      versions.set(s, v + 100);
      await peer.append(
        s,
        Array.from({ length: 100 }, (_, i) => emmettDeposit(b * 100 + i)),
        BigInt(v),
      );
    }
    return n * 100;
  };
  return [
    {
      id: 'single-appends',
      title: 'single durable appends, one caller',
      unit: 'events/s',
      target: { text: '≥ 0.8× raw', kind: 'ratio', vs: 'raw', min: 0.8 },
      note: `${singles} appends to one stream, each awaited (Emmett default: ${Math.round(singles / DEFAULT_SETUP_SHARE)})`,
      contenders: [
        {
          side: 'ballast',
          run: ballast(async (store) => {
            for (let i = 0; i < singles; i++)
              await must(
                store.append('s-1', [ballastDeposit(i)], {
                  expectedRevision: i === 0 ? 'no_stream' : i - 1,
                  commandId: `c-${i}`,
                }),
              );
            return singles;
          }),
        },
        { side: 'emmett', run: emmett(openEmmettPersistent, singleEmmett(singles)) },
        {
          side: 'emmettDefault',
          run: emmett(openEmmettDefault, singleEmmett(Math.round(singles / DEFAULT_SETUP_SHARE))),
        },
        {
          side: 'raw',
          run: raw((peer) => {
            for (let i = 0; i < singles; i++) peer.insertOne('s-1', i, rawDeposit(i));
            return singles;
          }),
        },
      ],
    },
    {
      id: 'concurrent-appends',
      title: '64 concurrent callers (group commit)',
      unit: 'events/s',
      target: { text: '≥ 0.5× raw', kind: 'ratio', vs: 'raw', min: 0.5 },
      note:
        `${waves} waves of 64 single-event appends in flight, one stream per caller; ` +
        'raw writes each wave in one transaction (its best case); ' +
        "Emmett's one connection nests the 64 calls into one transaction; " +
        'its default setup loses them (see the finding)',
      contenders: [
        {
          side: 'ballast',
          run: ballast(async (store) => {
            for (let w = 0; w < waves; w++) {
              await Promise.all(
                Array.from({ length: 64 }, (_, k) =>
                  must(
                    store.append(`s-${k}`, [ballastDeposit(w * 64 + k)], {
                      expectedRevision: w === 0 ? 'no_stream' : w - 1,
                      commandId: `c-${w}-${k}`,
                    }),
                  ),
                ),
              );
            }
            return waves * 64;
          }),
        },
        {
          side: 'emmett',
          run: emmett(openEmmettPersistent, async (peer) => {
            for (let w = 0; w < waves; w++)
              await Promise.all(
                Array.from({ length: 64 }, (_, k) => peer.append(`s-${k}`, [emmettDeposit(w * 64 + k)], BigInt(w))),
              );
            return waves * 64;
          }),
        },
        {
          side: 'raw',
          run: raw((peer) => {
            for (let w = 0; w < waves; w++)
              peer.appendRows(Array.from({ length: 64 }, (_, k) => [`s-${k}`, w, rawDeposit(w * 64 + k)] as const));
            return waves * 64;
          }),
        },
      ],
    },
    {
      id: 'batch-appends',
      title: 'batches of 100 over 2,000 interleaved streams',
      unit: 'events/s',
      target: { text: '≥ 0.6× raw', kind: 'ratio', vs: 'raw', min: 0.6 },
      note:
        `${batches} batches (${batches * 100} events), exact expected revisions; ` +
        `Emmett default: ${Math.round(batches / DEFAULT_SETUP_SHARE)} batches`,
      contenders: [
        {
          side: 'ballast',
          run: ballast(async (store) => {
            const revisions = new Map<string, number>();
            for (let b = 0; b < batches; b++) {
              const s = batchStream(b);
              const r = revisions.get(s) ?? 0;
              revisions.set(s, r + 100);
              const events = Array.from({ length: 100 }, (_, i) => ballastDeposit(b * 100 + i));
              await must(
                store.append(s, events, { expectedRevision: r === 0 ? 'no_stream' : r - 1, commandId: `b-${b}` }),
              );
            }
            return batches * 100;
          }),
        },
        { side: 'emmett', run: emmett(openEmmettPersistent, batchesEmmett(batches)) },
        {
          side: 'emmettDefault',
          run: emmett(openEmmettDefault, batchesEmmett(Math.round(batches / DEFAULT_SETUP_SHARE))),
        },
        {
          side: 'raw',
          run: raw((peer) => {
            const revisions = new Map<string, number>();
            for (let b = 0; b < batches; b++) {
              const s = batchStream(b);
              const r = revisions.get(s) ?? 0;
              revisions.set(s, r + 100);
              peer.appendBatch(
                s,
                r,
                Array.from({ length: 100 }, (_, i) => rawDeposit(b * 100 + i)),
              );
            }
            return batches * 100;
          }),
        },
      ],
    },
  ];
};
