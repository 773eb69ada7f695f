import { agentPreset, money, TreasuryConfigCodec } from '@ballast/domain';
import { openBallast, TREASURY, toStored } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median } from './measure';

/**
 * The cost of one command as a stream grows: with the engine's snapshot (warm) it should stay
 * flat; folding the whole stream each time (cold) grows with the stream. Medians over `samples`
 * commands, both on the same SQLite file in the same run.
 */
export const commandCostByStreamLength = async (lengths: readonly number[], samples: number) => {
  const rows: { events: number; warmMs: number; coldMs: number }[] = [];
  for (const length of lengths) {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-bench-engine-'));
    try {
      const store = openSqliteStore(join(dir, 'b.db'));
      let now = Date.UTC(2026, 0, 1);
      const clock = { now: () => (now += 1000) };
      const warm = openBallast({ store, clock });
      const r = await warm.treasuries.execute('alpha', { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) }, { commandId: 'open' });
      if (E.isLeft(r)) throw new Error(r.left.message);
      // Pre-fill with deposits in batches of 500 straight through the store (the events are real).
      for (let done = 1; done < length; done += 500) {
        const n = Math.min(500, length - done);
        const events = Array.from({ length: n }, () => toStored(TREASURY, { type: 'FundsDeposited', at: (now += 1000), bucket: 'reserve', amount: money('1') } as never, { commandId: 'fill' }));
        const appended = await store.append('treasury-alpha', events, { expectedRevision: done - 1, commandId: `fill-${done}` });
        if (E.isLeft(appended)) throw new Error(appended.left.message);
      }
      await warm.treasuries.load('alpha');
      const time = async (ballast: ReturnType<typeof openBallast>, i: number) => {
        const t0 = performance.now();
        const result = await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1', bucket: 'reserve' }, { commandId: `c-${length}-${i}` });
        if (E.isLeft(result)) throw new Error(result.left.message);
        return performance.now() - t0;
      };
      const warmTimes: number[] = [];
      const coldTimes: number[] = [];
      for (let i = 0; i < samples; i++) {
        warmTimes.push(await time(warm, 2 * i));
        coldTimes.push(await time(openBallast({ store, clock }), 2 * i + 1));
      }
      rows.push({ events: length, warmMs: median(warmTimes), coldMs: median(coldTimes) });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
};
