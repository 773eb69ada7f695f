import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestServer, type TestServer } from '../../../apps/server/test/server-fixture';

// The README's ```typescript client example (a fence the examples/ check leaves alone) runs as written against a
// real server, with only its import pointed at this package's sources.
const ROOT = join(__dirname, '..', '..', '..');
const TSX = pathToFileURL(require.resolve('tsx')).href;

const readmeExample = (): string => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/^```typescript\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);
  const client = blocks.filter((b) => b.includes("from '@ballast/client'"));
  if (client.length !== 1) throw new Error(`expected one README client example, found ${client.length}`);
  return client[0]!;
};

const run = (file: string, env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, file], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

describe("the README's TypeScript client example", () => {
  let s: TestServer;
  const dir = mkdtempSync(join(tmpdir(), 'ballast-client-example-'));
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs as written: the deposit is made once, and its retry is answered again', async () => {
    const opened = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: s.operatorKey,
      body: { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) },
    });
    expect(opened.status).toBe(201);
    const { key } = await s.keyFor('agent-1', 'agent');
    const source = readmeExample().replace(
      "from '@ballast/client'",
      `from ${JSON.stringify(join(ROOT, 'packages/client/src/index.ts'))}`,
    );
    const file = join(dir, 'example.mts'); // top-level await: an ES module
    writeFileSync(file, source);
    const env = { BALLAST_URL: s.url, BALLAST_KEY: key };
    const first = await run(file, env);
    expect(first).toEqual({ status: 0, stdout: expect.stringMatching(/^201 position \d+\n$/), stderr: '' });
    const again = await run(file, env);
    expect(again).toEqual({ status: 0, stdout: first.stdout.replace('201', '200'), stderr: '' });
  }, 60_000);
});
