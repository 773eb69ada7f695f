import {
  type CheckpointStore,
  type DeadLetter,
  memoryCheckpoints,
  openSqliteCheckpoints,
  type Projection,
  runProjection,
} from '@ballast/engine';
import { type EventStore, openMemoryStore, openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { tempDir } from '../event-store/fixtures';

const counter = (version = 1): Projection<{ count: number; last: number }> => ({
  name: 'counter',
  version,
  initial: { count: 0, last: 0 },
  evolve: (s, e) => {
    if (e.position !== s.last + 1) throw new Error(`gap or repeat: ${s.last} then ${e.position}`);
    return { count: s.count + 1, last: e.position };
  },
});

const append = async (store: EventStore, n: number, type = 'Noted') => {
  for (let i = 0; i < n; i++) {
    const r = await store.append('s-1', [{ type, version: 1, data: { i } }], {
      expectedRevision: 'any',
      commandId: `c-${type}-${(await store.headPosition()) + 1}`,
    });
    if (E.isLeft(r)) throw new Error(r.left.message);
  }
};

describe.each([
  [
    'memory checkpoints',
    () => ({ checkpoints: memoryCheckpoints(), reopen: (c: CheckpointStore) => c, dispose: () => undefined }),
  ],
  [
    'sqlite checkpoints',
    () => {
      const dir = tempDir('checkpoints');
      const path = join(dir.path, 'read-models.db');
      return {
        checkpoints: openSqliteCheckpoints(path),
        reopen: () => openSqliteCheckpoints(path),
        dispose: () => dir.remove(),
      };
    },
  ],
])('projections with %s', (_name, make) => {
  let store: EventStore;
  let fixture: ReturnType<typeof make>;
  beforeEach(() => {
    store = openMemoryStore();
    fixture = make();
  });
  afterEach(async () => {
    await store.close();
    fixture.dispose();
  });

  it('catches up, goes live, and resolves whenProcessed for a write (read your own writes)', async () => {
    await append(store, 30);
    const p = await runProjection(store, fixture.checkpoints, counter());
    await append(store, 5);
    await p.whenProcessed(await store.headPosition());
    expect(p.state$.value).toEqual({ count: 35, last: 35 });
    await p.stop();
    await fixture.checkpoints.close();
  });

  it('resumes from its durable checkpoint after a restart: nothing counted twice, nothing missed', async () => {
    await append(store, 20);
    const first = await runProjection(store, fixture.checkpoints, counter(), { checkpointEvery: 7 });
    await first.whenProcessed(20);
    await first.stop();
    await fixture.checkpoints.close();
    await append(store, 15);
    const checkpoints = fixture.reopen(fixture.checkpoints);
    expect(await checkpoints.load('counter')).toMatchObject({ version: 1, position: 20 });
    const second = await runProjection(store, checkpoints, counter());
    await second.whenProcessed(35);
    expect(second.state$.value).toEqual({ count: 35, last: 35 });
    await second.stop();
    expect(await checkpoints.deadLetters('counter')).toEqual([]);
    await checkpoints.close();
  });

  it('rebuilds from the first event when its version changes', async () => {
    await append(store, 10);
    const v1 = await runProjection(store, fixture.checkpoints, counter(1));
    await v1.whenProcessed(10);
    await v1.stop();
    const v2 = await runProjection(store, fixture.checkpoints, {
      ...counter(2),
      evolve: (s, e) => ({ count: s.count + 10, last: e.position }),
    });
    await v2.whenProcessed(10);
    expect(v2.state$.value.count).toBe(100);
    await v2.stop();
    await fixture.checkpoints.close();
  });

  it('retries a failing handler with backoff, then parks the event as a dead letter and reports it, never skipping silently', async () => {
    await append(store, 3);
    await append(store, 1, 'Poison');
    await append(store, 2);
    let flaky = 2;
    const attempts: number[] = [];
    const projection: Projection<{ seen: number[] }> = {
      name: 'picky',
      version: 1,
      initial: { seen: [] },
      evolve: (s, e) => {
        if (e.type === 'Poison') {
          attempts.push(e.position);
          throw new Error('cannot digest poison');
        }
        if (e.position === 2 && flaky-- > 0) throw new Error('transient');
        return { seen: [...s.seen, e.position] };
      },
    };
    const p = await runProjection(store, fixture.checkpoints, projection, { maxAttempts: 4, backoffMs: 1 });
    const reported: DeadLetter[] = [];
    p.deadLetters$.subscribe((l) => reported.push(l));
    await p.whenProcessed(6);
    expect(p.state$.value.seen).toEqual([1, 2, 3, 5, 6]);
    expect(attempts).toEqual([4, 4, 4, 4]);
    await p.stop();
    expect(await fixture.checkpoints.deadLetters('picky')).toEqual([
      { position: 4, streamId: 's-1', revision: 3, type: 'Poison', error: 'cannot digest poison', attempts: 4 },
    ]);
    expect(reported.map((l) => l.position)).toEqual([4]);
    await fixture.checkpoints.close();
  });
});

describe('a projection over the SQLite store', () => {
  it('works the same over a real store file', async () => {
    const dir = tempDir('proj-sqlite');
    const store = openSqliteStore(join(dir.path, 'b.db'));
    await append(store, 12);
    const p = await runProjection(store, memoryCheckpoints(), counter());
    await append(store, 3);
    await p.whenProcessed(15);
    expect(p.state$.value.count).toBe(15);
    await p.stop();
    await store.close();
    dir.remove();
  });
});
