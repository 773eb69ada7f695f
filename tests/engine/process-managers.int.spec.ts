import {
  auditStore,
  type CheckpointStore,
  driftRebalancer,
  escrowSettlement,
  memoryCheckpoints,
  type ReactionOutcome,
  runProcessManager,
  type RunningProjection,
  schedules,
  transferSettlement,
} from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { collect } from '../event-store/fixtures';
import { poolConfig } from '../support/pool-fixtures';
import { agentConfig } from '../support/treasury-fixtures';
import { engineOn, type EngineFixture, STORES } from './engine-fixtures';

const HOUR = 3_600_000;

/** A checkpoint store that sometimes loses a save, as if the process died right before writing it. */
const lossy = (inner: CheckpointStore, seed: number): CheckpointStore => {
  let s = seed;
  return {
    ...inner,
    save: async (name, c, parked) =>
      (s = (s * 16807) % 2147483647) % 3 === 0 ? undefined : inner.save(name, c, parked),
  };
};

describe.each(STORES)('process managers over the %s store', (_name, open) => {
  let f: EngineFixture;
  const outcomes: ReactionOutcome[] = [];
  const managers = () => [driftRebalancer, escrowSettlement('main'), schedules, transferSettlement];
  const startAll = (checkpoints: CheckpointStore) =>
    Promise.all(
      managers().map((m) =>
        runProcessManager(f.ballast, checkpoints, m as never, { onOutcome: (o) => outcomes.push(o) }),
      ),
    );
  const settle = async (running: RunningProjection<unknown>[]) => {
    // Reactions append events that cause further reactions: wait until nothing new lands.
    for (let head = -1; head !== (await f.store.headPosition());) {
      head = await f.store.headPosition();
      await Promise.all(running.map((r) => r.whenProcessed(head)));
    }
  };
  const ok = async (p: Promise<E.Either<{ code: string; message: string }, unknown>>) => {
    const r = await p;
    if (E.isLeft(r)) throw new Error(`${r.left.code}: ${r.left.message}`);
  };
  const setup = async () => {
    for (const agent of ['alpha', 'beta', 'gamma', 'delta']) {
      await ok(
        f.ballast.treasuries.execute(
          agent,
          { type: 'OpenTreasury', config: agentConfig() },
          { commandId: `open-${agent}` },
        ),
      );
      await ok(f.ballast.treasuries.execute(agent, { type: 'Deposit', amount: '1000' }, { commandId: `dep-${agent}` }));
    }
    await ok(
      f.ballast.pools.execute(
        'main',
        { type: 'OpenPool', poolId: 'main', config: poolConfig() },
        { commandId: 'pool' },
      ),
    );
    for (const agent of ['beta', 'gamma', 'delta'])
      await ok(
        f.ballast.pools.execute(
          'main',
          { type: 'JoinPool', agentId: agent, stake: '200', coverage: '800', riskScore: '0.5' },
          { commandId: `join-${agent}` },
        ),
      );
  };
  const typesIn = async (stream: string) => (await collect(f.store.readStream(stream))).map((e) => e.type);

  beforeEach(() => {
    f = engineOn(open);
    outcomes.length = 0;
  });
  afterEach(() => f.dispose());

  it('settles an escrow across streams: lock in the payer treasury, then pay the payee once released', async () => {
    await setup();
    const running = await startAll(memoryCheckpoints());
    await ok(
      f.ballast.escrows.execute(
        'e1',
        {
          type: 'CreateEscrow',
          escrowId: 'e1',
          payer: 'alpha',
          payee: 'beta',
          amount: '50',
          deadline: f.clock.now() + 24 * HOUR,
        },
        { commandId: 'esc-1' },
      ),
    );
    await settle(running);
    expect((await f.ballast.treasuries.load('alpha')).state.treasury.escrows.e1).toMatchObject({
      amount: expect.anything(),
    });
    await ok(
      f.ballast.escrows.execute('e1', { type: 'ReleaseEscrow', proof: 'report delivered' }, { commandId: 'rel-1' }),
    );
    await settle(running);
    expect((await f.ballast.treasuries.load('alpha')).state.treasury.escrows.e1).toBeUndefined();
    expect(await typesIn('treasury-beta')).toContain('TransferReceived');
    // beta paid its $200 stake to the pool and earned $50 from alpha: both legs of both transfers landed.
    const beta = (await f.ballast.treasuries.load('beta')).state.treasury.ledger;
    expect([beta.sent.toFixed(), beta.received.toFixed()]).toEqual(['200', '50']);
    expect((await f.ballast.pools.load('main')).state.reserve.toFixed()).toBe('600');
    const audit = await auditStore(f.store);
    expect([audit.ok, audit.ledger.ok, audit.ledger.inFlight, audit.ledger.transfers.completed]).toEqual([
      true,
      true,
      '0',
      4,
    ]);
    await Promise.all(running.map((r) => r.stop()));
  });

  it("expires an escrow at its deadline, refunds the payer and files the insured payee's default claim", async () => {
    await setup();
    const running = await startAll(memoryCheckpoints());
    await ok(
      f.ballast.escrows.execute(
        'e2',
        {
          type: 'CreateEscrow',
          escrowId: 'e2',
          payer: 'alpha',
          payee: 'beta',
          amount: '40',
          deadline: f.clock.now() + 24 * HOUR,
        },
        { commandId: 'esc-2' },
      ),
    );
    await settle(running);
    f.clock.advance(25 * HOUR);
    await ok(f.ballast.treasuries.execute('alpha', { type: 'Tick' }, { commandId: 'tick-1' }));
    await settle(running);
    expect(await typesIn('escrow-e2')).toEqual(['EscrowCreated', 'EscrowExpired']);
    expect((await f.ballast.treasuries.load('alpha')).state.treasury.escrows.e2).toBeUndefined();
    const claims = Object.values((await f.ballast.pools.load('main')).state.claims);
    expect(claims).toMatchObject([{ claimant: 'beta', coverageType: 'counterparty_default', status: 'pending' }]);
    expect(claims[0]!.amount.toFixed()).toBe('40');
    await Promise.all(running.map((r) => r.stop()));
  });

  it('refunds an escrow whose lock the payer treasury refused (T5), and rebalances a drifted treasury', async () => {
    await setup();
    const running = await startAll(memoryCheckpoints());
    await ok(
      f.ballast.escrows.execute(
        'e3',
        {
          type: 'CreateEscrow',
          escrowId: 'e3',
          payer: 'alpha',
          payee: 'beta',
          amount: '500',
          deadline: f.clock.now() + 24 * HOUR,
        },
        { commandId: 'esc-3' },
      ),
    );
    await ok(
      f.ballast.treasuries.execute(
        'beta',
        { type: 'Deposit', amount: '400', bucket: 'casino' },
        { commandId: 'drift' },
      ),
    );
    await settle(running);
    expect(await typesIn('escrow-e3')).toEqual(['EscrowCreated', 'EscrowRefunded']);
    expect(await typesIn('treasury-beta')).toContain('Rebalanced');
    await Promise.all(running.map((r) => r.stop()));
  });

  it('acts exactly once per reaction however often it restarts and however many checkpoints it loses', async () => {
    await setup();
    const checkpoints = lossy(memoryCheckpoints(), 7);
    const steps: [string, () => Promise<void>][] = [
      [
        'create e4',
        () =>
          ok(
            f.ballast.escrows.execute(
              'e4',
              {
                type: 'CreateEscrow',
                escrowId: 'e4',
                payer: 'alpha',
                payee: 'beta',
                amount: '30',
                deadline: f.clock.now() + 24 * HOUR,
              },
              { commandId: 'esc-4' },
            ),
          ),
      ],
      [
        'create e5',
        () =>
          ok(
            f.ballast.escrows.execute(
              'e5',
              {
                type: 'CreateEscrow',
                escrowId: 'e5',
                payer: 'beta',
                payee: 'alpha',
                amount: '20',
                deadline: f.clock.now() + 24 * HOUR,
              },
              { commandId: 'esc-5' },
            ),
          ),
      ],
      [
        'release e4 part',
        () =>
          ok(
            f.ballast.escrows.execute(
              'e4',
              { type: 'ReleaseEscrow', proof: 'half', amount: '10' },
              { commandId: 'rel-4a' },
            ),
          ),
      ],
      [
        'release e4 rest',
        () => ok(f.ballast.escrows.execute('e4', { type: 'ReleaseEscrow', proof: 'rest' }, { commandId: 'rel-4b' })),
      ],
      ['next month', async () => void f.clock.advance(40 * 24 * HOUR)],
      ['tick', () => ok(f.ballast.treasuries.execute('alpha', { type: 'Tick' }, { commandId: 'tick-2' }))],
    ];
    for (const [, step] of steps) {
      const running = await startAll(checkpoints);
      await step();
      await settle(running);
      await Promise.all(running.map((r) => r.stop()));
    }
    const count = (types: string[], t: string) => types.filter((x) => x === t).length;
    const alpha = await typesIn('treasury-alpha');
    const beta = await typesIn('treasury-beta');
    expect([count(alpha, 'EscrowLocked'), count(beta, 'EscrowLocked')]).toEqual([1, 1]);
    expect(count(alpha, 'EscrowReleased')).toBe(2);
    expect(count(beta, 'TransferReceived')).toBe(2);
    expect(count(beta, 'EscrowRefunded') + count(alpha, 'TransferReceived')).toBe(1);
    expect(count(await typesIn('pool-main'), 'PremiumCollected')).toBe(3);
    // Each stake and premium was debited once in its treasury, however often the managers restarted.
    expect(count(beta, 'TransferSent')).toBe(2);
    const audit = await auditStore(f.store);
    expect([audit.ok, audit.ledger.inFlight, audit.ledger.problemCount]).toEqual([true, '0', 0]);
    // Restarts replayed reactions the engine had already committed: those are answered, not repeated.
    expect(outcomes.some((o) => o.outcome === 'replayed')).toBe(true);
  });
});
