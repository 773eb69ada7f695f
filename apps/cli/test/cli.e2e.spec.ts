import { openSqliteStore } from '@ballast/event-store';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const ballast = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  return { code: run.status, out: run.stdout, err: run.stderr };
};

describe('ballast command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('status creates a store (folder included) and reports it verified', () => {
    const db = join(dir, 'nested', 'ballast.db');
    const run = ballast('status', '--db', db);
    expect(run).toMatchObject({ code: 0, out: expect.stringContaining('chains    ok') });
    expect(existsSync(db)).toBe(true);
  });

  it('verify exits 1 and names the stream and revision of a flipped byte', async () => {
    const db = join(dir, 'ballast.db');
    const store = openSqliteStore(db);
    for (let i = 0; i < 5; i++) await store.append('treasury-x', [{ type: 'FundsDeposited', version: 1, data: { amount: `${i}.5`, memo: `note-${i}` } }], { expectedRevision: 'any', commandId: `c${i}` });
    await store.close();
    expect(ballast('verify', '--db', db, '--json')).toMatchObject({ code: 0 });
    const bytes = readFileSync(db);
    const at = bytes.indexOf('note-3');
    bytes[at] = bytes[at]! ^ 0x02;
    writeFileSync(db, bytes);
    const run = ballast('verify', '--db', db, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toMatchObject({ ok: false, problem: { streamId: 'treasury-x', revision: 3, kind: 'HASH_MISMATCH' } });
    expect(ballast('verify', '--db', db).out).toContain('BROKEN at stream treasury-x revision 3');
  });

  it('explains bad usage with exit 2, and a missing or foreign store with exit 3', () => {
    expect(ballast()).toMatchObject({ code: 2, out: expect.stringContaining('Usage: ballast <command>') });
    expect(ballast('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'frobnicate'") });
    expect(ballast('verify')).toMatchObject({ code: 2, err: expect.stringContaining('--db PATH or --store URL is required') });
    expect(ballast('status', '--dbx', 'x')).toMatchObject({ code: 2, err: expect.stringContaining("Unknown option '--dbx'") });
    expect(ballast('verify', '--db', join(dir, 'missing.db'))).toMatchObject({ code: 3, err: expect.stringContaining('STORE_NOT_FOUND') });
    writeFileSync(join(dir, 'notes.db'), 'not a database at all, just some text that is long enough');
    expect(ballast('status', '--db', join(dir, 'notes.db'))).toMatchObject({ code: 3, err: expect.stringContaining('NOT_A_BALLAST_STORE') });
  });

  it('prints help for every command with exit 0', () => {
    for (const args of [['--help'], ['status', '--help'], ['verify', '-h']]) {
      expect(ballast(...args)).toMatchObject({ code: 0, out: expect.stringContaining('Usage: ballast') });
    }
  });
});
