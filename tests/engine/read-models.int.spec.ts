import {
  auditStore,
  auditTrail,
  drainProcessManagers,
  transferSettlement,
  breakerHistory,
  deserializeState,
  escrowStates,
  memoryCheckpoints,
  openEscrows,
  poolHealth,
  poolStates,
  riskBoard,
  runProjection,
  serializeState,
  stateDigest,
  treasuryAccounts,
  treasuryOverview,
} from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { poolConfig } from '../support/pool-fixtures';
import { engineOn, openTreasury, STORES } from './engine-fixtures';

describe('read models over an engine run', () => {
  it('show treasuries, risk, breakers, pools, open escrows and who did what', async () => {
    const f = engineOn(STORES[0]![1]);
    const ok = async (p: Promise<E.Either<{ message: string }, unknown>>) => {
      const r = await p;
      if (E.isLeft(r)) throw new Error(r.left.message);
    };
    await ok(f.ballast.treasuries.execute('alpha', openTreasury, { commandId: 'open', actor: 'alpha' }));
    await ok(
      f.ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep', actor: 'alpha' }),
    );
    await ok(
      f.ballast.pools.execute(
        'main',
        { type: 'OpenPool', poolId: 'main', config: poolConfig() },
        { commandId: 'pool', actor: 'ops' },
      ),
    );
    await ok(
      f.ballast.pools.execute(
        'main',
        { type: 'JoinPool', agentId: 'alpha', stake: '200', coverage: '800' },
        { commandId: 'join', actor: 'alpha' },
      ),
    );
    // The stake is a transfer: alpha's treasury pays it, then the pool is credited.
    await drainProcessManagers(f.ballast, [transferSettlement as never], {
      position: 0,
      events: 0,
      states: new Map(),
      deadLetters: [],
    });
    await ok(
      f.ballast.treasuries.execute(
        'alpha',
        { type: 'RecordValuation', bucket: 'trading', value: '290' },
        { commandId: 'mark', actor: 'oracle' },
      ),
    );
    await ok(
      f.ballast.escrows.execute(
        'e1',
        {
          type: 'CreateEscrow',
          escrowId: 'e1',
          payer: 'alpha',
          payee: 'beta',
          amount: '50',
          deadline: f.clock.now() + 86_400_000,
        },
        { commandId: 'esc', actor: 'alpha' },
      ),
    );

    const checkpoints = memoryCheckpoints();
    const head = await f.store.headPosition();
    const accountsRun = await runProjection(f.store, checkpoints, treasuryAccounts);
    const breakersRun = await runProjection(f.store, checkpoints, breakerHistory);
    const poolsRun = await runProjection(f.store, checkpoints, poolStates);
    const escrowsRun = await runProjection(f.store, checkpoints, escrowStates);
    const trailRun = await runProjection(f.store, checkpoints, auditTrail);
    const running = [accountsRun, breakersRun, poolsRun, escrowsRun, trailRun];
    await Promise.all(running.map((r) => r.whenProcessed(head)));
    const accounts = accountsRun.state$.value;
    const breakers = breakersRun.state$.value;
    const pools = poolsRun.state$.value;
    const escrows = escrowsRun.state$.value;
    const trail = trailRun.state$.value;

    expect(treasuryOverview(accounts)).toMatchObject([
      { treasuryId: 'alpha', buckets: { trading: '290', reserve: '200' }, locks: { escrow: '0' }, equity: '740' },
    ]);
    expect(riskBoard(accounts)).toMatchObject([
      { treasuryId: 'alpha', status: 'PAUSED', drawdown: '0.075', dailyPnl: '-60', breakerTrips: 1 },
    ]);
    expect(breakers.alpha!.map((b) => b.type)).toEqual(['RiskPaused']);
    expect(poolHealth(pools)).toMatchObject([
      {
        poolId: 'main',
        reserve: '200',
        coverage: '800',
        fundingRatio: '0.25',
        underfunded: false,
        reputation: { alpha: { filed: 0 } },
      },
    ]);
    expect(openEscrows(escrows)).toMatchObject([{ escrowId: 'e1', payer: 'alpha', remaining: '50', status: 'open' }]);
    expect(Object.keys(trail).sort()).toEqual(['alpha', 'ops', 'oracle', 'pm:transfer-settlement']);

    // G1 for read models: the audit's fresh re-fold gives the live projections' digests.
    const report = await auditStore(f.store);
    expect(report.projections).toEqual(running.map((r) => ({ name: r.name, digest: stateDigest(r.state$.value) })));
    // The checkpoint form restores the domain's states exactly.
    expect(stateDigest(deserializeState(serializeState(accounts)))).toBe(stateDigest(accounts));
    await Promise.all(running.map((r) => r.stop()));
    await f.dispose();
  });
});
