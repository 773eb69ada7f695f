import {
  automaticDefaultClaim,
  decodeEscrowCommand,
  decodePoolCommand,
  escrowDecider,
  type EscrowState,
  money,
  planReinsurance,
  poolDecider,
  type PoolState,
} from '@ballast/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { HOUR, poolConfig, T0 } from '../support/pool-fixtures';
import { checkPoolState, foldEscrowChecked, foldPoolChecked } from './pool-invariants';

const AGENTS = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 'a8'];
const POOLS = ['alpha', 'beta'];

interface World {
  pools: Record<string, PoolState>;
  escrows: Record<string, EscrowState>;
  at: number;
  seq: number;
  events: Map<string, number>;
  trail: string[];
}

type Intent = (w: World) => void;

const count = (w: World, types: readonly { type: string }[]) =>
  types.forEach((e) => w.events.set(e.type, (w.events.get(e.type) ?? 0) + 1));
const log = (w: World, line: string) => {
  w.trail.push(line);
  if (w.trail.length > 20) w.trail.shift();
};

const runPool = (w: World, poolId: string, json: Record<string, unknown>): void => {
  const decoded = decodePoolCommand({ ...json, at: w.at });
  if (E.isLeft(decoded)) throw new Error(`generator made a bad pool command: ${decoded.left.message}`);
  const before = w.pools[poolId]!;
  const result = poolDecider.decide(decoded.right, before);
  const events = E.isRight(result) ? result.right : result.left.recorded;
  log(
    w,
    `${poolId} ${JSON.stringify(json)} → ${E.isRight(result) ? events.map((e) => e.type).join(',') : result.left.code}`,
  );
  w.pools[poolId] = foldPoolChecked(before, events);
  checkPoolState(w.pools[poolId]!);
  count(w, events);
  // Refusals and retries are counted too, so the run shows it reached them.
  if (E.isLeft(result)) count(w, [{ type: `${json.type}:${result.left.code}` }]);
  else if (events.length === 0) count(w, [{ type: `${json.type}:nothing` }]);
  for (const e of events)
    if (e.type === 'PremiumCollected' && before.members[e.agentId]?.lapsed)
      count(w, [{ type: 'PremiumCollected:reinstated' }]);
};

const runEscrow = (w: World, escrowId: string, json: Record<string, unknown>): void => {
  const decoded = decodeEscrowCommand({ ...json, at: w.at });
  if (E.isLeft(decoded)) throw new Error(`generator made a bad escrow command: ${decoded.left.message}`);
  const state = w.escrows[escrowId] ?? escrowDecider.initialState;
  const result = escrowDecider.decide(decoded.right, state);
  log(
    w,
    `${escrowId} ${JSON.stringify(json)} → ${E.isRight(result) ? result.right.map((e) => e.type).join(',') : result.left.code}`,
  );
  if (E.isRight(result)) {
    w.escrows[escrowId] = foldEscrowChecked(state, result.right);
    count(w, result.right);
  }
};

const pick = <T>(list: readonly T[], i: number): T | undefined =>
  list.length === 0 ? undefined : list[i % list.length];
const amount = (max: number) => fc.integer({ min: 1, max: max * 100 }).map((c) => (c / 100).toFixed(2));
const claimIds = (p: PoolState, statuses: readonly string[]) =>
  Object.values(p.claims)
    .filter((c) => statuses.includes(c.status))
    .map((c) => c.claimId)
    .sort();
/** What the pool has asked for and waits to be credited: stakes of admissions and premiums due, by transfer id. */
const asked = (p: PoolState) =>
  [
    ...Object.entries(p.pendingJoins).map(([agentId, j]) => ({
      transferId: j.transferId,
      agentId,
      purpose: 'stake',
      amount: j.stake,
    })),
    ...Object.entries(p.pendingPremiums).map(([transferId, d]) => ({
      transferId,
      agentId: d.agentId as string,
      purpose: 'premium',
      amount: d.amount,
    })),
  ].sort((a, b) => (a.transferId < b.transferId ? -1 : 1));
/** Mostly someone who is or was a member (left, lapsed and suspended ones included); one time in five anyone. */
const memberOr = (p: PoolState, i: number, stranger: string): string =>
  i % 5 === 0 ? stranger : (pick(Object.keys(p.members).sort(), i) ?? stranger);
const refusals = ['FLOOR_BREACH', 'INSUFFICIENT_FUNDS', 'RISK_HALTED', 'RISK_PAUSED', 'TREASURY_NOT_OPENED'];

