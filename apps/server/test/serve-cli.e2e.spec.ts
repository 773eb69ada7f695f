import Database from 'better-sqlite3';
import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ballast, startServe } from './ballast-cli';

describe('ballast serve and ballast keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-serve-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a key made by `keys --create` works against `serve`, which stops cleanly on SIGTERM; the store then audits', async () => {
    const db = join(dir, 'ballast.db');
    const created = ballast('keys', '--db', db, '--create', '--principal', 'ops', '--role', 'operator', '--json');
    expect(created.code).toBe(0);
    const { key, keyId } = JSON.parse(created.out) as { key: string; keyId: string };
    expect(key).toMatch(new RegExp(`^bk_${keyId}_`));
    // The human form prints it once too.
    const human = ballast('keys', '--db', db, '--create', '--principal', 'agent-1', '--role', 'agent');
    expect(human.code).toBe(0);
    const agentKey = /^key\s+(bk_\S+)$/m.exec(human.out)?.[1];
    expect(agentKey).toBeDefined();

    const { child, url, output, stderr, exited } = await startServe(['--db', db, '--port', '0']);
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      const post = (id: string, k: string, body: unknown) =>
        fetch(`${url}/v1/treasuries/${id}/commands`, {
          method: 'POST',
          headers: { authorization: `Bearer ${k}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      const opened = await post('agent-1', key, {
        type: 'OpenTreasury',
        config: TreasuryConfigCodec.encode(agentPreset()),
      });
      expect(opened.status).toBe(201);
      const deposited = await post('agent-1', agentKey!, { type: 'Deposit', amount: '50' });
      expect(deposited.status).toBe(201);
      expect((await post('agent-1', `bk_${keyId}_${'x'.repeat(43)}`, { type: 'Tick' })).status).toBe(401);
      // Listing only reads: it works while the server is the writer (creating would be refused).
      const whileServing = ballast('keys', '--db', db, '--list', '--json');
      expect({ code: whileServing.code, err: whileServing.err }).toEqual({ code: 0, err: '' });
      expect(JSON.parse(whileServing.out).keys).toHaveLength(2);
      expect(ballast('keys', '--db', db, '--create', '--principal', 'late', '--role', 'agent').code).toBe(3);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr()).toContain('stopping');
    // No key in anything the server printed.
    expect(output()).not.toContain('bk_');

    const audit = ballast('audit', '--db', db);
    expect({ code: audit.code, err: audit.err }).toEqual({ code: 0, err: expect.any(String) });
    // The store is free again: keys --list opens it as the writer.
    const listed = ballast('keys', '--db', db, '--list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out).keys).toHaveLength(2);
    // Revoked once; a second revocation is refused (exit 1), not taken for a retry of the first.
    expect(ballast('keys', '--db', db, '--revoke', keyId, '--reason', 'rotated').code).toBe(0);
    const again = ballast('keys', '--db', db, '--revoke', keyId);
    expect({ code: again.code, err: again.err }).toEqual({ code: 1, err: expect.stringContaining('KEY_REVOKED') });
  }, 60_000);

  it('serve without --db or --store, or with both, is bad usage (exit 2)', () => {
    expect(ballast('serve').code).toBe(2);
    expect(ballast('serve', '--db', join(dir, 'a.db'), '--store', 'esdb://localhost:2113?tls=false').code).toBe(2);
    expect(ballast('serve', '--db', join(dir, 'a.db'), '--port', 'http').code).toBe(2);
    const audit = ballast('serve', '--db', join(dir, 'a.db'), '--audit-every', 'hourly');
    expect({ code: audit.code, err: audit.err }).toEqual({ code: 2, err: expect.stringContaining('--audit-every') });
    expect(ballast('keys', '--db', join(dir, 'a.db'), '--create', '--principal', 'x').code).toBe(2);
    const port = ballast('serve', '--db', join(dir, 'a.db'), '--port', '99999');
    expect({ code: port.code, err: port.err }).toEqual({
      code: 2,
      err: expect.stringContaining('--port must be an integer from 0 to 65535'),
    });
  }, 30_000);

  it('a store or checkpoint file in a missing folder is one line and exit 2, not a stack trace', () => {
    const missing = join(dir, 'no-such-folder', 'server.db');
    for (const run of [
      ballast('keys', '--db', missing, '--create', '--principal', 'ops', '--role', 'operator'),
      ballast('serve', '--db', missing),
      ballast('serve', '--db', join(dir, 'b.db'), '--checkpoints', join(dir, 'nowhere', 'c.db')),
    ]) {
      expect(run.code).toBe(2);
      expect(run.err).toMatch(/the folder .* does not exist \(create it first: mkdir -p /);
      expect(run.err).not.toMatch(/\n\s+at /);
    }
  }, 30_000);

  it("--checkpoints naming someone else's SQLite file is refused and the file left as it was", () => {
    const theirs = join(dir, 'theirs.db');
    const other = new Database(theirs);
    other.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
    other.close();
    const before = readFileSync(theirs);
    const run = ballast('serve', '--db', join(dir, 'c.db'), '--checkpoints', theirs);
    expect(run.code).toBe(3);
    expect(run.err).toContain('is not a Ballast checkpoint file (it holds table t)');
    expect(readFileSync(theirs).equals(before)).toBe(true);
  }, 30_000);
});
