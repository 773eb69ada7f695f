import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { openBallast, systemClock } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../../apps/cli/src/cli-io';
import { mainHelp, runCli } from '../../apps/cli/src/run-cli';
import { tempDir } from '../event-store/fixtures';
import { AWKWARD_STRINGS, hugeString, NUMERIC_STRINGS, PROTOTYPE_KEYS, trickyString } from './arbitraries';
import { fuzzParams, fuzzTimeoutMs } from './fuzz-settings';

const CI_RUNS = 300;

/** The commands `ballast --help` lists, so a command added later is fuzzed too. */
const COMMAND_NAMES = mainHelp
  .split('Commands:\n')[1]!
  .split('\n\n')[0]!
  .split('\n')
  .map((line) => line.trim().split(/\s+/)[0]!)
  .filter((name) => name !== '');

/** A command's options, as its usage error for an unknown option lists them. */
const optionsOf = async (name: string): Promise<string[]> => {
  const err: string[] = [];
  await runCli([name, '--fuzz-probe'], { out: () => undefined, err: (line) => err.push(line) });
  const listed = /\(options: ([^)]*)\)/.exec(err.join('\n'))?.[1];
  if (listed === undefined) throw new Error(`${name}: no option list in ${err.join('\n')}`);
  return listed
    .split(', ')
    .map((o) => o.replace(/^--/, ''))
    .filter((o) => o !== 'help');
};

// Options that name a place (a file, a folder, a server): the fuzzer never chooses them, so that a command that
// happens to accept its flags writes only in a temp folder and reaches no network. Each gets a safe value instead.
const PLACE = /^(db|store|out|checkpoints|market|url|host|from)$|file|dir|path|key|anchor/;
/** Options the fuzzer leaves alone for another reason than a place. */
const LEFT_ALONE: Readonly<Record<string, readonly string[]>> = {
  // `tail --follow` waits for an abort it asks for after the store is open: a signal aborted before then (here, from
  // the start) is never seen and the command never returns.
  tail: ['follow'],
  // `tail --from` is a position, fuzzed; `import --from` is a file.
};
const fuzzable = (name: string, option: string): boolean =>
  !(LEFT_ALONE[name] ?? []).includes(option) && (!PLACE.test(option) || (name === 'tail' && option === 'from'));

const flagValue: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NUMERIC_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom(...AWKWARD_STRINGS, ...PROTOTYPE_KEYS), weight: 2 },
  {
    arbitrary: fc.constantFrom(
      '1',
      '10',
      '0',
      '65536',
      'alpha',
      'treasury-alpha',
      'pool-alpha',
      'full',
      'off',
      'rules',
      'llm',
      'agent',
      'operator',
      '2026-01-01T00:00:00Z',
      '2026-02-30T00:00:00Z',
      'calm',
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ maxLength: 12 }), weight: 2 },
  { arbitrary: trickyString, weight: 1 },
  { arbitrary: hugeString.map((s) => s.slice(0, 100_000)), weight: 1 },
);

const token = (options: readonly string[]): fc.Arbitrary<string[]> =>
  fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom(...options), flagValue).map(([o, v]) => [`--${o}`, v]), weight: 6 },
    { arbitrary: fc.tuple(fc.constantFrom(...options), flagValue).map(([o, v]) => [`--${o}=${v}`]), weight: 2 },
    { arbitrary: fc.constantFrom(...options).map((o) => [`--${o}`]), weight: 3 },
    { arbitrary: flagValue.map((v) => [v]), weight: 1 },
    { arbitrary: trickyString.map((v) => [`--${v}`]), weight: 1 },
    { arbitrary: fc.constantFrom<string[]>(['-h'], ['-x'], ['--'], ['-'], ['--help=1'], ['---db']), weight: 1 },
  );

