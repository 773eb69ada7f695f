import { auditStore, stateDigest } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { collect } from '../event-store/fixtures';
import { engineOn, type EngineFixture, openTreasury, STORES } from './engine-fixtures';

describe.each(STORES)('engine over the %s store', (_name, open) => {
  let f: EngineFixture;
  beforeEach(() => {
    f = engineOn(open);
  });
  afterEach(() => f.dispose());

  const run = async (command: Record<string, unknown>, commandId: string) => {
    const result = await f.ballast.treasuries.executeJson('alpha', command, { commandId, actor: 'agent-alpha' });
    if (E.isLeft(result)) throw new Error(`${commandId}: ${result.left.code} ${result.left.message}`);
    return result.right;
  };

  it('decides and appends, stamping event time from the injected clock', async () => {
    await run(openTreasury, 'open');
    f.clock.advance(60_000);
    const committed = await run({ type: 'Deposit', amount: '1000' }, 'dep-1');
    expect(committed.events.map((e) => e.type)).toEqual([
      'FundsDeposited',
      'FundsDeposited',
      'FundsDeposited',
      'FundsDeposited',
    ]);
    expect(committed.events[0]!.at).toBe(f.clock.now());
    const stored = await collect(f.store.readStream('treasury-alpha'));
    expect(stored.map((e) => [e.revision, e.type, e.metadata.commandId, e.metadata.actor])).toEqual([
      [0, 'TreasuryOpened', 'open', 'agent-alpha'],
      [1, 'FundsDeposited', 'dep-1', 'agent-alpha'],
      [2, 'FundsDeposited', 'dep-1', 'agent-alpha'],
      [3, 'FundsDeposited', 'dep-1', 'agent-alpha'],
      [4, 'FundsDeposited', 'dep-1', 'agent-alpha'],
    ]);
    expect(stored[1]!.data).toEqual({ at: f.clock.now(), bucket: 'reserve', amount: '400' });
    const { state, revision } = await f.ballast.treasuries.load('alpha');
    expect([revision, state.treasury.buckets.casino!.toFixed()]).toEqual([4, '150']);
  });

  it('G2: a retried command returns its first result and appends nothing, even after the state moved on', async () => {
    await run(openTreasury, 'open');
    const first = await run({ type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    await run({ type: 'PlaceBet', betId: 'b1', game: 'coin_flip' }, 'bet-1');
    const again = await run({ type: 'Deposit', amount: '100', bucket: 'casino' }, 'dep-1');
    expect(again).toMatchObject({ replayed: true, result: first.result });
    expect(again.events).toEqual(first.events);
    const betAgain = await run({ type: 'PlaceBet', betId: 'b1', game: 'coin_flip' }, 'bet-1');
    expect(betAgain.replayed).toBe(true);
    expect(await f.store.headPosition()).toBe(4);
  });

  it('records a risk refusal in the stream and still returns it as a refusal', async () => {
    await run(openTreasury, 'open');
    await run({ type: 'Deposit', amount: '1000' }, 'dep');
    const refused = await f.ballast.treasuries.execute(
      'alpha',
      { type: 'PlaceBet', betId: 'b1', game: 'coin_flip', stake: '100' },
      { commandId: 'bet-big' },
    );
    expect(E.isLeft(refused) && refused.left).toMatchObject({ code: 'BET_ABOVE_CAP', details: { cap: '3' } });
    const last = (await collect(f.store.readStream('treasury-alpha', { direction: 'backwards', maxCount: 1 })))[0]!;
    expect([last.type, last.data.code, last.metadata.commandId]).toEqual([
      'CommandRejected',
      'BET_ABOVE_CAP',
      'bet-big',
    ]);
  });

  it('G5: refuses a malformed command or a caller-supplied time, and appends nothing', async () => {
    await run(openTreasury, 'open');
    const head = await f.store.headPosition();
    for (const bad of [
      { type: 'Deposit', amount: 12.5 },
      { type: 'Deposit', amount: '1', at: 0 },
      { type: 'Teleport' },
      null,
      'deposit',
    ]) {
      const result = await f.ballast.treasuries.executeJson('alpha', bad, {
        commandId: `bad-${JSON.stringify(bad)}`.replace(/[^A-Za-z0-9-]/g, '') || 'bad',
      });
      expect(E.isLeft(result) && result.left.code).toBe('INVALID_INPUT');
    }
    expect(await f.store.headPosition()).toBe(head);
  });

  it('re-decides after losing a race: two engines on one stream both commit, in order', async () => {
    await run(openTreasury, 'open');
    await run({ type: 'Deposit', amount: '1000' }, 'dep');
    await f.other.treasuries.load('alpha');
    const [a, b] = await Promise.all([
      f.ballast.treasuries.execute(
        'alpha',
        { type: 'Withdraw', bucket: 'referral', amount: '10' },
        { commandId: 'w-a' },
      ),
      f.other.treasuries.execute('alpha', { type: 'Withdraw', bucket: 'referral', amount: '20' }, { commandId: 'w-b' }),
    ]);
    expect([E.isRight(a), E.isRight(b)]).toEqual([true, true]);
    const { state } = await f.other.treasuries.load('alpha');
    expect(state.treasury.buckets.referral!.toFixed()).toBe('70');
  });

  it('G1: live state and a fresh replay by the auditor have the same digest', async () => {
    await run(openTreasury, 'open');
    await run({ type: 'Deposit', amount: '1000' }, 'dep');
    for (let i = 0; i < 20; i++) {
      f.clock.advance(3_600_000);
      await run({ type: 'PlaceBet', betId: `b${i}`, game: 'coin_flip' }, `bet-${i}`);
      await run({ type: 'SettleBet', betId: `b${i}`, won: i % 3 === 0 }, `settle-${i}`);
    }
    await f.ballast.pools.execute(
      'main',
      { type: 'OpenPool', poolId: 'main', config: (await import('../support/pool-fixtures')).poolConfig() },
      { commandId: 'pool' },
    );
    const report = await auditStore(f.store);
    expect(report).toMatchObject({ ok: true, events: await f.store.headPosition() });
    const live = await f.ballast.treasuries.load('alpha');
    expect(report.aggregates.find((a) => a.streamId === 'treasury-alpha')).toEqual({
      streamId: 'treasury-alpha',
      kind: 'treasury',
      revision: live.revision,
      digest: stateDigest(live.state),
    });
    expect(report.aggregates.map((a) => a.streamId)).toEqual(['pool-main', 'treasury-alpha']);
    expect(report.totalDigest).toMatch(/^[0-9a-f]{64}$/);
  });
});
