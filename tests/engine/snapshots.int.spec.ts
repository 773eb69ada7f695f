import {
  type Ballast,
  type BallastOptions,
  fromRecorded,
  openBallast,
  serializeState,
  type SnapshotProblem,
  stateDigest,
  TREASURY,
} from '@ballast/engine';
import {
  type EventStore,
  openMemoryStore,
  openSqliteStore,
  type SnapshotSlots,
  type StoredSnapshot,
} from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { collect, tempDir } from '../event-store/fixtures';
import { agentConfig, T0 } from '../support/treasury-fixtures';

/** Snapshot slots in memory, keeping every save, until a test's store has its own. */
const memorySlots = () => {
  const slots = new Map<string, StoredSnapshot>();
  const saves: StoredSnapshot[] = [];
  const port: SnapshotSlots = {
    load: async (id) => slots.get(id),
    save: async (s) => {
      slots.set(s.streamId, s);
      saves.push(s);
    },
  };
  return { port, slots, saves };
};

/** Counts the events a store hands out per stream read, to see how much a load folds. */
const counting = (store: EventStore) => {
  let read = 0;
  const counted: EventStore = Object.create(store, {
    readStream: {
      value: (id: string, o?: Parameters<EventStore['readStream']>[1]) => ({
        async *[Symbol.asyncIterator]() {
          for await (const e of store.readStream(id, o)) {
            read += 1;
            yield e;
          }
        },
      }),
    },
  });
  return { store: counted, read: () => read };
};

const sqlite = () => {
  const dir = tempDir('snapshots');
  const path = join(dir.path, 'b.db');
  return {
    store: openSqliteStore(path),
    path,
    dispose: async (store: EventStore) => (await store.close(), dir.remove()),
  };
};

/** A treasury opened and given `deposits` deposits of 1 through the engine (revision = deposits). */
const depositHistory = async (ballast: Ballast, deposits: number, prefix = 'd') => {
  const open = await ballast.treasuries.execute(
    'alpha',
    { type: 'OpenTreasury', config: agentConfig() },
    { commandId: `${prefix}-open` },
  );
  expect(E.isRight(open)).toBe(true);
  for (let i = 0; i < deposits; i++)
    await ballast.treasuries.execute(
      'alpha',
      { type: 'Deposit', amount: '1', bucket: 'reserve' },
      { commandId: `${prefix}${i}` },
    );
  await ballast.snapshots.settled();
  return ballast.treasuries.load('alpha');
};

const clockFrom = (start = T0) => {
  let now = start;
  return { now: () => (now += 1000) };
};

