import { TreasuryEventCodec, type TreasuryEvent } from '@ballast/domain';
import { AGGREGATE_KINDS, auditStore, type Ballast, fromRecorded, openBallast } from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { approvals } from '../support/policy-fixtures';
import { agentConfig, T0 } from '../support/treasury-fixtures';
import { approvalViolation, type BudgetRule, budgetViolation, stopViolation } from './spend-invariants';

/**
 * BUDGET, APPROVAL, STOP under concurrency: several engines share one store and many callers send
 * withdrawals, bets, approvals, denials, stops and lifts at once, so appends race and deciders
 * re-decide on lost races. The invariants are then checked on the log alone (spend-invariants.ts).
 */
const HOUR = 3_600_000;
const RUNS = Number(process.env.BALLAST_POLICY_RUNS ?? 80);
const SEED = process.env.BALLAST_POLICY_SEED
  ? { seed: Number(process.env.BALLAST_POLICY_SEED) }
  : process.env.BALLAST_POLICY_RUNS
    ? {}
    : { seed: 20261127 };
const ENGINES = 3;
const OPERATORS = ['alice', 'bob', 'carol', 'dave'] as const;
const THRESHOLD = '5000';

const policy = {
  budgets: [
    { name: 'withdrawals', window: '1h', category: 'withdrawal', limit: '9000' },
    { name: 'acme', window: '24h', counterparty: 'bank:acme', limit: '12000' },
    { name: 'all', window: '24h', limit: '20000' },
  ],
  approvals: approvals({ threshold: THRESHOLD, expiresMs: 6 * HOUR }),
  liftRequired: 2,
};
const rules: BudgetRule[] = [
  { name: 'withdrawals', windowMs: HOUR, limit: '9000', types: ['FundsWithdrawn'] },
  { name: 'acme', windowMs: 24 * HOUR, limit: '12000', types: ['FundsWithdrawn'], to: 'bank:acme' },
  { name: 'all', windowMs: 24 * HOUR, limit: '20000', types: ['FundsWithdrawn', 'BetPlaced'] },
];

type Action =
  | { readonly kind: 'withdraw'; readonly amount: number; readonly to: string }
  | { readonly kind: 'bet'; readonly stake: number }
  | { readonly kind: 'approve' | 'deny'; readonly who: string; readonly request: number }
  | { readonly kind: 'stop' | 'lift'; readonly who: string }
  | { readonly kind: 'deposit'; readonly amount: number }
  | { readonly kind: 'wait'; readonly ms: number };

