import { openSqliteStore } from '@ballast/event-store';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The CLI never lies (an empty answer is not a success) and never changes what it was only asked
// to read, or a file that is not a Ballast store.
const ROOT = join(__dirname, '..', '..', '..');
const ballast = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
};

const HOUR_MS = 3_600_000;
const OPENED_AT = Date.parse('2026-01-01T00:00:00Z');

/** A real treasury stream (opened, funded twice) written by the library, then closed. */
const writeStore = async (db: string): Promise<void> => {
  const { agentPreset, TreasuryConfigCodec } = await import('@ballast/domain');
  const { openBallast } = await import('@ballast/engine');
  const store = openSqliteStore(db);
  let now = OPENED_AT;
  const ballastApi = openBallast({ store, clock: { now: () => now }, snapshots: false });
  await ballastApi.treasuries.execute(
    'alpha',
    { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) },
    { commandId: 'open' },
  );
  now += HOUR_MS;
  await ballastApi.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep-1' });
  now += HOUR_MS;
  await ballastApi.treasuries.execute('alpha', { type: 'Deposit', amount: '500' }, { commandId: 'dep-2' });
  await store.close();
};

/** Every file in a folder with its bytes and mtime: what "nothing was written" is checked against. */
const snapshotDir = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir).map((name) => [
      name,
      { mtimeMs: statSync(join(dir, name)).mtimeMs, bytes: readFileSync(join(dir, name)).toString('base64') },
    ]),
  );

