import { type PoolState, totalCoverage } from '@ballast/domain';
import {
  credit,
  fivePool,
  HOUR,
  join,
  joined,
  open,
  payoutTransferId,
  poolSpec,
  premiumPaid,
  premiumTransferId,
  stakeReturnTransferId,
  stakeTransferId,
  T0,
} from '../support/pool-fixtures';

const at = T0 + HOUR;
const treasury = (id: string) => ({ kind: 'treasury', id });
const claim = (claimId: string, claimant: string, amount: string, coverageType = 'delivery_failure') => ({
  type: 'FileClaim',
  at,
  claimId,
  claimant,
  coverageType,
  amount,
  evidence: { n: 1 },
});
const vote = (claimId: string, voter: string, approve: boolean) => ({ type: 'CastVote', at, claimId, voter, approve });
const cancel = (transferId: string, code: string) => ({ type: 'CancelTransfer', at, transferId, code });
const giveBack = (transferId: string, code = 'TREASURY_NOT_OPENED') => ({
  type: 'ReturnTransfer',
  at,
  transferId,
  code,
});
const leave = (agentId: string) => ({ type: 'LeavePool', at, agentId });

/** Pool money: reserve = stakes + premiums − payouts − stakes returned − lent + borrowed − repaid out + repaid in. */
const expectPoolMoney = (s: PoolState) => {
  const l = s.ledger;
  const expected = l.stakes
    .plus(l.premiums)
    .minus(l.payouts)
    .minus(l.stakesReturned)
    .minus(l.lent)
    .plus(l.borrowed)
    .minus(l.repaidOut)
    .plus(l.repaidIn);
  expect({ id: 'POOL-MONEY', reserve: s.reserve.toFixed() }).toEqual({ id: 'POOL-MONEY', reserve: expected.toFixed() });
};