const intents: (fc.Arbitrary<Intent> | fc.WeightedArbitrary<Intent>)[] = [
  // Stakes near the $10 minimum make a slash suspend; large ones exercise the tiers' limits.
  {
    weight: 3,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...POOLS),
        fc.constantFrom(...AGENTS),
        fc.oneof(amount(600), fc.constantFrom('10', '10.5', '11')),
        fc.oneof(amount(3000), amount(60)),
        fc.integer({ min: 1, max: 10 }),
      )
      .map(
        ([pool, agentId, stake, coverage, risk]): Intent =>
          (w) =>
            runPool(w, pool, { type: 'JoinPool', agentId, stake, coverage, riskScore: (risk / 10).toFixed(1) }),
      ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...POOLS), fc.nat(), fc.constantFrom(...AGENTS))
      .map(([pool, i, stranger]): Intent => (w) => {
        const month = new Date(w.at).toISOString().slice(0, 7);
        runPool(w, pool, { type: 'CollectPremium', agentId: memberOr(w.pools[pool]!, i, stranger), period: month });
      }),
  },
  // The credit leg the process manager sends once the member's treasury debited a stake or premium.
  // Mostly the right one; sometimes a retry, an unknown id, another amount or another payer (refused on the record).
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.constantFrom(...POOLS), fc.nat(), fc.integer({ min: 0, max: 39 }), fc.constantFrom(...AGENTS))
      .map(([pool, i, fault, other]): Intent => (w) => {
        const p = w.pools[pool]!;
        const from = (id: string) => ({ kind: 'treasury', id });
        if (fault === 0)
          return runPool(w, pool, {
            type: 'ReceiveTransfer',
            transferId: `stake.${pool}.stranger.${i % 5}`,
            from: from(other),
            purpose: 'stake',
            amount: '10',
          });
        if (fault === 1) {
          const settled = pick([...p.transfersSettled].sort(), i);
          return settled
            ? runPool(w, pool, {
                type: 'ReceiveTransfer',
                transferId: settled,
                from: from(other),
                purpose: 'premium',
                amount: '1',
              })
            : undefined;
        }
        const x = pick(asked(p), i);
        if (!x) return;
        const amount = fault === 2 ? x.amount.plus('0.01').toFixed() : x.amount.toFixed();
        const payer = fault === 3 ? `${x.agentId}x` : x.agentId;
        runPool(w, pool, {
          type: 'ReceiveTransfer',
          transferId: x.transferId,
          from: from(payer),
          purpose: x.purpose,
          amount,
        });
      }),
  },
  // The member's treasury refused the debit: the admission is void, or the cover lapses.
  fc
    .tuple(fc.constantFrom(...POOLS), fc.nat(), fc.constantFrom(...refusals), fc.integer({ min: 0, max: 9 }))
    .map(([pool, i, code, unknown]): Intent => (w) => {
      const transferId =
        unknown === 0 ? `premium.${pool}.stranger.${i % 3}` : pick(asked(w.pools[pool]!), i)?.transferId;
      if (transferId) runPool(w, pool, { type: 'CancelTransfer', transferId, code });
    }),
  fc.tuple(fc.constantFrom(...POOLS), fc.nat(), fc.constantFrom(...AGENTS)).map(
    ([pool, i, stranger]): Intent =>
      (w) =>
        runPool(w, pool, { type: 'LeavePool', agentId: memberOr(w.pools[pool]!, i, stranger) }),
  ),
  // The claimant's treasury refused a payout (or stake return): it comes back once; sometimes an id never sent.
  fc
    .tuple(fc.constantFrom(...POOLS), fc.nat(), fc.integer({ min: 0, max: 9 }))
    .map(([pool, i, unknown]): Intent => (w) => {
      const transferId =
        unknown === 0 ? `payout.${pool}.none${i % 3}` : pick(Object.keys(w.pools[pool]!.transfersSent).sort(), i);
      if (transferId) runPool(w, pool, { type: 'ReturnTransfer', transferId, code: 'TREASURY_NOT_OPENED' });
    }),
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...POOLS),
        fc.nat(),
        fc.constantFrom(...AGENTS),
        fc.constantFrom('delivery_failure', 'data_quality', 'trading_loss', 'counterparty_default'),
        amount(1500),
      )
      .map(
        ([pool, i, stranger, coverageType, amt]): Intent =>
          (w) =>
            runPool(w, pool, {
              type: 'FileClaim',
              claimId: `c${w.seq++}`,
              claimant: memberOr(w.pools[pool]!, i, stranger),
              coverageType,
              amount: amt,
              evidence: { note: 'generated', seq: w.seq },
            }),
      ),
  },
  // Votes: mostly honest (approve), a share dishonest or sceptical.
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom(...POOLS), fc.nat(), fc.nat(), fc.constantFrom(...AGENTS), fc.integer({ min: 0, max: 9 }))
      .map(([pool, i, v, stranger, honesty]): Intent => (w) => {
        const claimId = pick(claimIds(w.pools[pool]!, ['pending', 'arbitration']), i);
        if (!claimId) return;
        const claim = w.pools[pool]!.claims[claimId]!;
        // Mostly a member who may vote; sometimes anyone, to exercise the refusals.
        const voter =
          honesty === 9
            ? stranger
            : (pick(claim.status === 'arbitration' ? claim.panel! : claim.eligible, v) ?? stranger);
        runPool(w, pool, { type: 'CastVote', claimId, voter, approve: honesty < 6 });
      }),
  },
  fc.tuple(fc.constantFrom(...POOLS), fc.nat()).map(([pool, i]): Intent => (w) => {
    const claimId = pick(claimIds(w.pools[pool]!, ['pending']), i);
    if (claimId) runPool(w, pool, { type: 'CloseVoting', claimId });
  }),
  fc.tuple(fc.constantFrom(...POOLS), fc.nat()).map(([pool, i]): Intent => (w) => {
    const claimId = pick(claimIds(w.pools[pool]!, ['approved', 'pending']), i);
    if (claimId) runPool(w, pool, { type: 'PayClaim', claimId });
  }),
  // Reinsurance through the two-sided plan, with transfer ids that repeat (retries).
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 6 }), amount(400)).map(([forward, t, amt]): Intent => (w) => {
    const [primary, reinsurer] = forward ? ['alpha', 'beta'] : ['beta', 'alpha'];
    const plan = planReinsurance(w.pools[primary!]!, w.pools[reinsurer!]!, {
      transferId: `t${t}` as never,
      amount: money(amt),
      at: w.at as never,
    });
    log(
      w,
      `reinsure ${reinsurer}→${primary} t${t} ${amt} → ` +
        `${E.isRight(plan) ? `${plan.right.reinsurer.length}+${plan.right.primary.length} events` : plan.left.code}`,
    );
    if (E.isLeft(plan)) return;
    w.pools[reinsurer!] = foldPoolChecked(w.pools[reinsurer!]!, plan.right.reinsurer);
    w.pools[primary!] = foldPoolChecked(w.pools[primary!]!, plan.right.primary);
    POOLS.forEach((p) => checkPoolState(w.pools[p]!));
    count(w, [...plan.right.reinsurer, ...plan.right.primary]);
  }),
  fc.tuple(fc.constantFrom(...POOLS), fc.integer({ min: 0, max: 6 }), fc.boolean()).map(
    ([pool, t, repay]): Intent =>
      (w) =>
        runPool(w, pool, { type: repay ? 'RepayReinsurance' : 'ReceiveReinsuranceRepayment', transferId: `t${t}` }),
  ),
  fc.tuple(fc.constantFrom(...AGENTS), fc.constantFrom(...AGENTS), amount(300), fc.integer({ min: 1, max: 72 })).map(
    ([payer, payee, amt, hours]): Intent =>
      (w) =>
        runEscrow(w, `e${w.seq++}`, {
          type: 'CreateEscrow',
          escrowId: `e${w.seq}`,
          payer,
          payee,
          amount: amt,
          deadline: w.at + hours * HOUR,
        }),
  ),
  fc
    .tuple(fc.nat(), fc.constantFrom('release', 'part', 'refund', 'expire', 'dispute', 'resolve'))
    .map(([i, what]): Intent => (w) => {
      const id = pick(Object.keys(w.escrows).sort(), i);
      if (!id) return;
      const s = w.escrows[id]!;
      const half = s.amount.minus(s.released).div(2).toDecimalPlaces(6, 1);
      const json =
        what === 'release'
          ? { type: 'ReleaseEscrow', proof: 'delivered' }
          : what === 'part'
            ? half.gt(0)
              ? { type: 'ReleaseEscrow', proof: 'part', amount: half.toFixed() }
              : { type: 'ReleaseEscrow', proof: 'rest' }
            : what === 'refund'
              ? { type: 'RefundEscrow', reason: 'cancelled' }
              : what === 'expire'
                ? { type: 'ExpireEscrow' }
                : what === 'dispute'
                  ? { type: 'DisputeEscrow', by: s.payer ?? 'a1', reason: 'late' }
                  : { type: 'ResolveDispute', outcome: w.seq % 2 ? 'release' : 'refund', by: 'ops' };
      runEscrow(w, id, json);
    }),
  // The oracle: an expired escrow files the payee's counterparty-default claim (exactly once per escrow).
  fc.nat().map((i): Intent => (w) => {
    const id = pick(
      Object.keys(w.escrows)
        .filter((k) => w.escrows[k]!.status === 'expired')
        .sort(),
      i,
    );
    if (!id) return;
    const claim = automaticDefaultClaim(w.escrows[id]!, w.at as never);
    if (E.isRight(claim)) runPool(w, 'alpha', { ...claim.right, amount: claim.right.amount.toFixed() });
  }),
];

