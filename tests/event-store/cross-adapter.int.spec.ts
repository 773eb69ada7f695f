import { openMemoryStore, openSqliteStore, type EventStore } from '@ballast/event-store';
import fc from 'fast-check';
import { join } from 'node:path';
import { collect, tempDir } from './fixtures';

describe('every adapter stores the same bytes', () => {
  it('G1: the same appends give identical events, event ids and hashes in memory and in SQLite', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            stream: fc.constantFrom('treasury-a', 'pool-b', 'escrow-c'),
            memos: fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 5 }),
          }),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        async (appends) => {
          const dir = tempDir('cross');
          const stores: EventStore[] = [openMemoryStore(), openSqliteStore(join(dir.path, 'b.db'))];
          try {
            for (const store of stores) {
              for (const [i, a] of appends.entries()) {
                await store.append(
                  a.stream,
                  a.memos.map((memo) => ({ type: 'Noted', version: 1, data: { memo, amount: '1.25' } })),
                  { expectedRevision: 'any', commandId: `c-${i}` },
                );
              }
            }
            const [memory, sqlite] = await Promise.all(stores.map((s) => collect(s.readAll())));
            expect(sqlite).toEqual(memory);
            expect(memory).toHaveLength(appends.reduce((n, a) => n + a.memos.length, 0));
          } finally {
            await Promise.all(stores.map((s) => s.close()));
            dir.remove();
          }
        },
      ),
      { numRuns: 25 },
    );
  });
});
