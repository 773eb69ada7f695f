import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simulationDb } from '../src/commands/simulate';
import { DEFAULT_SIMULATION } from '../src/simulation/simulation-types';

// The README's example commands on the store `pnpm start` writes must name streams and event types
// that exist there: with exit 4 for "no such stream or type", a stale example now fails loudly.
const ROOT = join(__dirname, '..', '..', '..');
const ballast = (...args: string[]) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'apps/cli/src/main.ts'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
};

const START_DB = simulationDb(DEFAULT_SIMULATION.seed);

/**
 * `$ pnpm ballast <command> …` lines that read the store of `pnpm start` (and the anchor key they
 * need, made first), in the README's order, comments cut, --follow left out.
 */
const readmeCommands = (): string[][] =>
  readFileSync(join(ROOT, 'README.md'), 'utf8')
    .split('\n')
    .filter(
      (line) =>
        line.startsWith('$ pnpm ballast ') &&
        (line.includes(`--db ${START_DB}`) || line.startsWith('$ pnpm ballast anchor keygen ')) &&
        !line.includes('--follow'),
    )
    .map((line) => line.replace(/#.*$/, '').trim().split(/\s+/).slice(3));

describe("the README's example commands", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-readme-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('name the store pnpm start writes and streams and types it holds', () => {
    const commands = readmeCommands();
    expect(commands.map((c) => c[0])).toEqual(expect.arrayContaining(['audit', 'replay', 'inspect']));
    // The seed and agents of pnpm start; fewer days keep the test short (the streams are the same).
    const db = join(dir, 'sim.db');
    expect(ballast('simulate', '--db', db, '--out', join(dir, 'out'), '--days', '30')).toMatchObject({ code: 0 });
    // A path in the home folder (~/…) goes to the test's folder instead.
    const home = (a: string) => (a.startsWith('~/') ? join(dir, a.slice(2)) : a);
    for (const args of commands) {
      const run = ballast(...args.map((a) => (a === START_DB ? db : home(a))));
      expect({ args, code: run.code, err: run.err }).toEqual({ args, code: 0, err: '' });
      expect(run.out).not.toBe('');
    }
  }, 240_000);
});
