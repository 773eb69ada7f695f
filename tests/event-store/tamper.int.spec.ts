import { canonicalEnvelope, chainHash, openSqliteStore, type EventStore } from '@ballast/event-store';
import type { RecordedEvent } from '@ballast/domain';
import Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './fixtures';

/** Writes 3 streams × 40 events; event (s-1, 17) carries a marker that is easy to find in the file. */
const populate = async (store: EventStore): Promise<void> => {
  for (let i = 0; i < 40; i++) {
    for (const s of ['s-0', 's-1', 's-2']) {
      const memo = s === 's-1' && i === 17 ? 'TARGET-MARKER-7f3a' : `memo-${s}-${i}`;
      const result = await store.append(
        s,
        [{ type: 'FundsDeposited', version: 1, data: { amount: `${i}.25`, memo } }],
        { expectedRevision: 'any', commandId: `${s}-${i}` },
      );
      if (E.isLeft(result)) throw new Error(result.left.message);
    }
  }
};

const flipByteAt = (file: string, find: (bytes: Buffer) => number): void => {
  const bytes = readFileSync(file);
  const at = find(bytes);
  if (at < 0) throw new Error('marker not found in the database file');
  bytes[at] = bytes[at]! ^ 0x01;
  writeFileSync(file, bytes);
};

describe('G3: tamper evidence (SQLite)', () => {
  let dir: ReturnType<typeof tempDir>;
  let db: string;
  beforeEach(async () => {
    dir = tempDir('tamper');
    db = join(dir.path, 'ballast.db');
    const store = openSqliteStore(db);
    await populate(store);
    // Closing checkpoints the WAL into the main file, so the bytes we flip are the only copy.
    await store.close();
  });
  afterEach(() => dir.remove());

  const verifyReadOnly = async () => {
    const store = openSqliteStore(db, { readonly: true });
    try {
      return await store.verify();
    } finally {
      await store.close();
    }
  };

  it('passes on the untouched file', async () => {
    expect(await verifyReadOnly()).toEqual({ ok: true, streams: 3, events: 120, headPosition: 120 });
  });

  it('names the stream and revision when one byte of an event payload is flipped in the file', async () => {
    flipByteAt(db, (bytes) => bytes.indexOf('TARGET-MARKER-7f3a') + 7);
    expect(await verifyReadOnly()).toMatchObject({
      ok: false,
      problem: { kind: 'HASH_MISMATCH', streamId: 's-1', revision: 17, position: 53 },
    });
  });

  it('names the stream and revision when one byte of an amount is flipped', async () => {
    // The amount "23.25" of (s-2, 23) becomes "23.24": still valid JSON and a valid amount.
    flipByteAt(db, (bytes) => bytes.indexOf('{"amount":"23.25","memo":"memo-s-2-23"}') + 15);
    expect(await verifyReadOnly()).toMatchObject({
      ok: false,
      problem: { kind: 'HASH_MISMATCH', streamId: 's-2', revision: 23 },
    });
  });

  it('names a removed event in the middle of a stream as a revision gap', async () => {
    const raw = new Database(db);
    raw.prepare(`DELETE FROM events WHERE position = 8`).run();
    raw.close();
    expect(await verifyReadOnly()).toMatchObject({
      ok: false,
      problem: { kind: 'REVISION_GAP', streamId: 's-1', revision: 3 },
    });
  });

  it('names a removed last event as a head mismatch', async () => {
    const raw = new Database(db);
    raw.prepare(`DELETE FROM events WHERE position = 120`).run();
    raw.close();
    expect(await verifyReadOnly()).toMatchObject({
      ok: false,
      problem: { kind: 'HEAD_MISMATCH', streamId: 's-2', revision: 39 },
    });
  });

  it("catches an editor who recomputes the edited event's hash: the next event chained from the original", async () => {
    const raw = new Database(db);
    const row = (position: number) =>
      raw
        .prepare(
          `SELECT s.stream_id AS streamId, e.revision, e.event_id AS eventId, e.type, e.version,
                  e.metadata AS metadataJson, e.hash
           FROM events e JOIN streams s USING (stream_no) WHERE position = ?`,
        )
        .get(position) as {
        streamId: string;
        revision: number;
        eventId: string;
        type: string;
        version: number;
        metadataJson: string;
        hash: string;
      };
    const previous = row(13);
    const edited = { ...row(16), dataJson: '{"amount":"999","memo":"memo-s-0-5"}' };
    expect([previous.streamId, previous.revision, edited.streamId, edited.revision]).toEqual(['s-0', 4, 's-0', 5]);
    raw
      .prepare(`UPDATE events SET data = ?, hash = ? WHERE position = 16`)
      .run(edited.dataJson, chainHash(previous.hash, canonicalEnvelope(edited)));
    raw.close();
    expect(await verifyReadOnly()).toMatchObject({
      ok: false,
      problem: { kind: 'HASH_MISMATCH', streamId: 's-0', revision: 6 },
    });
  });

  describe('verify and read in one pass (onEvent)', () => {
    const verifyAndRead = async () => {
      const store = openSqliteStore(db, { readonly: true });
      try {
        const seen: RecordedEvent[] = [];
        const report = await store.verify({ onEvent: (e) => void seen.push(e) });
        const all: RecordedEvent[] = [];
        for await (const e of store.readAll()) all.push(e);
        return { report, seen, all };
      } finally {
        await store.close();
      }
    };

    it('hands over every event, as readAll reads it, with the same report as verify', async () => {
      const { report, seen, all } = await verifyAndRead();
      expect(report).toEqual(await verifyReadOnly());
      expect(seen).toEqual(all);
    });

    it('awaits a handler that returns a promise before the next event', async () => {
      const store = openSqliteStore(db, { readonly: true });
      const order: number[] = [];
      try {
        await store.verify({
          onEvent: async (e) => {
            await new Promise((resolve) => setImmediate(resolve));
            order.push(e.position);
          },
        });
      } finally {
        await store.close();
      }
      expect(order).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    });

    it('stops before the first edited event and names it, having handed over only the events before it', async () => {
      flipByteAt(db, (bytes) => bytes.indexOf('TARGET-MARKER-7f3a') + 7);
      const { report, seen } = await verifyAndRead();
      expect(report).toEqual(await verifyReadOnly());
      expect(report).toMatchObject({
        ok: false,
        problem: { kind: 'HASH_MISMATCH', streamId: 's-1', revision: 17, position: 53 },
      });
      expect(seen.map((e) => e.position)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    });

    it('reports a removed last event after handing over every event left', async () => {
      const raw = new Database(db);
      raw.prepare(`DELETE FROM events WHERE position = 120`).run();
      raw.close();
      const { report, seen } = await verifyAndRead();
      expect(report).toMatchObject({ ok: false, problem: { kind: 'HEAD_MISMATCH', streamId: 's-2', revision: 39 } });
      expect(seen).toHaveLength(119);
    });
  });
});