describe('durable snapshots', () => {
  it('persist every N events, tagged and bound to the chain, so a restarted engine folds only the tail', async () => {
    const { store, dispose } = sqlite();
    const slots = memorySlots();
    const first = openBallast({ store, clock: clockFrom(), snapshots: slots.port, snapshotEvery: 100 });
    const live = await depositHistory(first, 250);
    expect(live.revision).toBe(250);
    expect(slots.saves.map((s) => s.revision)).toEqual([99, 199]);
    expect(first.snapshots.counts()).toMatchObject({ saved: 2, saveFailures: 0 });

    const counted = counting(store);
    const restarted = openBallast({ store: counted.store, clock: clockFrom(), snapshots: slots.port });
    const reloaded = await restarted.treasuries.load('alpha');
    // The event at the snapshot's revision (to check its chain hash), then the 51 after it.
    expect(counted.read()).toBe(52);
    expect(reloaded.revision).toBe(250);
    expect(serializeState(reloaded.state)).toBe(serializeState(live.state));
    expect(restarted.snapshots.counts()).toMatchObject({ used: 1, ignored: 0 });

    const cold = counting(store);
    await openBallast({ store: cold.store, clock: clockFrom(), snapshots: false }).treasuries.load('alpha');
    expect(cold.read()).toBe(251);
    await dispose(store);
  });

  it('a snapshot at revision r is exactly the fold of events 0..r, through every kind of treasury event', async () => {
    const store = openMemoryStore();
    const slots = memorySlots();
    let now = T0;
    const ballast = openBallast({ store, clock: { now: () => now }, snapshots: slots.port, snapshotEvery: 1 });
    const run = (c: object, id: string) => ballast.treasuries.executeJson('alpha', c, { commandId: id });
    await run({ type: 'OpenTreasury', config: agentConfig({ sizing: 'lottery' }) }, 'open');
    await run({ type: 'Deposit', amount: '1000' }, 'dep');
    const steps: object[] = [
      { type: 'PlaceBet', betId: 'b1', game: 'coin_flip' },
      { type: 'SettleBet', betId: 'b1', won: false },
      {
        type: 'OpenPosition',
        positionId: 'p1',
        symbol: 'ETH-USD',
        side: 'long',
        entryPrice: '2000',
        leverage: 2,
        stopLoss: '0.02',
        takeProfit: '0.05',
        size: '20',
      },
      { type: 'MarkPrice', symbol: 'ETH-USD', price: '1900' },
      { type: 'RecordValuation', bucket: 'casino', value: '100' },
      { type: 'Transfer', from: 'referral', to: 'reserve', amount: '7.77' },
      { type: 'Rebalance' },
      { type: 'Withdraw', amount: '0.01', bucket: 'reserve' },
    ];
    for (let round = 0; round < 3; round++) {
      for (const [i, step] of steps.entries()) {
        now += 7_200_000;
        const c =
          'betId' in step
            ? { ...step, betId: `b${round}` }
            : 'positionId' in step
              ? { ...step, positionId: `p${round}` }
              : step;
        await run(c, `r${round}-${i}`);
        await ballast.snapshots.settled();
      }
    }
    const events = await collect(store.readStream('treasury-alpha'));
    expect(slots.saves.length).toBeGreaterThan(10);
    let state = TREASURY.decider.initialState;
    const foldAt = new Map<number, { json: string; hash: string }>();
    for (const recorded of events) {
      const event = fromRecorded(TREASURY, recorded);
      if (E.isLeft(event)) throw new Error(event.left.message);
      state = TREASURY.decider.evolve(state, event.right as never);
      foldAt.set(recorded.revision, { json: serializeState(state), hash: recorded.hash });
    }
    for (const saved of slots.saves) {
      const { chainHash, state: savedState } = JSON.parse(saved.stateJson) as { chainHash: string; state: unknown };
      expect(chainHash).toBe(foldAt.get(saved.revision)!.hash);
      expect(JSON.stringify(savedState)).toBe(foldAt.get(saved.revision)!.json);
    }
    // And the state a new engine starts from decides like the full fold.
    const restarted = openBallast({ store, clock: { now: () => now }, snapshots: slots.port });
    const fromSnapshot = await restarted.treasuries.load('alpha');
    expect(restarted.snapshots.counts().used).toBe(1);
    expect(stateDigest(fromSnapshot.state)).toBe(stateDigest(state));
    expect(serializeState(fromSnapshot.state)).toBe(serializeState(state));
    await store.close();
  });

  describe('a stale, foreign or broken snapshot is ignored: full fold, same state, the command still runs', () => {
    const tampered: [string, (s: StoredSnapshot) => StoredSnapshot][] = [
      ['another fold version', (s) => ({ ...s, foldVersion: s.foldVersion + 1 })],
      ['a revision beyond the head', (s) => ({ ...s, revision: 10_000 })],
      ['a revision that is not the one it folded', (s) => ({ ...s, revision: s.revision - 1 })],
      [
        'a changed digit in the state',
        (s) => ({ ...s, stateJson: s.stateJson.replace('"$decimal":"1', '"$decimal":"2') }),
      ],
      ['truncated JSON', (s) => ({ ...s, stateJson: s.stateJson.slice(0, s.stateJson.length / 2) })],
      ['not JSON at all', (s) => ({ ...s, stateJson: 'garbage' })],
      [
        'a valid envelope whose state does not parse',
        (s) => {
          const state = '{"treasury":';
          const sha = createHash('sha256').update(state).digest('hex');
          return {
            ...s,
            stateJson: s.stateJson.replace(
              /"stateSha256":"[0-9a-f]{64}","state":.*$/s,
              `"stateSha256":"${sha}","state":${state}}`,
            ),
          };
        },
      ],
      ["another stream's snapshot", (s) => ({ ...s, streamId: 'treasury-beta' })],
    ];
    it.each(tampered)('%s', async (_name, tamper) => {
      const { store, dispose } = sqlite();
      const slots = memorySlots();
      const live = await depositHistory(openBallast({ store, clock: clockFrom(), snapshots: slots.port }), 150);
      slots.slots.set('treasury-alpha', tamper(slots.slots.get('treasury-alpha')!));
      const problems: SnapshotProblem[] = [];
      const counted = counting(store);
      const restarted = openBallast({
        store: counted.store,
        clock: clockFrom(T0 + 10_000_000),
        snapshots: slots.port,
        onSnapshotProblem: (p) => void problems.push(p),
      });
      const reloaded = await restarted.treasuries.load('alpha');
      expect(counted.read()).toBeGreaterThanOrEqual(151);
      expect(serializeState(reloaded.state)).toBe(serializeState(live.state));
      expect(restarted.snapshots.counts()).toMatchObject({ used: 0, ignored: 1 });
      expect(problems).toEqual([expect.objectContaining({ streamId: 'treasury-alpha', phase: 'ignored' })]);
      const next = await restarted.treasuries.execute(
        'alpha',
        { type: 'Deposit', amount: '1', bucket: 'reserve' },
        { commandId: 'after' },
      );
      expect(E.isRight(next) && next.right.result?.nextExpectedRevision).toBe(151);
      await dispose(store);
    });

    it('a snapshot of another history under the same stream id (the store was replaced)', async () => {
      const slots = memorySlots();
      const old = sqlite();
      await depositHistory(openBallast({ store: old.store, clock: clockFrom(), snapshots: slots.port }), 150);
      await old.dispose(old.store);
      // A new store, the same stream id, a different (longer) history: same revisions, other events.
      const replaced = sqlite();
      const live = await depositHistory(
        openBallast({ store: replaced.store, clock: clockFrom(T0 + 5), snapshots: false }),
        160,
        'e',
      );
      const restarted = openBallast({
        store: replaced.store,
        clock: clockFrom(T0 + 10_000_000),
        snapshots: slots.port,
      });
      const reloaded = await restarted.treasuries.load('alpha');
      expect(serializeState(reloaded.state)).toBe(serializeState(live.state));
      expect(restarted.snapshots.counts()).toMatchObject({ used: 0, ignored: 1 });
      await replaced.dispose(replaced.store);
    });
  });

  it('on a SQLite file by default: a reopened store and a new engine start from the snapshot in the file', async () => {
    const { store, path, dispose } = sqlite();
    const first = openBallast({ store, clock: clockFrom() });
    expect(first.snapshots.durable).toBe(true);
    const live = await depositHistory(first, 250);
    expect(first.snapshots.counts()).toMatchObject({ saved: 2, saveFailures: 0 });
    await store.close();

    const reopened = openSqliteStore(path);
    const counted = counting(reopened);
    const restarted = openBallast({ store: counted.store, clock: clockFrom(T0 + 10_000_000) });
    const reloaded = await restarted.treasuries.load('alpha');
    expect(counted.read()).toBe(52);
    expect(restarted.snapshots.counts()).toMatchObject({ used: 1, ignored: 0 });
    expect(serializeState(reloaded.state)).toBe(serializeState(live.state));
    const next = await restarted.treasuries.execute(
      'alpha',
      { type: 'Deposit', amount: '1', bucket: 'reserve' },
      { commandId: 'after-reopen' },
    );
    expect(E.isRight(next) && next.right.result?.nextExpectedRevision).toBe(251);
    await restarted.snapshots.settled();
    await dispose(reopened);
  });

  it('slots that fail to load or save never fail a command; the failures are counted and reported', async () => {
    const { store, dispose } = sqlite();
    const problems: SnapshotProblem[] = [];
    const broken: SnapshotSlots = {
      load: async () => {
        throw new Error('disk on fire');
      },
      save: () => {
        throw new Error('read-only slot');
      },
    };
    const options: BallastOptions = {
      store,
      clock: clockFrom(),
      snapshots: broken,
      snapshotEvery: 10,
      onSnapshotProblem: (p) => void problems.push(p),
    };
    const ballast = openBallast(options);
    const live = await depositHistory(ballast, 25);
    expect(live.revision).toBe(25);
    expect(ballast.snapshots.counts()).toMatchObject({ loadFailures: 1, saveFailures: 2, saved: 0 });
    expect(problems.map((p) => p.phase)).toEqual(['load', 'save', 'save']);

    const throwingHook = openBallast({
      ...options,
      onSnapshotProblem: () => {
        throw new Error('a broken hook');
      },
    });
    expect(
      E.isRight(
        await throwingHook.treasuries.execute(
          'alpha',
          { type: 'Deposit', amount: '1', bucket: 'reserve' },
          { commandId: 'x' },
        ),
      ),
    ).toBe(true);
    await dispose(store);
  });

  it('snapshots: false keeps them in memory only, even when slots exist', async () => {
    const store = openMemoryStore();
    const slots = memorySlots();
    const ballast = openBallast({
      store: Object.assign(Object.create(store) as EventStore, { snapshots: slots.port }),
      clock: clockFrom(),
      snapshots: false,
    });
    await depositHistory(ballast, 120);
    expect(ballast.snapshots.durable).toBe(false);
    expect(slots.saves).toEqual([]);
    await store.close();
  });

  it("the store's own slots are used by default", async () => {
    const store = openMemoryStore();
    const slots = memorySlots();
    const ballast = openBallast({
      store: Object.assign(Object.create(store) as EventStore, { snapshots: slots.port }),
      clock: clockFrom(),
    });
    await depositHistory(ballast, 120);
    expect(ballast.snapshots.durable).toBe(true);
    expect(slots.saves.map((s) => s.revision)).toEqual([99]);
    await store.close();
  });
  it("a command answered with its twin's result (same id and events, landed first at a later revision) caches nothing", async () => {
    const inner = openMemoryStore();
    // Holds the first append of command id x until released, so its twin lands first.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    let xAppends = 0;
    const store: EventStore = Object.create(inner, {
      append: {
        value: async (...args: Parameters<EventStore['append']>) => {
          if (args[2].commandId === 'x' && ++xAppends === 1) {
            held();
            await gate;
          }
          return inner.append(...args);
        },
      },
    });
    const at = { now: () => T0 };
    const ballast = openBallast({ store, clock: at });
    // The twin comes from another engine on the same store (another process): one engine runs a
    // stream's commands one at a time, so within it the twin would wait for the held command.
    const other = openBallast({ store, clock: at });
    const deposit = (engine: typeof ballast, amount: string, commandId: string) =>
      engine.treasuries.execute('alpha', { type: 'Deposit', amount, bucket: 'reserve' }, { commandId });
    await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config: agentConfig() }, { commandId: 'open' });
    const late = deposit(ballast, '10', 'x'); // decided on revision 0
    await holding;
    expect(E.isRight(await deposit(other, '5', 'y'))).toBe(true); // revision 1
    const first = await deposit(other, '10', 'x'); // the twin, decided on revision 1: lands at revision 2
    release();
    const answered = await late;

    expect(answered).toEqual(E.right({ ...(first as E.Right<object>).right, replayed: true }));
    const truth = await openBallast({ store: inner, clock: at, snapshots: false }).treasuries.load('alpha');
    const cached = await ballast.treasuries.load('alpha');
    expect(cached.revision).toBe(2);
    expect(stateDigest(cached.state)).toBe(stateDigest(truth.state));
    // What the cache holds is what a durable save would write: it must be the fold of the log.
    expect(String(truth.state.treasury.buckets.reserve)).toBe('15');
    await inner.close();
  });
});
