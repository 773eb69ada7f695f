import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startTestServer, type TestServer } from './server-fixture';

// An agent written in Python with the standard library only drives the server as any agent in another language
// would: keys, Idempotency-Key retries, refusals as JSON with a code and numbers, reads, 403 for someone else's.
const PYTHON = spawnSync('python3', ['--version'], { encoding: 'utf8' }).status === 0;
const AGENT = join(__dirname, 'python-agent.py');
if (!PYTHON) console.warn('python-agent.e2e: python3 is not on PATH, so the Python agent test is skipped');

/** Runs the agent asynchronously (a synchronous spawn would block the server in this same process). */
const runAgent = (env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn('python3', [AGENT], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

(PYTHON ? describe : describe.skip)('a Python agent (standard library only) over HTTP', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it('deposits, retries safely, is refused with data, reads its treasury and not another', async () => {
    const config = TreasuryConfigCodec.encode(agentPreset());
    for (const id of ['py-agent', 'someone-else']) {
      const opened = await s.call('POST', `/v1/treasuries/${id}/commands`, {
        key: s.operatorKey,
        body: { type: 'OpenTreasury', config },
      });
      expect(opened.status).toBe(201);
    }
    const { key } = await s.keyFor('py-agent', 'agent');
    const head = await s.head();

    const r = await runAgent({
      BALLAST_URL: s.url,
      BALLAST_KEY: key,
      BALLAST_TREASURY: 'py-agent',
      BALLAST_OTHER_TREASURY: 'someone-else',
    });
    expect({ status: r.status, stderr: r.stderr }).toEqual({
      status: 0,
      stderr: expect.stringMatching(/^bet refused: NEGATIVE_EDGE \{.*"edge"/),
    });
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const summary = JSON.parse(lines[0]!);
    expect(summary).toMatchObject({
      deposit: { status: 201, position: expect.any(Number), revision: expect.any(Number) },
      retry: { status: 200, replayed: true, position: summary.deposit.position },
      bet: { status: 422, code: 'NEGATIVE_EDGE', details: expect.objectContaining({ game: 'dice_over50' }) },
      // The refused bet was recorded after the deposit (CommandRejected): one revision more.
      treasury: { streamId: 'treasury-py-agent', revision: summary.deposit.revision + 1 },
      other: { status: 403, code: 'FORBIDDEN' },
    });
    // What the agent read is what the store holds: the deposit went into the buckets, the refusal was recorded.
    expect(summary.deposit.position).toBeGreaterThan(head);
    expect(JSON.stringify(summary.treasury.state)).toContain('250');
    const mine = (await s.events()).filter((e) => e.streamId === 'treasury-py-agent');
    // One deposit (a FundsDeposited per bucket, all of one command), however often it was sent.
    const deposits = new Set(mine.filter((e) => e.type === 'FundsDeposited').map((e) => e.metadata.commandId));
    expect(deposits.size).toBe(1);
    expect(mine.map((e) => e.type)).toContain('CommandRejected');
  }, 30_000);
});