describe('pool admission and the stake: a request, then the credit leg from the agent treasury', () => {
  it('JoinPool admits (P2, P4, P6 decided) with no money yet, and names the stake transfer it waits for', () => {
    const admitted = poolSpec
      .given([open()])
      .when(join('a', '200', '800', { riskScore: '0.5' }))
      .then([
        {
          type: 'MemberAdmitted',
          agentId: 'a',
          stake: '200',
          requestedCoverage: '800',
          coverage: '800',
          riskScore: '0.5',
          premium: '8',
          transferId: stakeTransferId('a'),
        },
      ]);
    expect(stakeTransferId('a')).toBe(`stake.alpha.a.${T0}`);
    expect(admitted.reserve.toFixed()).toBe('0');
    expect(admitted.members).toEqual({});
    expect(Object.keys(admitted.pendingJoins)).toEqual(['a']);
  });

  it('JOIN_PENDING: a second request while the stake is on the way is refused', () => {
    poolSpec
      .given([open(), join('a', '200', '800')])
      .when({ ...join('a', '300', '900'), at })
      .thenRejects('JOIN_PENDING', { agentId: 'a', transferId: stakeTransferId('a') });
  });

  it('P2: the funding check counts admissions still waiting for their stake', () => {
    // a is admitted (200 / 800) but has not paid: b's 100 / 1,000 is checked against 300 / 1,800 = 16.7%.
    poolSpec
      .given([open(), join('a', '200', '800')])
      .when(join('b', '100', '1000'))
      .thenRejects('UNDERFUNDED_AFTER_ADMISSION', { reserveAfter: '300', coverageAfter: '1800', minimum: '0.2' });
  });

  it('the stake credit from the agent treasury makes the member: MemberJoined with the transfer id, reserve and ledger credited', () => {
    const member = poolSpec
      .given([open(), join('a', '200', '800', { riskScore: '0.5' })])
      .when(credit(stakeTransferId('a'), 'a', 'stake', '200', at))
      .then([
        {
          type: 'MemberJoined',
          agentId: 'a',
          stake: '200',
          coverage: '800',
          premium: '8',
          transferId: stakeTransferId('a'),
        },
      ]);
    expect(member.reserve.toFixed()).toBe('200');
    expect(member.ledger.stakes.toFixed()).toBe('200');
    expect(member.members.a).toMatchObject({ active: true, lapsed: false, left: false });
    expect(member.pendingJoins).toEqual({});
    expectPoolMoney(member);
    // The same credit again (a retry) appends nothing: the stake is taken once.
    poolSpec
      .given([open(), ...joined('a', '200', '800', { riskScore: '0.5' })])
      .when(credit(stakeTransferId('a'), 'a', 'stake', '200', at))
      .then([]);
  });

  it(
    'TRANSFER_NOT_EXPECTED: a wrong credit for a waiting id is refused without a record (it settles nothing); ' +
      'a credit for nothing asked is recorded as TransferRefused',
    () => {
      const admitted = [open(), join('a', '200', '800')];
      const wrongAmount = poolSpec
        .given(admitted)
        .when(credit(stakeTransferId('a'), 'a', 'stake', '199.99', at))
        .thenRejects('TRANSFER_NOT_EXPECTED', { transferId: stakeTransferId('a'), amount: '199.99', expected: '200' });
      expect(wrongAmount.recorded).toEqual([]);
      const wrongPayer = poolSpec
        .given(admitted)
        .when(credit(stakeTransferId('a'), 'mallory', 'stake', '200', at))
        .thenRejects('TRANSFER_NOT_EXPECTED');
      expect(wrongPayer.recorded).toEqual([]);
      const fromAPool = poolSpec
        .given(admitted)
        .when({ ...credit(stakeTransferId('a'), 'a', 'stake', '200', at), from: { kind: 'pool', id: 'a' } })
        .thenRejects('TRANSFER_NOT_EXPECTED');
      expect(fromAPool.recorded).toEqual([]);
      // A refusal without a record leaves the admission waiting: the real credit (tested above) still lands.
      const unasked = poolSpec
        .given(fivePool())
        .when(credit('premium.alpha.beta.2026-03', 'beta', 'premium', '8', at))
        .thenRejects('TRANSFER_NOT_EXPECTED');
      expect(unasked.rejection.message).toContain('no admission or premium is waiting');
      expect(unasked.recorded).toMatchObject([{ type: 'TransferRefused', transferId: 'premium.alpha.beta.2026-03' }]);
      // Recorded in the state: the refused credit is settled and a retry of it appends nothing more.
      const refused = poolSpec.givenEvents([
        { type: 'PoolOpened', at: T0, poolId: 'alpha', config: open().config },
        ...unasked.recorded,
      ]);
      refused.when(credit('premium.alpha.beta.2026-03', 'beta', 'premium', '8', at)).then([]);
    },
  );

  it('CancelTransfer of the stake (the treasury refused the debit) voids the admission: JoinCancelled, and the agent may ask again', () => {
    const cancelled = poolSpec
      .given([open(), join('a', '200', '800')])
      .when(cancel(stakeTransferId('a'), 'FLOOR_BREACH'))
      .then([{ type: 'JoinCancelled', agentId: 'a', transferId: stakeTransferId('a'), code: 'FLOOR_BREACH' }]);
    expect(cancelled.pendingJoins).toEqual({});
    expect(cancelled.reserve.toFixed()).toBe('0');
    const again = [open(), join('a', '200', '800'), cancel(stakeTransferId('a'), 'FLOOR_BREACH')];
    poolSpec
      .given(again)
      .when(cancel(stakeTransferId('a'), 'FLOOR_BREACH'))
      .then([]);
    poolSpec
      .given(again)
      .when({ ...join('a', '200', '800'), at })
      .then([{ type: 'MemberAdmitted', agentId: 'a', transferId: stakeTransferId('a', at) }]);
    poolSpec
      .given([open()])
      .when(cancel(stakeTransferId('a'), 'FLOOR_BREACH'))
      .thenRejects('UNKNOWN_TRANSFER', { transferId: stakeTransferId('a') });
  });
});

