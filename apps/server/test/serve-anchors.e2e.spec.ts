import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ballast, type ServeChild, startServe } from './ballast-cli';

const anchorLines = (file: string): { events: number; keyId: string }[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { events: number; keyId: string })
    : [];

const waitFor = async (what: string, done: () => boolean, ms = 20_000): Promise<void> => {
  const until = Date.now() + ms;
  while (!done()) {
    if (Date.now() > until) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('ballast serve --anchor-key: the server anchors the log after each passed audit and every N events', () => {
  let dir: string;
  let server: ServeChild | undefined;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-serve-anchors-'));
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes anchors that verify the running store, on demand and every N events; the key never reaches the output', async () => {
    const db = join(dir, 'ballast.db');
    const key = join(dir, 'anchor.key');
    const file = join(dir, 'anchors.jsonl');
    expect(ballast('anchor', 'keygen', '--key', key).code).toBe(0);
    const ops = JSON.parse(
      ballast('keys', '--db', db, '--create', '--principal', 'ops', '--role', 'operator', '--json').out,
    ) as {
      key: string;
    };
    server = await startServe([
      ...['--db', db, '--port', '0', '--audit-every', '0'],
      ...['--anchor-key', key, '--anchor-out', file, '--anchor-every-events', '20'],
    ]);
    const { url } = server;
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ops.key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });

    // On demand: POST /v1/audit audits and, as it passes, anchors.
    expect(
      (
        await call('POST', '/v1/treasuries/t-1/commands', {
          type: 'OpenTreasury',
          config: TreasuryConfigCodec.encode(agentPreset()),
        })
      ).status,
    ).toBe(201);
    expect((await call('POST', '/v1/audit')).status).toBeLessThan(300);
    await waitFor('first anchor', () => anchorLines(file).length === 1);
    const last = (await (await call('GET', '/v1/audit/last')).json()) as {
      last: { anchor: { written: boolean; events: number } };
    };
    expect(last.last.anchor).toMatchObject({ written: true, events: anchorLines(file)[0]!.events });

    // Every 20 events: 25 deposits (one event each) bring the next anchor without being asked.
    for (let i = 0; i < 25; i++)
      expect((await call('POST', '/v1/treasuries/t-1/commands', { type: 'Deposit', amount: '10' })).status).toBe(201);
    await waitFor('an anchor after 20 events', () => anchorLines(file).length >= 2);
    const anchors = anchorLines(file);
    expect(anchors[1]!.events).toBeGreaterThanOrEqual(anchors[0]!.events + 20);
    // After the first, the server writes only the heads that changed (here one treasury's).
    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toHaveProperty('heads');
    expect(lines[1]).toMatchObject({ base: lines[0]!.headsRoot });
    expect((lines[1]!.changes as unknown[]).length).toBeLessThan(lines[1]!.streams as number);

    // Checked beside the running server, with the public key only.
    const verified = ballast('audit', '--db', db, '--anchor', file, '--anchor-key', `${key}.pub`);
    expect(verified.err).toBe('');
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(/anchors {3}ok: \d anchor\(s\); .* and the audit digest matches/);

    // The file moved away (rotated, or removed by someone): the next anchor lists every head again.
    renameSync(file, `${file}.1`);
    for (let i = 0; i < 25; i++)
      expect((await call('POST', '/v1/treasuries/t-1/commands', { type: 'Deposit', amount: '10' })).status).toBe(201);
    await waitFor('an anchor in a new file', () => anchorLines(file).length >= 1);
    expect(JSON.parse(readFileSync(file, 'utf8').split('\n')[0]!)).toHaveProperty('heads');
    expect(ballast('verify', '--db', db, '--anchor', file, '--anchor-key', `${key}.pub`).code).toBe(0);

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const pem = readFileSync(key, 'utf8').split('\n')[1]!;
    expect(server.output()).not.toContain(pem);
  }, 90_000);

  it('refuses half the anchor options, and a file that is not a signing key, before opening the store', () => {
    const db = join(dir, 'other.db');
    const half = ballast('serve', '--db', db, '--anchor-key', join(dir, 'anchor.key'));
    expect(half.code).toBe(2);
    expect(half.err).toMatch(/give --anchor-key PATH and --anchor-out FILE together/);
    const pub = ballast(
      'serve',
      '--db',
      db,
      '--anchor-key',
      join(dir, 'anchor.key.pub'),
      '--anchor-out',
      join(dir, 'a.jsonl'),
    );
    expect(pub.code).toBe(2);
    expect(pub.err).toMatch(/--anchor-key .*anchor.key.pub is not a private key in PEM form/);
    expect(ballast('serve', '--db', db, '--anchor-every-events', '5').err).toMatch(
      /--anchor-every-events needs --anchor-key and --anchor-out/,
    );
    expect(existsSync(db)).toBe(false);
  });
});
