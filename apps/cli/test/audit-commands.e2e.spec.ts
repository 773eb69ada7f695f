import { openBallast } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { runCli } from '../src/run-cli';
import { agentConfig, T0 } from '../../../tests/support/treasury-fixtures';

const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
};
const cli = async (...args: string[]) => {
  const c = capture();
  const code = await runCli(args, c.io);
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
};

describe('ballast audit, replay, inspect and tail on a store the engine wrote', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-audit-'));
    db = join(dir, 'ballast.db');
    const store = openSqliteStore(db);
    let now = T0;
    const ballast = openBallast({ store, clock: { now: () => now } });
    const run = async (command: unknown, commandId: string) => {
      const r = await ballast.treasuries.executeJson('alpha', command, { commandId });
      if (E.isLeft(r)) throw new Error(r.left.message);
    };
    await run({ type: 'OpenTreasury', config: agentConfig({ sizing: 'lottery' }) }, 'open');
    await run({ type: 'Deposit', amount: '1000' }, 'dep');
    for (let i = 0; i < 5; i++) {
      now += 3_600_000;
      await run({ type: 'PlaceBet', betId: `b${i}`, game: 'coin_flip' }, `bet-${i}`);
      await run({ type: 'SettleBet', betId: `b${i}`, won: i % 2 === 0 }, `settle-${i}`);
    }
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('audit re-folds every aggregate and prints stable digests', async () => {
    const first = await cli('audit', '--db', db, '--json');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.out);
    // 1 open + 4 deposits + 1 session start + 5 bets + 5 settlements.
    expect(report).toMatchObject({ ok: true, events: 16, aggregates: [{ streamId: 'treasury-alpha', revision: 15 }] });
    expect(JSON.parse((await cli('audit', '--db', db, '--json')).out).totalDigest).toBe(report.totalDigest);
    expect((await cli('audit', '--db', db)).out).toContain('audit     ok');
  });

  it('replay shows the state at a revision or a time', async () => {
    const atRevision = JSON.parse(
      (await cli('replay', '--db', db, '--stream', 'treasury-alpha', '--revision', '5', '--json')).out,
    );
    expect(atRevision).toMatchObject({
      streamId: 'treasury-alpha',
      revision: 5,
      state: { treasury: { buckets: { casino: '150', reserve: '400' } } },
    });
    const atTime = JSON.parse(
      (await cli('replay', '--db', db, '--stream', 'treasury-alpha', '--at', new Date(T0).toISOString(), '--json')).out,
    );
    expect(atTime.revision).toBe(4);
    expect((await cli('replay', '--db', db, '--stream', 'treasury-alpha')).code).toBe(2);
    expect((await cli('replay', '--db', db, '--stream', 'wallet-x', '--revision', '1')).err).toContain(
      'is not a stream of an aggregate (treasury-, pool-, escrow-, access-)',
    );
  });

  it('inspect filters by stream and type, as a table or JSON lines', async () => {
    const bets = await cli('inspect', '--db', db, '--type', 'BetPlaced');
    expect(bets.out.split('\n')).toHaveLength(6);
    expect(bets.out).toContain('treasury-alpha@6');
    const lines = (await cli('inspect', '--db', db, '--stream', 'treasury-alpha', '--limit', '2', '--json')).out
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((e: { type: string }) => e.type)).toEqual(['TreasuryOpened', 'FundsDeposited']);
    expect((await cli('inspect', '--db', db, '--limit', '0')).code).toBe(2);
  });

  it('tail prints the last events from a position', async () => {
    const tail = await cli('tail', '--db', db, '--from', '15', '--json');
    expect(tail.out.split('\n').map((l) => JSON.parse(l).position)).toEqual([15, 16]);
  });

  it('G3: the audit command exits 1 naming the stream and revision of a flipped byte', () => {
    const copy = join(dir, 'tampered.db');
    const bytes = readFileSync(db);
    // SQLite may keep stale copies of a row in free pages, so flip the id in every copy of it.
    for (let at = bytes.indexOf('"betId":"b3"'); at >= 0; at = bytes.indexOf('"betId":"b3"', at + 1))
      bytes[at + 10] = bytes[at + 10]! ^ 0x01;
    writeFileSync(copy, bytes);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(__dirname, '..', 'src', 'main.ts'), 'audit', '--db', copy],
      { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') },
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/audit {5}FAILED at stream treasury-alpha revision \d+ \(HASH_MISMATCH\)/);
  });
});
