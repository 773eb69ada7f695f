import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { runCli } from '../src/run-cli';

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** The audit's total digest line of a store. */
const totalDigest = async (db: string): Promise<string> => {
  const { code, out } = await cli('audit', '--db', db, '--json');
  expect(code).toBe(0);
  return (JSON.parse(out) as { totalDigest: string }).totalDigest;
};

describe('ballast export and import: an off-site copy as JSON lines, every hash checked on the way back', () => {
  let dir: string;
  let source: string;
  let exported: string;
  let eventLines: string[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-export-'));
    source = join(dir, 'source.db');
    expect(
      (
        await cli(
          'simulate',
          '--db',
          source,
          '--agents',
          '2',
          '--days',
          '2',
          '--seed',
          '5',
          '--out',
          join(dir, 'sim-out'),
        )
      ).code,
    ).toBe(0);
    exported = join(dir, 'log.jsonl');
    const done = await cli('export', '--db', source, '--out', exported);
    expect(done.code).toBe(0);
    eventLines = readFileSync(exported, 'utf8').trimEnd().split('\n');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const variant = (name: string, lines: string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const importInto = (from: string, name: string) => cli('import', '--from', from, '--db', join(dir, name));

  it('round trip: the imported store audits to the same total digest, and a second export has the same event lines', async () => {
    const imported = await importInto(exported, 'copy.db');
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/^imported {2}\d+ events in \d+ streams into .*copy.db; every hash checked/);
    expect(imported.out).not.toMatch(/positions/);
    expect(await totalDigest(join(dir, 'copy.db'))).toBe(await totalDigest(source));
    const again = join(dir, 'again.jsonl');
    expect((await cli('export', '--db', join(dir, 'copy.db'), '--out', again)).code).toBe(0);
    expect(readFileSync(again, 'utf8').split('\n').slice(1)).toEqual(
      readFileSync(exported, 'utf8').split('\n').slice(1),
    );
    expect(readdirSync(dir).filter((f) => f.includes('.importing') || f.endsWith('.partial'))).toEqual([]);
  });

  it('a store written before transfers existed (an older main) exports and imports to the same digest', async () => {
    const legacy = join(dir, 'legacy.db');
    copyFileSync(join(__dirname, '..', '..', '..', 'tests', 'fixtures', 'store-before-transfers.db'), legacy);
    const file = join(dir, 'legacy.jsonl');
    expect((await cli('export', '--db', legacy, '--out', file)).code).toBe(0);
    expect((await importInto(file, 'legacy-copy.db')).code).toBe(0);
    expect(await totalDigest(join(dir, 'legacy-copy.db'))).toBe(await totalDigest(legacy));
  }, 60_000);

  it.each([
    [
      'an event edited after the export',
      (l: string[]) =>
        l.map((x, i) => (i === 5 ? x.replace(/"revision":(\d+)/, '"revision":$1').replace(/"at":(\d)/, '"at":9') : x)),
      /IMPORT_HASH_MISMATCH/,
    ],
    ['a line removed', (l: string[]) => l.filter((_, i) => i !== 4), /IMPORT_OUT_OF_ORDER|IMPORT_HASH_MISMATCH/],
    [
      'two lines swapped',
      (l: string[]) => l.map((x, i) => (i === 3 ? l[4]! : i === 4 ? l[3]! : x)),
      /IMPORT_OUT_OF_ORDER/,
    ],
    ['the end cut off', (l: string[]) => l.slice(0, -10), /IMPORT_CUT_OFF.*|the export was cut off/],
    [
      'a trailer that counts other events',
      (l: string[]) => [...l.slice(0, -1), l.at(-1)!.replace(/"events":\d+/, '"events":1')],
      /IMPORT_TRAILER_MISMATCH/,
    ],
    ['a line after the trailer', (l: string[]) => [...l, l[1]!], /a line after the trailer/],
    ['a line that is not JSON', (l: string[]) => [...l.slice(0, 3), '{"position":', ...l.slice(3)], /line 4: not JSON/],
    [
      'a prototype key in an event',
      (l: string[]) => l.map((x, i) => (i === 2 ? x.replace('{"position"', '{"__proto__":{"x":1},"position"') : x)),
      /line 3: not an exported event/,
    ],
    ['no header', (l: string[]) => l.slice(1), /line 1: not an export header/],
  ])('%s: refused naming the line, and no store is left behind', async (_name, edit, expected) => {
    const file = variant(`bad-${_name.replace(/\W+/g, '-')}.jsonl`, edit(eventLines));
    const db = join(dir, `bad-${_name.replace(/\W+/g, '-')}.db`);
    const result = await cli('import', '--from', file, '--db', db);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(expected);
    expect(result.err).toMatch(/nothing imported$/);
    expect(readdirSync(dir).filter((f) => f.startsWith(`bad-${_name.replace(/\W+/g, '-')}.db`))).toEqual([]);
  });

  it('export refuses a broken chain and writes no file; both refuse to write over a file', async () => {
    const broken = join(dir, 'broken.db');
    copyFileSync(source, broken);
    const db = new Database(broken);
    db.prepare('UPDATE events SET data = replace(data, \'"at":\', \'"at": \') WHERE position = 3').run();
    db.close();
    const out = join(dir, 'broken.jsonl');
    const refused = await cli('export', '--db', broken, '--out', out);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/HASH_MISMATCH.*nothing exported/);
    expect(existsSync(out) || existsSync(`${out}.partial`)).toBe(false);
    expect((await cli('export', '--db', source, '--out', exported)).err).toMatch(
      /exists already; an export is never written over a file/,
    );
    expect((await cli('import', '--from', exported, '--db', source)).err).toMatch(
      /exists already; import builds a new store/,
    );
    expect((await cli('import', '--from', join(dir, 'none.jsonl'), '--db', join(dir, 'n.db'))).err).toMatch(
      /no such file/,
    );
  });

  it('a line longer than any export writes is refused without reading it whole, and nothing is left', async () => {
    const file = join(dir, 'long-line.jsonl');
    writeFileSync(file, `${eventLines[0]}\n${'x'.repeat(9 * 1024 * 1024)}`);
    const refused = await importInto(file, 'long-line.db');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/IMPORT_MALFORMED.*line 2: longer than 8388608 characters|line 2: longer than/);
    expect(readdirSync(dir).filter((f) => f.startsWith('long-line.db'))).toEqual([]);
  });

  it('--out - into a reader that is gone is exit 1 and says the export is incomplete (not "exported")', () => {
    const main = join(__dirname, '..', 'src', 'main.ts');
    const run = spawnSync(
      'bash',
      ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${main}" export --db "${source}" --out - | true`],
      {
        cwd: join(__dirname, '..', '..', '..'),
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the reader of standard output went away: the export is incomplete/);
    expect(run.stderr).not.toMatch(/^exported/m);
  });

  it('--out - writes the export to standard output, the summary to standard error', async () => {
    const piped = await cli('export', '--db', source, '--out', '-');
    expect(piped.code).toBe(0);
    expect(piped.out.split('\n').slice(1)).toEqual(eventLines.slice(1));
    expect(piped.err).toMatch(/^exported {2}\d+ events/);
  });
});