describe('ballast: answers that are not empty successes, and reads that write nothing', () => {
  let dir: string;
  let db: string;
  let events = 0;
  let lastRevision = -1;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-trust-'));
    db = join(dir, 'store.db');
    await writeStore(db);
    const store = openSqliteStore(db, { readonly: true });
    for await (const e of store.readAll()) {
      events++;
      if (e.streamId === 'treasury-alpha') lastRevision = e.revision;
    }
    await store.close();
  });
  afterAll(() => {
    chmodSync(dir, 0o700);
    rmSync(dir, { recursive: true, force: true });
  });

  it('inspect: a missing stream, an unknown type or an empty store exits 4 with one line saying so', async () => {
    expect(ballast('inspect', '--db', db, '--stream', 'treasury-alpha', '--type', 'FundsDeposited')).toMatchObject({
      code: 0,
    });
    expect(ballast('inspect', '--db', db, '--stream', 'treasury-alpah')).toEqual({
      code: 4,
      out: '',
      err: `ballast inspect: no stream treasury-alpah in ${db}\n`,
    });
    expect(ballast('inspect', '--db', db, '--type', 'BetRejected')).toEqual({
      code: 4,
      out: '',
      err: `ballast inspect: no BetRejected event in ${db} (${events} events read)\n`,
    });
    const empty = join(dir, 'empty.db');
    await openSqliteStore(empty).close();
    expect(ballast('inspect', '--db', empty)).toEqual({
      code: 4,
      out: '',
      err: `ballast inspect: ${empty} holds no events\n`,
    });
  });

  it('replay: a missing stream, a revision past the end or a time before the first event exits 4', () => {
    expect(
      ballast('replay', '--db', db, '--stream', 'treasury-alpha', '--revision', String(lastRevision)),
    ).toMatchObject({ code: 0 });
    expect(ballast('replay', '--db', db, '--stream', 'treasury-beta', '--revision', '0')).toEqual({
      code: 4,
      out: '',
      err: `ballast replay: no stream treasury-beta in ${db}\n`,
    });
    expect(ballast('replay', '--db', db, '--stream', 'treasury-alpha', '--revision', String(lastRevision + 1))).toEqual(
      {
        code: 4,
        out: '',
        err: `ballast replay: treasury-alpha ends at revision ${lastRevision}; --revision ${lastRevision + 1} is past its end\n`,
      },
    );
    expect(ballast('replay', '--db', db, '--stream', 'treasury-alpha', '--at', '2025-12-31T23:00:00Z')).toMatchObject({
      code: 4,
      err: expect.stringContaining(
        'has no event at or before 2025-12-31T23:00:00Z (its first is at 2026-01-01T00:00:00.000Z)',
      ),
    });
  });

  it('replay prints a readable state (balances, status, ISO times); --json the whole state', () => {
    const text = ballast('replay', '--db', db, '--stream', 'treasury-alpha', '--at', '2026-01-01T01:30:00Z');
    expect(text.code).toBe(0);
    expect(text.out.split('\n')[0]).toMatch(/^treasury-alpha after revision \d+$/);
    expect(text.out).toMatch(/buckets +reserve \d+, trading \d+, casino \d+, referral \d+\n/);
    expect(text.out).toMatch(/status +ACTIVE\n/);
    expect(text.out).toMatch(/lastAt +2026-01-01T01:00:00\.000Z\n/);
    expect(text.out).not.toContain('{\n');
    const json = ballast('replay', '--db', db, '--stream', 'treasury-alpha', '--revision', '1', '--json');
    expect(JSON.parse(json.out)).toMatchObject({
      streamId: 'treasury-alpha',
      revision: 1,
      state: { treasury: { config: expect.any(Object), lastAt: OPENED_AT + HOUR_MS } },
    });
  });

  it('verify and audit read an auditor’s read-only copy and leave its folder byte for byte as it was', () => {
    const copy = join(dir, 'auditor');
    mkdirSync(copy);
    copyFileSync(db, join(copy, 'store.db'));
    chmodSync(join(copy, 'store.db'), 0o444);
    chmodSync(copy, 0o555);
    // As root chmod stops nothing, so what counts is that nothing was written: same files, bytes, times.
    const before = snapshotDir(copy);
    try {
      expect(ballast('verify', '--db', join(copy, 'store.db'))).toMatchObject({
        code: 0,
        out: expect.stringContaining('chains    ok'),
        err: '',
      });
      expect(ballast('audit', '--db', join(copy, 'store.db'))).toMatchObject({
        code: 0,
        out: expect.stringContaining('audit     ok'),
        err: '',
      });
      expect(ballast('inspect', '--db', join(copy, 'store.db'), '--limit', '1')).toMatchObject({ code: 0 });
      expect(
        ballast('replay', '--db', join(copy, 'store.db'), '--stream', 'treasury-alpha', '--revision', '0'),
      ).toMatchObject({ code: 0 });
      expect(snapshotDir(copy)).toEqual(before);
      expect(readdirSync(copy)).toEqual(['store.db']);
    } finally {
      chmodSync(copy, 0o755);
    }
  });

  it('an expected failure is one line and exit 3, not a stack trace', () => {
    const run = ballast('verify', '--db', dir);
    expect(run.code).toBe(3);
    expect(run.err).not.toMatch(/\n\s+at /);
    expect(run.err.trim().split('\n')).toHaveLength(1);
  });

  it('no command changes a file that is not a Ballast store, SQLite or text', () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    const notes = join(foreign, 'notes.txt');
    writeFileSync(notes, 'not a database at all, just some text that is long enough to have a header');
    // A SQLite database of someone else's: rollback journal, a table, no Ballast application_id.
    const theirs = join(foreign, 'theirs.db');
    const other = new Database(theirs);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    other.close();
    const before = snapshotDir(foreign);
    for (const path of [notes, theirs]) {
      for (const command of ['status', 'verify', 'audit', 'inspect']) {
        expect(ballast(command, '--db', path)).toMatchObject({
          code: 3,
          err: expect.stringContaining('NOT_A_BALLAST_STORE'),
        });
      }
    }
    expect(snapshotDir(foreign)).toEqual(before);
    expect(existsSync(`${theirs}-wal`) || existsSync(`${notes}.lock`) || existsSync(`${theirs}.lock`)).toBe(false);
  });
});