const step = fc.tuple(
  fc.oneof(...intents),
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(0) },
    { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 * HOUR }) },
    { weight: 1, arbitrary: fc.integer({ min: 40 * HOUR, max: 800 * HOUR }) },
  ),
);

const STEPS = Number(process.env.BALLAST_PROPERTY_STEPS ?? 12_000);
const PER_RUN = 300;
// CI runs one fixed, reproducible seed (its coverage assertions must not flake); the long mode
// (BALLAST_PROPERTY_STEPS) explores fresh seeds, and BALLAST_PROPERTY_SEED replays any run.
const PROPERTY_SEED = process.env.BALLAST_PROPERTY_SEED
  ? { seed: Number(process.env.BALLAST_PROPERTY_SEED) }
  : process.env.BALLAST_PROPERTY_STEPS
    ? {}
    : { seed: 20261126 };

describe('InsurancePool and Escrow under long random sequences', () => {
  it(
    'P1 P2 P3 P4 P5 P6, POOL-MONEY conservation, G2 G6 transfers once and leg for leg, LAPSE, CLAIM_OPEN, ' +
      `ESCROW-ONCE resolution and G1 hold after every step (${STEPS} steps)`,
    () => {
      const seen = new Map<string, number>();
      fc.assert(
        fc.property(
          fc.constantFrom('standard', 'micro', 'professional'),
          fc.array(step, { minLength: PER_RUN, maxLength: PER_RUN }),
          (tier, steps) => {
            const w: World = { pools: {}, escrows: {}, at: T0, seq: 0, events: new Map(), trail: [] };
            for (const poolId of POOLS) {
              w.pools[poolId] = poolDecider.initialState;
              runPool(w, poolId, { type: 'OpenPool', poolId, config: poolConfig({ tier }) });
            }
            try {
              for (const [intent, jump] of steps) {
                w.at += jump;
                intent(w);
              }
            } catch (error) {
              throw new Error(`${(error as Error).message}\nlast steps:\n${w.trail.join('\n')}`);
            }
            for (const [type, n] of w.events) seen.set(type, (seen.get(type) ?? 0) + n);
          },
        ),
        { numRuns: Math.max(1, Math.round(STEPS / PER_RUN)), ...PROPERTY_SEED },
      );
      if (process.env.BALLAST_PROPERTY_REPORT) console.log(Object.fromEntries(seen));
      for (const type of [
        'MemberAdmitted',
        'MemberJoined',
        'JoinCancelled',
        'PremiumDue',
        'PremiumCollected',
        'CoverageLapsed',
        'PremiumCollected:reinstated',
        'ClaimApproved',
        'ClaimRejected',
        'ClaimPaid',
        'StakeSlashed',
        'ArbitrationStarted',
        'FundingStateChanged',
        'ReinsuranceLent',
        'ReinsuranceRepaid',
        'EscrowExpired',
        'EscrowReleased',
        'MemberSuspended',
        'MemberLeft',
        'TransferRefused',
        'TransferReturned',
        'JoinPool:JOIN_PENDING',
        'FileClaim:COVERAGE_LAPSED',
        'LeavePool:CLAIM_OPEN',
        'ReceiveTransfer:TRANSFER_NOT_EXPECTED',
        'ReceiveTransfer:nothing',
        'ReturnTransfer:nothing',
        'ReturnTransfer:UNKNOWN_TRANSFER',
      ]) {
        expect({ type, reached: (seen.get(type) ?? 0) > 0 }).toEqual({ type, reached: true });
      }
    },
  );
});