describe('pool premiums: PremiumDue, then the credit, or a lapse', () => {
  const due = [...fivePool(), { type: 'CollectPremium', at, agentId: 'alpha', period: '2026-03' }];
  const lapsed = [...due, cancel(premiumTransferId('alpha', '2026-03'), 'INSUFFICIENT_FUNDS')];

  it('the premium credit collects it: PremiumCollected with its transfer id', () => {
    const paid = poolSpec
      .given(due)
      .when(credit(premiumTransferId('alpha', '2026-03'), 'alpha', 'premium', '8', at))
      .then([
        {
          type: 'PremiumCollected',
          agentId: 'alpha',
          period: '2026-03',
          amount: '8',
          surcharged: false,
          transferId: 'premium.alpha.alpha.2026-03',
        },
      ]);
    expect(paid.reserve.toFixed()).toBe('1008');
    expectPoolMoney(paid);
  });

  it('CancelTransfer of a premium lapses the cover: CoverageLapsed, and the lapsed coverage no longer counts', () => {
    const after = poolSpec
      .given(due)
      .when(cancel(premiumTransferId('alpha', '2026-03'), 'INSUFFICIENT_FUNDS'))
      .then([
        {
          type: 'CoverageLapsed',
          agentId: 'alpha',
          period: '2026-03',
          transferId: premiumTransferId('alpha', '2026-03'),
          code: 'INSUFFICIENT_FUNDS',
        },
      ]);
    expect(after.members.alpha).toMatchObject({ lapsed: true, active: true });
    expect(after.pendingPremiums).toEqual({});
    expect(totalCoverage(after).toFixed()).toBe('3200');
  });

  it('COVERAGE_LAPSED: a claim on lapsed cover is refused and recorded', () => {
    const { recorded } = poolSpec
      .given(lapsed)
      .when(claim('c1', 'alpha', '10'))
      .thenRejects('COVERAGE_LAPSED', { agentId: 'alpha', coverage: '800', requested: '10' });
    expect(recorded).toMatchObject([
      { type: 'PoolCommandRejected', command: 'FileClaim', subject: 'claim:c1', code: 'COVERAGE_LAPSED' },
    ]);
    // The lapsed period is spent; asking for it again is refused.
    poolSpec
      .given(lapsed)
      .when({ type: 'CollectPremium', at, agentId: 'alpha', period: '2026-03' })
      .thenRejects('PREMIUM_ALREADY_COLLECTED');
  });

  it("a later period's premium, once paid (not merely due), reinstates the cover", () => {
    const nextDue = [...lapsed, { type: 'CollectPremium', at, agentId: 'alpha', period: '2026-04' }];
    poolSpec
      .given(nextDue)
      .when(claim('c1', 'alpha', '10'))
      .thenRejects('COVERAGE_LAPSED');
    const reinstated = poolSpec
      .given(nextDue)
      .when(credit(premiumTransferId('alpha', '2026-04'), 'alpha', 'premium', '8', at))
      .then([{ type: 'PremiumCollected', period: '2026-04' }]);
    expect(reinstated.members.alpha!.lapsed).toBe(false);
    poolSpec
      .given([...lapsed, ...premiumPaid('alpha', '2026-04', '8', at)])
      .when(claim('c1', 'alpha', '10'))
      .then([{ type: 'ClaimFiled', claimant: 'alpha', amount: '10' }]);
  });
});

describe('pool LeavePool: the rest of the stake goes back as a transfer', () => {
  it('a member leaves: MemberLeft (left) returns its stake to its treasury', () => {
    const after = poolSpec
      .given(fivePool())
      .when(leave('alpha'))
      .then([
        {
          type: 'MemberLeft',
          agentId: 'alpha',
          reason: 'left',
          stakeReturned: '200',
          transferId: stakeReturnTransferId('alpha', at),
          to: treasury('alpha'),
        },
      ]);
    expect(after.reserve.toFixed()).toBe('800');
    expect(after.ledger.stakesReturned.toFixed()).toBe('200');
    expect(after.members.alpha).toMatchObject({ left: true, active: false });
    expectPoolMoney(after);
    poolSpec
      .given([...fivePool(), leave('alpha')])
      .when(leave('alpha'))
      .thenRejects('NOT_A_MEMBER');
    poolSpec
      .given([...fivePool(), leave('alpha')])
      .when(claim('c1', 'alpha', '10'))
      .thenRejects('NOT_A_MEMBER');
  });

  it('a suspended member leaving is expelled with what is left of its slashed stake', () => {
    const micro = [
      open({ tier: 'micro' }),
      ...['a', 'b', 'c', 'd', 'e'].flatMap((agent) => joined(agent, '10', '20', { riskScore: '0.5' })),
    ];
    const suspended = [...micro, claim('c1', 'a', '20'), vote('c1', 'b', false), vote('c1', 'c', false)];
    expect(poolSpec.given(suspended).state.members.a).toMatchObject({ active: false });
    const after = poolSpec
      .given(suspended)
      .when(leave('a'))
      .then([{ type: 'MemberLeft', agentId: 'a', reason: 'expelled', stakeReturned: '9', to: treasury('a') }]);
    expect(after.reserve.toFixed()).toBe('41');
    expectPoolMoney(after);
  });

  it('CLAIM_OPEN: refused while one of its claims is pending or approved and unpaid', () => {
    poolSpec
      .given([...fivePool(), claim('c1', 'alpha', '10')])
      .when(leave('alpha'))
      .thenRejects('CLAIM_OPEN', { agentId: 'alpha', claimId: 'c1', status: 'pending' });
    // Two 1.5× claims of 800 drain the reserve of 1,000; gamma's claim is approved with nothing to pay.
    const drained = [
      ...fivePool(),
      claim('c2', 'alpha', '800', 'data_quality'),
      vote('c2', 'beta', true),
      vote('c2', 'gamma', true),
      claim('c3', 'beta', '800', 'data_quality'),
      vote('c3', 'gamma', true),
      vote('c3', 'delta', true),
      claim('c4', 'gamma', '100', 'data_quality'),
      vote('c4', 'delta', true),
      vote('c4', 'epsilon', true),
    ];
    poolSpec.given(drained).when(leave('gamma')).thenRejects('CLAIM_OPEN', { claimId: 'c4', status: 'approved' });
    // The stake returned is never more than the reserve holds (here nothing).
    poolSpec
      .given(drained)
      .when(leave('delta'))
      .then([{ type: 'MemberLeft', agentId: 'delta', reason: 'left', stakeReturned: '0' }]);
  });

  it('a stake return the treasury refused comes back to the reserve, once', () => {
    const left = [...fivePool(), leave('alpha')];
    const after = poolSpec
      .given(left)
      .when(giveBack(stakeReturnTransferId('alpha', at)))
      .then([
        {
          type: 'TransferReturned',
          transferId: stakeReturnTransferId('alpha', at),
          amount: '200',
          code: 'TREASURY_NOT_OPENED',
        },
      ]);
    expect(after.reserve.toFixed()).toBe('1000');
    expect(after.ledger.stakesReturned.toFixed()).toBe('0');
    expectPoolMoney(after);
    poolSpec
      .given([...left, giveBack(stakeReturnTransferId('alpha', at))])
      .when(giveBack(stakeReturnTransferId('alpha', at)))
      .then([]);
  });
});

