import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { openBallast, systemClock } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { createKey } from '@ballast/server';
import * as E from 'fp-ts/Either';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');

/** One `ballast` run, with BALLAST_KEY set only when given (never inherited from the developer's shell). */
const ballast = (args: string[], key?: string) => {
  const { BALLAST_KEY: _inherited, ...env } = process.env;
  const run = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    env: key === undefined ? env : { ...env, BALLAST_KEY: key },
    // Ten of these start at once below: on two busy cores a tsx start took over 30 s.
    timeout: 90_000,
  });
  let out = '';
  let err = '';
  run.stdout.on('data', (chunk) => (out += String(chunk)));
  run.stderr.on('data', (chunk) => (err += String(chunk)));
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) =>
    run.once('close', (code) => resolve({ code, out, err })),
  );
};

/** A port nothing listens on: one the OS just handed out and took back. */
const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });

const config = {
  ...TreasuryConfigCodec.encode(agentPreset()),
  policy: {
    budgets: [{ name: 'withdrawals-24h', window: '24h', category: 'withdrawal', limit: '100000' }],
    approvals: { threshold: '50000', approvers: ['alice', 'bob'], required: 2, expiresMs: 86_400_000 },
  },
};

describe('ballast approvals against a running ballast serve', () => {
  let dir: string;
  let db: string;
  let child: ChildProcess;
  let url: string;
  const keys: Record<string, string> = {};
  const post = async (id: string, key: string, body: unknown) => {
    const response = await fetch(`${url}/v1/treasuries/${id}/commands`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-approvals-'));
    db = join(dir, 'server.db');
    const store = openSqliteStore(db);
    const ballastLib = openBallast({ store, clock: systemClock });
    for (const [principal, role] of [
      ['ops', 'operator'],
      ['alice', 'operator'],
      ['bob', 'operator'],
      ['agent-1', 'agent'],
    ] as const) {
      const created = await createKey(ballastLib, { principal, role }, { actor: 'test' });
      if (E.isLeft(created)) throw new Error(created.left.message);
      keys[principal] = created.right.key;
    }
    await store.close();
    child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve', '--db', db, '--port', '0'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`no "listening on" in 20 s: ${out}`)), 20_000);
      child.stdout!.on('data', (chunk) => {
        out += String(chunk);
        const found = /listening on (http:\/\/\S+)/.exec(out);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`serve exited ${code} before listening`)));
    });
    expect((await post('agent-1', keys.ops!, { type: 'OpenTreasury', config })).status).toBe(201);
    expect((await post('agent-1', keys['agent-1']!, { type: 'Deposit', amount: '1000000' })).status).toBe(201);
    for (const [amount, to] of [
      ['60000', 'bank:acme-1'],
      ['55000', 'bank:acme-2'],
    ] as const) {
      const held = await post('agent-1', keys['agent-1']!, { type: 'Withdraw', bucket: 'referral', amount, to });
      expect(held.status).toBe(202);
    }
  }, 60_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('list reads the store file beside the running server, and the read model over HTTP: the same rows', async () => {
    const fromFile = await ballast(['approvals', 'list', '--db', db]);
    expect({ code: fromFile.code, err: fromFile.err }).toEqual({ code: 0, err: '' });
    const lines = fromFile.out.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        /^agent-1 {2}req-1 {2}Withdraw bucket=referral amount=60000 to=bank:acme-1 {2}0 of 2 approvals {2}approvers alice, bob {2}expires \d{4}-\d\d-\d\dT/,
      ),
      expect.stringMatching(/^agent-1 {2}req-2 {2}Withdraw .*amount=55000/),
    ]);
    const json = await ballast(['approvals', 'list', '--url', url, '--json'], keys.ops);
    expect(json.code).toBe(0);
    const listed = JSON.parse(json.out) as { position: number; pending: { requestId: string; amount: string }[] };
    expect(listed.pending.map((r) => [r.requestId, r.amount])).toEqual([
      ['req-1', '60000'],
      ['req-2', '55000'],
    ]);
    const fileJson = JSON.parse((await ballast(['approvals', 'list', '--db', db, '--json'])).out) as typeof listed;
    expect(fileJson.pending).toEqual(listed.pending);
    // An agent may not read the read model: the refusal, exit 1.
    const agent = await ballast(['approvals', 'list', '--url', url, '--key', keys['agent-1']!]);
    expect({ code: agent.code, err: agent.err }).toEqual({
      code: 1,
      err: expect.stringContaining('refused FORBIDDEN'),
    });
  }, 60_000);

  it('approve as the key’s principal: 1 of 2, the same again refused, the second executes the withdrawal', async () => {
    const first = await ballast(['approvals', 'approve', 'agent-1', 'req-1', '--url', url], keys.alice);
    expect(first).toEqual({ code: 0, out: 'approved req-1 on agent-1: 1 of 2 approvals, waiting for more\n', err: '' });
    const again = await ballast(['approvals', 'approve', 'agent-1', 'req-1', '--url', url, '--key', keys.alice!]);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/^refused ALREADY_APPROVED: alice has already approved req-1/);
    expect(again.err).toContain('  approvals: 1\n  required: 2');
    const agent = await ballast(['approvals', 'approve', 'agent-1', 'req-1', '--url', url], keys['agent-1']);
    expect({ code: agent.code, err: agent.err }).toEqual({
      code: 1,
      err: expect.stringContaining('refused FORBIDDEN'),
    });
    const second = await ballast(['approvals', 'approve', 'agent-1', 'req-1', '--url', url], keys.bob);
    expect(second.code).toBe(0);
    expect(second.out.split('\n')).toEqual([
      'executed req-1 on agent-1: 2 of 2 approvals (alice, bob)',
      expect.stringMatching(/^ {2}OutflowChecked command=Withdraw policyVersion=1 outflow=60000/),
      '  FundsWithdrawn bucket=referral amount=60000 to=bank:acme-1',
      '',
    ]);
    const left = await ballast(['approvals', 'list', '--db', db]);
    expect(left.out).not.toContain('req-1');
    expect(left.out).toContain('req-2');
  }, 60_000);

  it('deny closes a request for good; a second deny is refused REQUEST_CLOSED', async () => {
    const denied = await ballast(
      ['approvals', 'deny', 'agent-1', 'req-2', '--url', url, '--reason', 'unknown payee'],
      keys.bob,
    );
    expect(denied).toEqual({
      code: 0,
      out: 'denied req-2 on agent-1 by bob: unknown payee; it will never execute\n',
      err: '',
    });
    const again = await ballast(['approvals', 'deny', 'agent-1', 'req-2', '--url', url], keys.alice);
    expect({ code: again.code, err: again.err }).toEqual({
      code: 1,
      err: expect.stringMatching(/^refused REQUEST_CLOSED: request req-2 is already denied/),
    });
    const none = await ballast(['approvals', 'list', '--url', url], keys.ops);
    expect(none).toEqual({
      code: 0,
      out: expect.stringMatching(/^no pending approvals \(as of position \d+\)\n$/),
      err: '',
    });
  }, 60_000);

  it('bad usage is exit 2 with one line and a pointer to --help, which mentions BALLAST_KEY', async () => {
    const usages = [
      ['approvals'],
      ['approvals', 'sign'],
      ['approvals', 'list'],
      ['approvals', 'list', '--db', db, '--url', url],
      ['approvals', 'approve', 'agent-1', '--url', url],
      ['approvals', 'approve', 'agent-1', 'req-1', 'extra', '--url', url],
      ['approvals', 'approve', 'agent-1', 'req-1'],
      ['approvals', 'approve', 'agent-1', 'req-1', '--url', 'ftp://example.com'],
      ['approvals', 'approve', 'agent-1', 'req-1', '--url', url, '--reason', 'x'],
      ['approvals', 'list', '--db', db, '--wat'],
    ];
    // In parallel: each is a whole Node start.
    const runs = await Promise.all(
      usages.map((args) => ballast(args, args.includes('--url') ? keys.alice : undefined)),
    );
    for (const [i, run] of runs.entries()) {
      const args = usages[i];
      expect({ args, code: run.code, out: run.out }).toEqual({ args, code: 2, out: '' });
      expect(run.err).toMatch(/^ballast approvals: .+\nRun 'ballast approvals --help' for usage\.\n$/);
    }
    const noKey = await ballast(['approvals', 'approve', 'agent-1', 'req-1', '--url', url]);
    expect({ code: noKey.code, err: noKey.err }).toEqual({
      code: 2,
      err: expect.stringContaining('--key KEY (or the BALLAST_KEY environment variable) is required'),
    });
    const help = await ballast(['approvals', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('BALLAST_KEY');
    expect((await ballast(['--help'])).out).toMatch(/^ {2}approvals +list, approve and deny/m);
  }, 180_000);

  it('a server that is not there is exit 3, naming the URL and never the key', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    for (const args of [
      ['approvals', 'approve', 'agent-1', 'req-1', '--url', nowhere],
      ['approvals', 'list', '--url', nowhere],
    ]) {
      const run = await ballast(args, keys.alice);
      expect({ code: run.code, out: run.out }).toEqual({ code: 3, out: '' });
      expect(run.err).toBe(`ballast approvals: cannot reach ${nowhere}: ECONNREFUSED\n`);
    }
    // A wrong key is the server's refusal (exit 1); nothing the CLI prints carries a key.
    const wrong = await ballast(['approvals', 'list', '--url', url], `${keys.alice!.slice(0, -4)}xxxx`);
    expect({ code: wrong.code, err: wrong.err }).toEqual({
      code: 1,
      err: expect.stringContaining('refused KEY_UNKNOWN'),
    });
    expect(wrong.err).not.toContain('bk_');
  }, 60_000);
});
