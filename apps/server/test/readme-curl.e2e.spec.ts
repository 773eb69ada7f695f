import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The README's curl walkthrough of `ballast serve`, run as written from the repository root: only the
// folder of the store and the port are swapped, so it runs beside anything else.
const ROOT = join(__dirname, '..', '..', '..');

const readmeBlock = (): string => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = readme.split('```sh\n').find((b) => b.includes('ballast serve --db ./data/server.db'));
  if (block === undefined) throw new Error('no ```sh block with `ballast serve --db ./data/server.db` in the README');
  return block.slice(0, block.indexOf('```'));
};

describe("the README's curl walkthrough of ballast serve", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-readme-curl-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the treasury with examples/open-treasury.json: the agent preset exactly', () => {
    const file = JSON.parse(readFileSync(join(ROOT, 'examples/open-treasury.json'), 'utf8'));
    expect(file).toEqual({ type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) });
  });

  it('creates keys, opens a treasury, deposits, is refused a bet and follows a read model live', async () => {
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    const script = readmeBlock()
      .replaceAll('mkdir -p data', `mkdir -p ${join(dir, 'data')}`)
      .replaceAll('./data/server.db', join(dir, 'data', 'server.db'))
      .replaceAll('8787', port);
    const run = spawnSync('bash', ['-c', script], { cwd: ROOT, encoding: 'utf8', timeout: 90_000 });
    expect(run.error).toBeUndefined();
    const out = run.stdout;
    expect(out).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toContain('"type":"TreasuryOpened"');
    expect(out).toMatch(/"type":"FundsDeposited".*"position":\d+,"revision":4/);
    expect(out).toContain('"code":"NEGATIVE_EDGE"');
    expect(out).toContain('event: state');
    expect(out).toContain('"treasuryId":"agent-1"');
    expect(out).not.toContain('bk_');
    // `kill %1` stopped the server.
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  }, 120_000);
});
