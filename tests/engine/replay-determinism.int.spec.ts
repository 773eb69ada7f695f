import { auditStore, openBallast, stateDigest } from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import { poolConfig } from '../support/pool-fixtures';
import { agentConfig, T0 } from '../support/treasury-fixtures';
import { STORES } from './engine-fixtures';

/** mulberry32: a tiny seeded generator, so the same seed gives the same run on every store. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const AGENTS = ['a1', 'a2', 'a3'];

const drive = async (store: EventStore, seed: number, steps: number) => {
  const random = rng(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  const money = (max: number) => (int(max * 100) / 100 + 0.01).toFixed(2);
  let now = T0;
  const ballast = openBallast({ store, clock: { now: () => now } });
  for (const a of AGENTS) {
    await ballast.treasuries.execute(
      a,
      { type: 'OpenTreasury', config: agentConfig({ sizing: 'lottery' }) },
      { commandId: `open-${a}` },
    );
    await ballast.treasuries.execute(a, { type: 'Deposit', amount: '1000' }, { commandId: `dep-${a}` });
  }
  await ballast.pools.execute(
    'main',
    { type: 'OpenPool', poolId: 'main', config: poolConfig() },
    { commandId: 'pool' },
  );
  for (let i = 0; i < steps; i++) {
    now += int(4) * 3_600_000;
    const a = pick(AGENTS);
    const id = `s${i}`;
    const roll = int(10);
    const command =
      roll === 0
        ? {
            kind: 'treasury',
            id: a,
            c: { type: 'RecordValuation', bucket: pick(['trading', 'casino']), value: money(400) },
          }
        : roll === 1
          ? {
              kind: 'treasury',
              id: a,
              c: { type: 'Transfer', from: pick(['referral', 'casino']), to: 'reserve', amount: money(30) },
            }
          : roll <= 3
            ? { kind: 'treasury', id: a, c: { type: 'PlaceBet', betId: id, game: pick(['coin_flip', 'roulette_red']) } }
            : roll === 4
              ? { kind: 'treasury', id: a, c: { type: 'SettleBet', betId: `s${i - 1}`, won: random() < 0.48 } }
              : roll === 5
                ? {
                    kind: 'treasury',
                    id: a,
                    c: {
                      type: 'OpenPosition',
                      positionId: id,
                      symbol: 'ETH-USD',
                      side: pick(['long', 'short']),
                      entryPrice: '2000',
                      leverage: 1 + int(5),
                      stopLoss: '0.02',
                      takeProfit: '0.05',
                      size: money(30),
                    },
                  }
                : roll === 6
                  ? {
                      kind: 'treasury',
                      id: a,
                      c: { type: 'MarkPrice', symbol: 'ETH-USD', price: (1800 + int(400)).toString() },
                    }
                  : roll === 7
                    ? {
                        kind: 'pool',
                        id: 'main',
                        c: { type: 'JoinPool', agentId: a, stake: '200', coverage: '800', riskScore: '0.5' },
                      }
                    : roll === 8
                      ? {
                          kind: 'pool',
                          id: 'main',
                          c: {
                            type: 'FileClaim',
                            claimId: id,
                            claimant: a,
                            coverageType: 'delivery_failure',
                            amount: money(100),
                            evidence: { step: i },
                          },
                        }
                      : {
                          kind: 'escrow',
                          id,
                          c: {
                            type: 'CreateEscrow',
                            escrowId: id,
                            payer: a,
                            payee: pick(AGENTS.filter((x) => x !== a)),
                            amount: money(50),
                            deadline: now + 86_400_000,
                          },
                        };
    const facade =
      command.kind === 'treasury' ? ballast.treasuries : command.kind === 'pool' ? ballast.pools : ballast.escrows;
    await facade.executeJson(command.id, command.c, { commandId: `cmd-${i}` });
  }
  return ballast;
};

describe('G1: replay determinism across stores', () => {
  it('the same seeded run gives the same digests live and on replay, in memory and in SQLite', async () => {
    const results: { total: string; aggregates: string[] }[] = [];
    for (const [, open] of STORES) {
      const { store, dispose } = open();
      try {
        const ballast = await drive(store, 42, 400);
        const report = await auditStore(store);
        expect(report.ok).toBe(true);
        for (const a of AGENTS) {
          const live = await ballast.treasuries.load(a);
          expect(report.aggregates.find((x) => x.streamId === `treasury-${a}`)!.digest).toBe(stateDigest(live.state));
        }
        const pool = await ballast.pools.load('main');
        expect(report.aggregates.find((x) => x.streamId === 'pool-main')!.digest).toBe(stateDigest(pool.state));
        results.push({
          total: report.totalDigest,
          aggregates: report.aggregates.map((x) => `${x.streamId}:${x.digest}`),
        });
      } finally {
        await dispose();
      }
    }
    expect(results[1]).toEqual(results[0]);
    expect(results[0]!.aggregates.length).toBeGreaterThan(20);
  });
});
