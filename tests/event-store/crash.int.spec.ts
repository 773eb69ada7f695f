import { openSqliteStore } from '@ballast/event-store';
import { join } from 'node:path';
import { spawnChild } from './child-process';
import { collect, tempDir } from './fixtures';

const KILLS = Number(process.env.BALLAST_CRASH_KILLS ?? 24);

interface Ack {
  readonly commandId: string;
  readonly size: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
}

const parseAcks = (lines: string[]): Ack[] =>
  lines
    .filter((l) => l.startsWith('ACK '))
    .map((l) => {
      const [, commandId, size, first, last] = l.split(' ');
      return { commandId: commandId!, size: Number(size), firstPosition: Number(first), lastPosition: Number(last) };
    });

/** Deterministic kill delays, so a failing run can be repeated. */
const delays = Array.from({ length: KILLS }, (_, i) => 5 + ((i * 37) % 140));

describe('G4: durability under kill -9 (SQLite)', () => {
  it(`keeps every acknowledged append, shows no half batch and verifies every chain after ${KILLS} kills`, async () => {
    const dir = tempDir('crash');
    const db = join(dir.path, 'ballast.db');
    const acked: Ack[] = [];
    try {
      for (const [round, delayMs] of delays.entries()) {
        const child = spawnChild('crash-writer.ts', [db, `r${round}`]);
        await child.waitFor(/^READY$/);
        // At least one acknowledged append per round, then a kill at a varying moment after it.
        await child.waitFor(/^ACK /);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        child.process.kill('SIGKILL');
        await child.exited;
        acked.push(...parseAcks(child.lines));

        const store = openSqliteStore(db);
        try {
          const report = await store.verify();
          expect(report).toMatchObject({ ok: true });
          const batches = new Map<string, { size: number; indexes: number[]; positions: number[] }>();
          for await (const event of store.readAll()) {
            const { batch, index, size } = event.data as { batch: string; index: number; size: number };
            const entry = batches.get(batch) ?? { size, indexes: [], positions: [] };
            entry.indexes.push(index);
            entry.positions.push(event.position);
            batches.set(batch, entry);
          }
          for (const [batch, entry] of batches) {
            // No half batch: every batch that is visible at all is visible whole and contiguous.
            expect({ batch, indexes: entry.indexes }).toEqual({
              batch,
              indexes: Array.from({ length: entry.size }, (_, i) => i),
            });
          }
          for (const ack of acked) {
            const found = batches.get(ack.commandId);
            expect({ ack: ack.commandId, found: found?.positions[0] }).toEqual({
              ack: ack.commandId,
              found: ack.firstPosition,
            });
            expect(found!.positions[found!.positions.length - 1]).toBe(ack.lastPosition);
          }
        } finally {
          await store.close();
        }
      }
      // The kills must have landed while appends were in flight, or this test proves nothing.
      expect(acked.length).toBeGreaterThanOrEqual(KILLS);
      const final = openSqliteStore(db, { readonly: true });
      expect((await collect(final.readAll())).length).toBeGreaterThan(acked.reduce((n, a) => n + a.size, 0) - 1);
      await final.close();
    } finally {
      dir.remove();
    }
  }, 180_000);
});
