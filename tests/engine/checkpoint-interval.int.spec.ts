import { type CheckpointStore, memoryCheckpoints, type Projection, runProjection } from '@ballast/engine';
import { type EventStore, openMemoryStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';

const counter: Projection<{ count: number }> = {
  name: 'counter',
  version: 1,
  initial: { count: 0 },
  evolve: (s) => ({ count: s.count + 1 }),
};

/** A checkpoint store that counts its saves. */
const counting = (): CheckpointStore & { saves: number } => {
  const inner = memoryCheckpoints();
  const store = {
    saves: 0,
    load: inner.load,
    deadLetters: inner.deadLetters,
    close: inner.close,
    save: async (...args: Parameters<CheckpointStore['save']>) => {
      store.saves += 1;
      await inner.save(...args);
    },
  };
  return store;
};

/** One event at a time, each awaited until the projection has it: the projection is caught up after each. */
const trickle = async (store: EventStore, whenProcessed: (p: number) => Promise<void>, n: number) => {
  for (let i = 0; i < n; i++) {
    const r = await store.append('s-1', [{ type: 'Noted', version: 1, data: { i } }], {
      expectedRevision: 'any',
      commandId: `c-${(await store.headPosition()) + 1}`,
    });
    if (E.isLeft(r)) throw new Error(r.left.message);
    await whenProcessed(r.right.lastPosition);
  }
};

describe('checkpointIntervalMs: a caught-up projection saves at most once per interval', () => {
  it('by default saves every time it catches up (one save per trickled event)', async () => {
    const store = openMemoryStore();
    const checkpoints = counting();
    const p = await runProjection(store, checkpoints, counter);
    await trickle(store, p.whenProcessed, 20);
    await p.stop();
    expect(checkpoints.saves).toBeGreaterThanOrEqual(20);
  });

  it('with an interval, coalesces the saves, and still saves the last position on stop and after the interval', async () => {
    const store = openMemoryStore();
    const checkpoints = counting();
    const p = await runProjection(store, checkpoints, counter, { checkpointIntervalMs: 200 });
    await trickle(store, p.whenProcessed, 20);
    expect(checkpoints.saves).toBeLessThanOrEqual(2);
    // The deferred save lands after the interval, without another event.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await checkpoints.load('counter'))?.position).toBe(20);
    await trickle(store, p.whenProcessed, 1);
    await p.stop();
    expect((await checkpoints.load('counter'))?.position).toBe(21);
    expect(checkpoints.saves).toBeLessThanOrEqual(4);
  });
});