describe('pool payouts: ClaimPaid is the debit leg to the claimant treasury', () => {
  const filed = [...fivePool(), claim('c1', 'alpha', '100'), vote('c1', 'beta', true)];
  const paid = [...filed, vote('c1', 'gamma', true)];

  it('ClaimPaid carries the transfer id and the payee', () => {
    poolSpec
      .given(filed)
      .when(vote('c1', 'gamma', true))
      .then([
        { type: 'VoteCast' },
        { type: 'ClaimApproved' },
        {
          type: 'ClaimPaid',
          claimant: 'alpha',
          payout: '100',
          reserveAfter: '900',
          transferId: payoutTransferId('c1'),
          to: treasury('alpha'),
        },
      ]);
    expect(payoutTransferId('c1')).toBe('payout.alpha.c1');
  });

  it('a payout the claimant treasury refused comes back: the claim is approved and unpaid again, and PayClaim sends a new transfer', () => {
    const back = poolSpec
      .given(paid)
      .when(giveBack(payoutTransferId('c1')))
      .then([
        { type: 'TransferReturned', transferId: payoutTransferId('c1'), amount: '100', code: 'TREASURY_NOT_OPENED' },
      ]);
    expect(back.claims.c1).toMatchObject({ status: 'approved', returnedPayouts: 1 });
    expect(back.claims.c1!.payout).toBeUndefined();
    expect(back.reserve.toFixed()).toBe('1000');
    expect(back.ledger.payouts.toFixed()).toBe('0');
    expectPoolMoney(back);
    const returned = [...paid, giveBack(payoutTransferId('c1'))];
    poolSpec
      .given(returned)
      .when(giveBack(payoutTransferId('c1')))
      .then([]);
    poolSpec.given(returned).when(leave('alpha')).thenRejects('CLAIM_OPEN', { status: 'approved' });
    poolSpec
      .given(returned)
      .when({ type: 'PayClaim', at, claimId: 'c1' })
      .then([{ type: 'ClaimPaid', payout: '100', transferId: 'payout.alpha.c1.1', to: treasury('alpha') }]);
    const twice = [...returned, { type: 'PayClaim', at, claimId: 'c1' }, giveBack('payout.alpha.c1.1')];
    poolSpec
      .given(twice)
      .when({ type: 'PayClaim', at, claimId: 'c1' })
      .then([{ type: 'ClaimPaid', transferId: payoutTransferId('c1', 2) }]);
  });

  it('UNKNOWN_TRANSFER: the pool takes back only what it sent', () => {
    poolSpec
      .given(paid)
      .when(giveBack('payout.alpha.c9'))
      .thenRejects('UNKNOWN_TRANSFER', { transferId: 'payout.alpha.c9' });
    poolSpec
      .given(paid)
      .when({ type: 'PayClaim', at, claimId: 'c1' })
      .thenRejects('CLAIM_NOT_APPROVED', { status: 'paid' });
  });
});
