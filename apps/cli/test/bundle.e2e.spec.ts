import { openEsdbStore, openSqliteStore } from '@ballast/event-store';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProtocolDouble, startProtocolDouble } from '../../../tests/esdb/double/start-double';

// `pnpm build` makes a folder that runs as it is when copied away from the workspace, where no
// node_modules of ours can be found by walking up: the native better-sqlite3 travels with it.
const ROOT = join(__dirname, '..', '..', '..');

const run = (cwd: string, file: string, ...args: string[]) => {
  // NODE_PATH would let a stray global module stand in for the copy; the test wants none.
  const env = { ...process.env, NODE_PATH: '' };
  const result = spawnSync(process.execPath, [file, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env });
  return { code: result.status, out: result.stdout, err: result.stderr };
};

describe('the bundled CLI, copied outside the workspace', () => {
  let work: string;
  let copy: string;
  let db: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ballast-bundle-'));
    const built = join(work, 'built');
    const script = join(ROOT, 'scripts/build-cli.mjs');
    const build = spawnSync(process.execPath, [script, '--outdir', built], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(build.stderr).not.toMatch(/error/i);
    expect(build.status).toBe(0);
    copy = join(work, 'elsewhere', 'ballast');
    cpSync(built, copy, { recursive: true });
    rmSync(built, { recursive: true });

    db = join(work, 'store.db');
    const store = openSqliteStore(db);
    for (let i = 0; i < 3; i++) {
      const note = { type: 'Noted', version: 1, data: { note: `n-${i}` } };
      await store.append('bundle-check', [note], { expectedRevision: 'any', commandId: `note-${i}` });
    }
    await store.close();
  }, 90_000);

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('is outside any node_modules the workspace could lend it', () => {
    expect(work.startsWith(ROOT)).toBe(false);
    const probe = run(work, '-e', "require.resolve('better-sqlite3')");
    expect(probe.code).not.toBe(0);
  });

  it('prints help and its version from any folder', () => {
    const help = run(work, join(copy, 'ballast.cjs'), '--help');
    expect(help.err).toBe('');
    expect(help.code).toBe(0);
    expect(help.out).toMatch(/^Usage: ballast/);
    const version = run(work, join(copy, 'ballast.cjs'), '--version');
    expect(version.code).toBe(0);
    expect(version.out.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('opens a SQLite store with the better-sqlite3 it carries: status, verify, inspect', () => {
    const status = run(work, join(copy, 'ballast.cjs'), 'status', '--db', db);
    expect(status.err).toBe('');
    expect(status.code).toBe(0);
    expect(status.out).toMatch(/events\s+3/);

    const verify = run(work, join(copy, 'ballast.cjs'), 'verify', '--db', db);
    expect(verify.err).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.out).toMatch(/events\s+3/);
    expect(verify.out).not.toMatch(/BROKEN/);

    const inspect = run(work, join(copy, 'ballast.cjs'), 'inspect', '--db', db, '--stream', 'bundle-check', '--json');
    expect(inspect.code).toBe(0);
    expect(
      inspect.out
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).data.note),
    ).toEqual(['n-0', 'n-1', 'n-2']);
  });

  it('names the platform, CPU and Node major its addon was built for, so npm refuses it elsewhere', () => {
    const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8'));
    expect(manifest).toMatchObject({
      os: [process.platform],
      cpu: [process.arch],
      engines: { node: `${process.versions.node.split('.')[0]}.x` },
    });
  });

  it('serves the HTTP API with the Fastify it bundles: keys, then /health', async () => {
    const served = join(work, 'served.db');
    expect(
      run(
        work,
        join(copy, 'ballast.cjs'),
        'keys',
        '--db',
        served,
        '--create',
        '--principal',
        'ops',
        '--role',
        'operator',
      ).code,
    ).toBe(0);
    const child = spawn(process.execPath, [join(copy, 'ballast.cjs'), 'serve', '--db', served, '--port', '0'], {
      cwd: work,
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /listening on (\S+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(await (await fetch(`${url}/health`)).json()).toEqual({ status: 'ok' });
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });

  it('reaches EventStoreDB through the gRPC client it bundles (protocol double)', async () => {
    let double: ProtocolDouble | undefined;
    try {
      double = await startProtocolDouble();
      const store = await openEsdbStore(double.url);
      const note = { type: 'Noted', version: 1, data: { note: 'esdb' } };
      await store.append('bundle-check', [note], { expectedRevision: 'no_stream', commandId: 'esdb-note' });
      await store.close();
      // Not spawnSync: the double answers from this process's event loop.
      const args = [join(copy, 'ballast.cjs'), 'verify', '--store', double.url];
      const verify = await new Promise<{ code: number; out: string; err: string }>((done) =>
        execFile(process.execPath, args, { cwd: work, timeout: 30_000 }, (error, out, err) =>
          done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
        ),
      );
      expect(verify.err).toBe('');
      expect(verify.code).toBe(0);
      expect(verify.out).toMatch(/events\s+1/);
    } finally {
      await double?.close();
    }
  }, 60_000);

  it('needs the folder, not only ballast.cjs: the file alone cannot find better-sqlite3', () => {
    const alone = join(work, 'alone');
    cpSync(join(copy, 'ballast.cjs'), join(alone, 'ballast.cjs'), { recursive: true });
    const bare = run(work, join(alone, 'ballast.cjs'), 'status', '--db', db);
    expect(bare.code).not.toBe(0);
    expect(bare.err).toMatch(/Cannot find module 'better-sqlite3'/);
    expect(existsSync(join(copy, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(
      true,
    );
  });
});
