import { openSqliteStore } from '@ballast/event-store';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const ballast = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
};

describe('ballast command line', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('status reports a store verified, and creates none where there is no file', async () => {
    const db = join(dir, 'ballast.db');
    await (await openSqliteStore(db)).close();
    expect(ballast('status', '--db', db)).toMatchObject({ code: 0, out: expect.stringContaining('chains    ok') });
    const missing = join(dir, 'nested', 'missing.db');
    expect(ballast('status', '--db', missing)).toMatchObject({
      code: 3,
      err: expect.stringContaining('STORE_NOT_FOUND'),
    });
    expect(existsSync(join(dir, 'nested'))).toBe(false);
  });

  it('verify exits 1 and names the stream and revision of a flipped byte', async () => {
    const db = join(dir, 'ballast.db');
    const store = openSqliteStore(db);
    for (let i = 0; i < 5; i++)
      await store.append(
        'treasury-x',
        [{ type: 'FundsDeposited', version: 1, data: { amount: `${i}.5`, memo: `note-${i}` } }],
        { expectedRevision: 'any', commandId: `c${i}` },
      );
    await store.close();
    expect(ballast('verify', '--db', db, '--json')).toMatchObject({ code: 0 });
    const bytes = readFileSync(db);
    const at = bytes.indexOf('note-3');
    bytes[at] = bytes[at]! ^ 0x02;
    writeFileSync(db, bytes);
    const run = ballast('verify', '--db', db, '--json');
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toMatchObject({
      ok: false,
      problem: { streamId: 'treasury-x', revision: 3, kind: 'HASH_MISMATCH' },
    });
    expect(ballast('verify', '--db', db).out).toContain('BROKEN at stream treasury-x revision 3');
  });

  it('explains bad usage with exit 2, and a missing or foreign store with exit 3', () => {
    expect(ballast()).toMatchObject({ code: 2, out: expect.stringContaining('Usage: ballast <command>') });
    expect(ballast('frobnicate')).toMatchObject({
      code: 2,
      err: expect.stringContaining("unknown command 'frobnicate'"),
    });
    // One line saying what is wrong and one saying where to look, not the whole help.
    expect(ballast('frobnicate').err.trim().split('\n')).toEqual([
      expect.stringContaining("unknown command 'frobnicate'"),
      "Run 'ballast --help' for usage.",
    ]);
    expect(ballast('inspect', '--limit', '0', '--db', 'x').err.trim().split('\n')).toEqual([
      'ballast inspect: --limit must be a positive integer, got 0',
      "Run 'ballast inspect --help' for usage.",
    ]);
    expect(ballast('verify')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--db PATH or --store URL is required'),
    });
    const unknown = ballast('status', '--dbx', 'x');
    expect(unknown.code).toBe(2);
    // One line naming the option and the command's own options; not Node's hint about positionals after '--'.
    expect(unknown.err.trim().split('\n')).toEqual([
      "ballast status: unknown option '--dbx' (options: --db, --json, --help)",
      "Run 'ballast status --help' for usage.",
    ]);
    expect(ballast('verify', '--db', join(dir, 'missing.db'))).toMatchObject({
      code: 3,
      err: expect.stringContaining('STORE_NOT_FOUND'),
    });
    writeFileSync(join(dir, 'notes.db'), 'not a database at all, just some text that is long enough');
    expect(ballast('status', '--db', join(dir, 'notes.db'))).toMatchObject({
      code: 3,
      err: expect.stringContaining('NOT_A_BALLAST_STORE'),
    });
  });

  it('prints its version from package.json', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')) as { version: string };
    expect(ballast('--version')).toMatchObject({ code: 0, out: `${version}\n` });
  });

  it('documents every exit code it uses in --help, 4 (nothing matched) and 70 (a bug) included', () => {
    expect(ballast('--help').out).toMatch(/4 nothing matched.*\n?.*70 an internal error/s);
    for (const command of ['inspect', 'replay']) expect(ballast(command, '--help').out).toMatch(/\b4 nothing to/);
  });

  it('prints help for every command with exit 0', () => {
    for (const args of [['--help'], ['status', '--help'], ['verify', '-h']]) {
      expect(ballast(...args)).toMatchObject({ code: 0, out: expect.stringContaining('Usage: ballast') });
    }
  });
});
