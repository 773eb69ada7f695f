import { openSqliteStore } from '@ballast/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnChild } from '../../../tests/event-store/child-process';
import { runCli } from '../src/run-cli';

describe('ballast tail --follow', () => {
  it('prints events as the writer commits them, and stops cleanly on Ctrl-C', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-tail-'));
    const db = join(dir, 'ballast.db');
    const writer = openSqliteStore(db);
    try {
      await writer.append('s-1', [{ type: 'Noted', version: 1, data: { n: 1 } }], {
        expectedRevision: 'any',
        commandId: 'c1',
      });
      const tail = spawnChild(join(__dirname, '..', 'src', 'main.ts'), ['tail', '--db', db, '--follow', '--json']);
      await tail.waitFor(/"position":1/);
      await writer.append('s-1', [{ type: 'Noted', version: 1, data: { n: 2 } }], {
        expectedRevision: 'any',
        commandId: 'c2',
      });
      const line = await tail.waitFor(/"position":2/);
      expect(JSON.parse(line)).toMatchObject({ streamId: 's-1', revision: 1, data: { n: 2 } });
      tail.process.kill('SIGINT');
      expect(await tail.exited).toBe(0);
    } finally {
      await writer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('stops at once when Ctrl-C came before the store was open (found by the CLI fuzzer)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-tail-'));
    const db = join(dir, 'ballast.db');
    const writer = openSqliteStore(db);
    await writer.close();
    const stopped = new AbortController();
    stopped.abort();
    try {
      const code = await runCli(
        ['tail', '--db', db, '--follow'],
        { out: () => undefined, err: () => undefined },
        stopped.signal,
      );
      expect(code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
