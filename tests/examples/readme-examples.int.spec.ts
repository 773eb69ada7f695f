import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCli } from '../../apps/cli/src/run-cli';

// The README's ```ts blocks are the files in examples/, byte for byte, and each file runs as a user
// would run it: `node --import tsx examples/<file>.ts`, here from an empty working directory so the
// example's relative `./data/ballast.db` lands in a temporary folder.
const ROOT = join(__dirname, '..', '..');
const EXAMPLES = join(ROOT, 'examples');
const TSX = pathToFileURL(require.resolve('tsx')).href;

const readmeBlocks = (): Map<string, string> => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const blocks = new Map<string, string>();
  for (const match of readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)) {
    const body = match[1]!;
    const name = /^\/\/ examples\/([\w.-]+\.ts)\n/.exec(body)?.[1];
    if (name === undefined)
      throw new Error(`a README ts block does not start with "// examples/<file>.ts":\n${body.slice(0, 120)}`);
    if (blocks.has(name)) throw new Error(`examples/${name} appears twice in the README`);
    blocks.set(name, body);
  }
  return blocks;
};
const exampleFiles = (): string[] =>
  readdirSync(EXAMPLES)
    .filter((f) => f.endsWith('.ts'))
    .sort();

const runExample = (file: string, cwd: string) => {
  const args = ['--import', TSX, join(EXAMPLES, file)];
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: r.stdout.trimEnd().split('\n'), err: r.stderr };
};
const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('the README code examples', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ballast-example-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('are the files in examples/, byte for byte, every one of them', () => {
    const blocks = readmeBlocks();
    expect([...blocks.keys()].sort()).toEqual(exampleFiles());
    for (const [name, body] of blocks) expect(body).toBe(readFileSync(join(EXAMPLES, name), 'utf8'));
  });

  it('first-treasury.ts runs as written: the bet is refused for its edge, the audit digests the store', () => {
    const dir = tempDir();
    const r = runExample('first-treasury.ts', dir);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out[0]).toMatch(/^NEGATIVE_EDGE dice_over50 has edge -0\.01495 /);
    expect(r.out[1]).toBe('ACTIVE reserve 400, trading 350, casino 150, referral 100');
    expect(r.out[2]).toMatch(/^[0-9a-f]{64}$/);
    expect(r.out).toHaveLength(3);
    // The library's store, never the simulation's (`pnpm start` writes ./data/sim-seed-42.db).
    expect(readdirSync(join(dir, 'data')).filter((f) => f.endsWith('.db'))).toEqual(['ballast.db']);
  }, 60_000);

  it('store-api.ts runs as written on a stream of its own', () => {
    const dir = tempDir();
    const r = runExample('store-api.ts', dir);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toEqual([
      "0 NoteWritten { at: 1767225600000, text: 'first note' }",
      '{ ok: true, streams: 1, events: 1, headPosition: 1 }',
    ]);
  }, 60_000);

  it('spend-policy.ts runs as written: held, approved by two, over budget, off the list, stopped, lifted', () => {
    const r = runExample('spend-policy.ts', tempDir());
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    const details = (code: string, json: Record<string, unknown>) => `${code} ${JSON.stringify(json)}`;
    expect(r.out).toEqual([
      'TreasuryOpened',
      'FundsDeposited',
      'ApprovalRequested',
      'RequestApproved',
      'RequestApproved RequestExecuted OutflowChecked FundsWithdrawn',
      details('BUDGET_EXCEEDED', {
        budget: 'withdrawals',
        window: '24h',
        category: 'withdrawal',
        limit: '10000',
        spent: '6000',
        amount: '4500',
        wouldBe: '10500',
        freesAt: Date.UTC(2026, 0, 6, 9, 1),
        freesAtIso: '2026-01-06T09:01:00.000Z',
        policyVersion: 1,
      }),
      details('COUNTERPARTY_NOT_ALLOWED', {
        counterparty: 'bank:other',
        category: 'withdrawal',
        amount: '100',
        allowed: 'bank:acme',
        policyVersion: 1,
      }),
      'EmergencyStopped',
      details('EMERGENCY_STOP', {
        blocked: 'withdrawal 10 to bank:acme',
        amount: '10',
        stoppedBy: 'carol',
        stoppedAt: Date.UTC(2026, 0, 5, 9, 1),
        liftVotes: 0,
        liftRequired: 2,
        policyVersion: 1,
      }),
      'EmergencyLiftVoted',
      'EmergencyStopLifted',
      'OutflowChecked FundsWithdrawn',
    ]);
    // The README shows this output as printed.
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain(`\n\`\`\`\n${r.out.join('\n')}\n\`\`\`\n`);
  }, 60_000);

  it('leave a store that `ballast audit` passes, alone, after each other and again (retries append nothing)', async () => {
    const dir = tempDir();
    const db = join(dir, 'data', 'ballast.db');
    const run = (file: string) => {
      const r = runExample(file, dir);
      expect({ file, status: r.status, err: r.err }).toEqual({ file, status: 0, err: '' });
    };
    const audit = async () => {
      const a = await cli('audit', '--db', db);
      expect({ code: a.code, err: a.err }).toEqual({ code: 0, err: '' });
    };
    run('store-api.ts');
    await audit();
    for (const file of ['first-treasury.ts', 'store-api.ts', 'first-treasury.ts']) run(file);
    await audit();
    const notes = await cli('inspect', '--db', db, '--stream', 'notes-1');
    expect(notes.code).toBe(0);
    expect(notes.out).toContain('NoteWritten');
  }, 120_000);
});
