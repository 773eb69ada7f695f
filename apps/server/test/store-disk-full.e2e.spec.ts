import { openSqliteCheckpoints } from '@ballast/engine';
import { type EventStore, openSqliteStore, StoreError } from '@ballast/event-store';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { faultDir, mountTmpfs, reportMode } from '../../../tests/faults/support/fault-fs';
import { startServer } from '../src';
import { callerOf, writeOperatorKey } from './server-fixture';
import { agentConfig } from '../../../tests/support/treasury-fixtures';

/**
 * Issue 18: a command the store cannot record because its disk is full is 503 with the store's code
 * (not 500 INTERNAL), and the same Idempotency-Key applies it once space returns. With permission to
 * mount, the store sits on a 2 MiB tmpfs filled by a file; without, its appends are refused with the
 * adapter's DISK_FULL by a wrapper (the mapping alone), and the test says so.
 */
describe('Server over a store whose disk fills up', () => {
  const dir = faultDir('server-disk-full');
  afterAll(() => dir.cleanUp());

  it('answers 503 DISK_FULL without the store path, and the same Idempotency-Key succeeds once space returns', async () => {
    const disk = mountTmpfs(dir, 'disk', 2 * 1024 * 1024);
    const db = join(disk ?? dir.path, 'ballast.db');
    const ops = await writeOperatorKey(db);
    const filler = join(disk ?? dir.path, 'filler');
    let full = false;
    const real = openSqliteStore(db);
    const store: EventStore =
      disk !== undefined
        ? real
        : {
            ...real,
            append: (...args) =>
              full
                ? Promise.reject(new StoreError('DISK_FULL', `${db}: the append was not committed: the disk … is full`))
                : real.append(...args),
          };
    reportMode(
      'server disk-full',
      disk !== undefined
        ? 'tmpfs of 2 MiB filled by a file'
        : 'fallback: no permission to mount; a wrapper refuses appends DISK_FULL',
    );
    const server = await startServer({
      store,
      checkpoints: openSqliteCheckpoints(join(dir.path, 'checkpoints.db')),
      port: 0,
    });
    const call = callerOf(() => server.url);
    const open = () =>
      call('POST', '/v1/treasuries/agent-1/commands', {
        key: ops,
        body: { type: 'OpenTreasury', config: agentConfig() },
        headers: { 'idempotency-key': 'open-1' },
      });
    try {
      if (disk !== undefined) {
        try {
          writeFileSync(filler, Buffer.alloc(4 * 1024 * 1024));
        } catch (error) {
          expect((error as { code?: string }).code).toBe('ENOSPC');
        }
      }
      full = true;
      const refused = await open();
      expect(refused).toMatchObject({ status: 503, body: { code: 'DISK_FULL' } });
      expect((refused.body as { message: string }).message).toMatch(/Send it again with the same Idempotency-Key/);
      expect((refused.body as { message: string }).message).not.toContain(db);

      rmSync(filler, { force: true });
      full = false;
      expect(await open()).toMatchObject({ status: 201, body: { replayed: false } });
      expect(await open()).toMatchObject({ status: 200, body: { replayed: true } });
    } finally {
      await server.close();
    }
  }, 30_000);
});
