import {
  auditStore,
  escrowSettlement,
  openBallast,
  openSqliteCheckpoints,
  runProcessManager,
  runProjection,
} from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { join } from 'node:path';
import { spawnChild } from '../event-store/child-process';
import { collect, tempDir } from '../event-store/fixtures';
import { counter } from './counter-projection';

const ROUNDS = Number(process.env.BALLAST_ENGINE_CRASH_ROUNDS ?? 8);

describe('G4 through the engine: kill -9 during a busy run', () => {
  it(`audits clean, projections resume from checkpoints without double counting, and the saga acts once (${ROUNDS} kills)`, async () => {
    const dir = tempDir('engine-crash');
    const db = join(dir.path, 'ballast.db');
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const child = spawnChild(join(__dirname, 'children', 'engine-writer.ts'), [db, `r${round}`]);
        await child.waitFor(/^READY$/, 30_000);
        await child.waitFor(/^ACK /, 30_000);
        await new Promise((resolve) => setTimeout(resolve, 40 + ((round * 53) % 200)));
        child.process.kill('SIGKILL');
        await child.exited;

        const store = openSqliteStore(db);
        const checkpoints = openSqliteCheckpoints(`${db}.read-models`);
        try {
          expect(await auditStore(store)).toMatchObject({ ok: true });
          const head = await store.headPosition();
          const saved = await checkpoints.load('counter');
          expect(saved!.position).toBeLessThanOrEqual(head);
          const projection = await runProjection(store, checkpoints, counter);
          await projection.whenProcessed(head);
          // Resumed from its checkpoint: every event counted once, none twice (evolve throws on a gap or a repeat).
          expect(projection.state$.value).toEqual({ count: head, last: head });
          expect(await checkpoints.deadLetters('counter')).toEqual([]);
          await projection.stop();
        } finally {
          await checkpoints.close();
          await store.close();
        }
      }
      // Finish the saga's backlog, then every escrow has exactly one lock in its payer's treasury.
      const store = openSqliteStore(db);
      const checkpoints = openSqliteCheckpoints(`${db}.read-models`);
      // Later than every round's event time: a command stamped before a stream's last event is refused.
      const ballast = openBallast({ store, clock: { now: () => Date.UTC(2026, 5, 1) } });
      const saga = await runProcessManager(ballast, checkpoints, escrowSettlement('none'));
      for (let head = -1; head !== (await store.headPosition());) {
        head = await store.headPosition();
        await saga.whenProcessed(head);
      }
      await saga.stop();
      const events = await collect(store.readAll());
      const created = events.filter((e) => e.type === 'EscrowCreated').map((e) => e.streamId.slice('escrow-'.length));
      const locks = events.filter((e) => e.type === 'EscrowLocked').map((e) => e.data.escrowId as string);
      expect(created.length).toBeGreaterThanOrEqual(ROUNDS);
      expect([...locks].sort()).toEqual([...created].sort());
      await checkpoints.close();
      await store.close();
    } finally {
      dir.remove();
    }
  }, 240_000);
});