const who = fc.constantFrom(...OPERATORS);
const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('withdraw' as const),
      amount: fc.integer({ min: 1, max: 8000 }),
      to: fc.constantFrom('bank:acme', 'bank:b'),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bet' as const), stake: fc.integer({ min: 1, max: 300 }) }) },
  {
    weight: 10,
    arbitrary: fc.record({
      // Mostly approvals: a denial closes a request for good.
      kind: fc.constantFrom(...(['approve', 'approve', 'approve', 'approve', 'approve', 'deny'] as const)),
      who,
      request: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constantFrom('stop' as const, 'lift' as const, 'lift' as const, 'lift' as const),
      who,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deposit' as const), amount: fc.integer({ min: 1, max: 20000 }) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 60_000, max: 2 * HOUR }) }),
  },
);
/** Batches of actions sent at once, each through one of the engines. */
const history = fc.array(
  fc.array(fc.tuple(fc.integer({ min: 0, max: ENGINES - 1 }), action), { minLength: 1, maxLength: 8 }),
  {
    minLength: 5,
    maxLength: 25,
  },
);

const commandOf = (a: Action): Record<string, unknown> => {
  switch (a.kind) {
    case 'withdraw':
      return { type: 'Withdraw', bucket: 'referral', amount: String(a.amount), to: a.to };
    case 'bet':
      return {
        type: 'PlaceBet',
        betId: `b${Math.random().toString(36).slice(2)}`,
        game: 'coin_flip',
        stake: String(a.stake),
      };
    case 'approve':
      return { type: 'ApproveRequest', requestId: `req-${a.request}`, approver: a.who };
    case 'deny':
      return { type: 'DenyRequest', requestId: `req-${a.request}`, by: a.who };
    case 'stop':
      return { type: 'EmergencyStop', by: a.who };
    case 'lift':
      return { type: 'LiftEmergencyStop', by: a.who };
    case 'deposit':
      return { type: 'Deposit', bucket: 'referral', amount: String(a.amount) };
    case 'wait':
      return { type: 'Tick' };
  }
};

const logOf = async (ballast: { store: Parameters<typeof openBallast>[0]['store'] }): Promise<TreasuryEvent[]> => {
  const events: TreasuryEvent[] = [];
  for await (const r of ballast.store.readStream('treasury-alpha')) {
    const e = fromRecorded(AGGREGATE_KINDS.treasury, r);
    if (E.isLeft(e)) throw new Error(e.left.message);
    events.push(e.right as TreasuryEvent);
  }
  return events;
};

describe(`spend controls under concurrent callers on one store (${RUNS} runs; BALLAST_POLICY_RUNS for more)`, () => {
  it('BUDGET, APPROVAL and STOP hold on the log whatever the interleaving', async () => {
    const seen = { executed: 0, overBudget: 0, stopped: 0, conflicts: 0 };
    const codes: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(history, async (batches) => {
        const store = openMemoryStore();
        let now = T0;
        const clock = { now: () => (now += 1000) };
        const engines: Ballast[] = Array.from({ length: ENGINES }, () => openBallast({ store, clock }));
        let id = 0;
        const send = (engine: number, command: Record<string, unknown>) =>
          engines[engine]!.treasuries.execute('alpha', command as never, { commandId: `c${++id}` });
        const opened = await send(0, { type: 'OpenTreasury', config: agentConfig({ policy, sizing: 'lottery' }) });
        if (E.isLeft(opened)) throw new Error(opened.left.message);
        await send(0, { type: 'Deposit', amount: '200000' });
        for (const batch of batches) {
          const results = await Promise.all(
            batch.map(([engine, a]) => {
              if (a.kind === 'wait') now += a.ms;
              return send(engine, commandOf(a));
            }),
          );
          for (const r of results) {
            const code = E.isLeft(r) ? r.left.code : r.right.events.map((e) => e.type).join('+');
            codes[code] = (codes[code] ?? 0) + 1;
            if (E.isLeft(r) && r.left.code === 'BUDGET_EXCEEDED') seen.overBudget++;
            if (E.isLeft(r) && r.left.code === 'EMERGENCY_STOP') seen.stopped++;
            if (E.isLeft(r) && r.left.code === 'TIME_WENT_BACKWARDS') seen.conflicts++;
          }
        }
        const log = await logOf({ store });
        seen.executed += log.filter((e) => e.type === 'RequestExecuted').length;
        // The log decodes through the codec as written (nothing the engine could not read back).
        for (const e of log) expect(E.isRight(TreasuryEventCodec.decode(TreasuryEventCodec.encode(e)))).toBe(true);
        const problem = budgetViolation(log, rules) ?? approvalViolation(log, THRESHOLD) ?? stopViolation(log);
        // And the whole store still audits: chains, re-fold, G6 (executed approvals move money with both legs).
        const audit = await auditStore(store);
        await store.close();
        if (!audit.ok) throw new Error(`audit: ${JSON.stringify(audit.problem)}`);
        if (problem !== undefined) throw new Error(problem);
      }),
      { numRuns: RUNS, ...SEED },
    );
    if (process.env.BALLAST_POLICY_REPORT) console.log(JSON.stringify(codes, null, 1));
    // A property that never reached a limit, an execution or a stop would prove nothing.
    expect(seen.executed).toBeGreaterThan(0);
    expect(seen.overBudget).toBeGreaterThan(0);
    expect(seen.stopped).toBeGreaterThan(0);
    if (process.env.BALLAST_POLICY_REPORT) console.log(JSON.stringify(seen));
  }, 600_000);
});