describe('fuzzed CLI flags: any argv gets an exit code and a clear message, never an exception', () => {
  const dir = tempDir('fuzz-cli');
  const db = join(dir.path, 'ballast.db');
  const market = join(dir.path, 'market.csv');
  let options: Map<string, string[]>;
  let caseNo = 0;

  beforeAll(async () => {
    const store = openSqliteStore(db);
    await openBallast({ store, clock: systemClock }).treasuries.executeJson(
      'alpha',
      { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) },
      { commandId: 'setup-1' },
    );
    await store.close();
    writeFileSync(
      market,
      'date,btc_price,eth_price,mvrv_z,funding_rate,fear_greed\n2026-01-01,95000,3400,2,0.0001,50\n',
    );
    options = new Map(await Promise.all(COMMAND_NAMES.map(async (n) => [n, await optionsOf(n)] as const)));
  });
  afterAll(() => dir.remove());

  /** Safe values for the options that name a place: the seeded store, a fresh path, a folder that cannot be made. */
  const placeArgs = (name: string): string[] => {
    caseNo += 1;
    return (options.get(name) ?? [])
      .filter((o) => !fuzzable(name, o) && PLACE.test(o) && o !== 'store' && o !== 'url' && o !== 'host')
      .flatMap((o) => {
        if (o === 'db')
          return ['--db', name === 'simulate' || name === 'backtest' ? join(dir.path, `new-${caseNo}.db`) : db];
        if (o === 'checkpoints') return ['--checkpoints', join(dir.path, `checkpoints-${caseNo}.db`)];
        if (o === 'market') return ['--market', market];
        // A folder under /dev/null cannot be made: a run that got this far stops before it does anything.
        return [`--${o}`, `/dev/null/fuzz-${o}`];
      });
  };

  it('knows every command and its options', () => {
    expect(COMMAND_NAMES).toEqual(expect.arrayContaining(['simulate', 'serve', 'keys', 'tail', 'backtest']));
    for (const [name, opts] of options) expect({ name, empty: opts.length === 0 }).toEqual({ name, empty: false });
  });

  it(
    'runCli returns a known exit code; a usage error says what is wrong in a line, never a stack trace',
    async () => {
      const argv = fc
        .tuple(
          fc.oneof({ arbitrary: fc.constantFrom(...COMMAND_NAMES), weight: 9 }, { arbitrary: trickyString, weight: 1 }),
          fc.nat(),
        )
        .chain(([name, n]) => {
          const mine = (options.get(name) ?? []).filter((o) => fuzzable(name, o));
          const tokens = mine.length === 0 ? fc.constant([]) : fc.array(token(mine), { maxLength: 4 });
          return tokens.map((ts) => ({ name, n, tokens: ts.flat() }));
        });
      // Already aborted: a command that would run until stopped (serve, tail --follow) stops at once.
      const stopped = new AbortController();
      stopped.abort();
      await fc.assert(
        fc.asyncProperty(argv, async ({ name, tokens }) => {
          const out: string[] = [];
          const err: string[] = [];
          // The port comes first, so a fuzzed --port later wins; the places come last, so they always win.
          const args = [name, ...(name === 'serve' ? ['--port', '0'] : []), ...tokens, ...placeArgs(name)];
          let code: number;
          try {
            code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, stopped.signal);
          } catch (error) {
            throw new Error(`runCli threw for ${JSON.stringify(args).slice(0, 300)}: ${String(error)}`);
          }
          expect(Object.values(EXIT)).toContain(code);
          const said = err.join('\n');
          expect(said).not.toMatch(/\n\s+at \S+ \(/);
          if (code === EXIT.usage) {
            expect(said).toMatch(/^ballast/);
            expect(said.length).toBeGreaterThan(10);
          }
        }),
        fuzzParams(CI_RUNS),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 50),
  );

  it('a file-system error in a command is exit 3 with one line, also in a vm context (it was thrown under jest)', async () => {
    const err: string[] = [];
    // A folder given as the market file: reading it fails with EISDIR, an error of Node's own realm.
    const code = await runCli(['backtest', '--market', dir.path, '--out', join(dir.path, 'out')], {
      out: () => undefined,
      err: (line) => err.push(line),
    });
    expect(code).toBe(EXIT.storeFailed);
    expect(err.join('\n')).toMatch(/^ballast backtest: .*EISDIR/);
  });
});
