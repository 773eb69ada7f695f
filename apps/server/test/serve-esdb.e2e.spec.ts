import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProtocolDouble, startProtocolDouble } from '../../../tests/esdb/double/start-double';

// `ballast keys` and `ballast serve` on EventStoreDB. No EventStoreDB can run here (no container
// engine), so this runs against the protocol test double (tests/esdb/double): the same gRPC client
// and adapter code, not a real database. Child processes are started asynchronously: the double
// answers from this process's event loop.
const ROOT = join(__dirname, '..', '..', '..');
const MAIN = join(ROOT, 'apps/cli/src/main.ts');

const ballast = (...args: string[]) =>
  new Promise<{ code: number; out: string; err: string }>((done) =>
    execFile(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, timeout: 60_000 }, (error, out, err) =>
      done({ code: error ? Number(error.code ?? 1) : 0, out, err }),
    ),
  );

describe('ballast serve --store esdb://… (protocol double)', () => {
  let double: ProtocolDouble;
  let dir: string;
  beforeAll(async () => {
    double = await startProtocolDouble();
    dir = mkdtempSync(join(tmpdir(), 'ballast-serve-esdb-'));
  });
  afterAll(async () => {
    await double.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keys --store makes the first operator key; serve takes commands and stops cleanly', async () => {
    const created = await ballast(
      'keys',
      '--store',
      double.url,
      '--create',
      '--principal',
      'ops',
      '--role',
      'operator',
    );
    expect(created).toMatchObject({ code: 0, err: '' });
    const key = /^key\s+(bk_\S+)$/m.exec(created.out)![1]!;

    const checkpoints = join(dir, 'checkpoints.db');
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', MAIN, 'serve', '--store', double.url, '--port', '0', '--checkpoints', checkpoints],
      { cwd: ROOT },
    );
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
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
      const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
      const post = (body: unknown) =>
        fetch(`${url}/v1/treasuries/agent-1/commands`, { method: 'POST', headers, body: JSON.stringify(body) });
      const opened = await post({ type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) });
      expect(opened.status).toBe(201);
      const deposited = await post({ type: 'Deposit', amount: '100' });
      expect(deposited.status).toBe(201);
      const { position } = (await deposited.json()) as { position: number };
      const read = await fetch(`${url}/v1/read-models/treasury-overview?waitFor=${position}`, { headers });
      expect(((await read.json()) as { state: { bookValue: string }[] }).state[0]!.bookValue).toBe('100');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const listed = await ballast('keys', '--store', double.url, '--list', '--json');
    expect(JSON.parse(listed.out).keys).toHaveLength(1);
  }, 90_000);
});
