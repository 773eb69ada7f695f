import { Decimal, riskScore } from '@ballast/domain';
import {
  fivePool,
  HOUR,
  join,
  joined,
  open,
  poolSpec,
  premiumPaid,
  premiumTransferId,
  T0,
} from '../support/pool-fixtures';

const at = T0 + HOUR;
const claim = (
  claimId: string,
  claimant: string,
  amount: string,
  coverageType = 'counterparty_default',
  when = at,
) => ({
  type: 'FileClaim',
  at: when,
  claimId,
  claimant,
  coverageType,
  amount,
  evidence: { escrowId: 'ESC-7729', escrowStatus: 'expired_without_release', amount },
});
const vote = (claimId: string, voter: string, approve: boolean, when = at) => ({
  type: 'CastVote',
  at: when,
  claimId,
  voter,
  approve,
});

describe('InsurancePool: admission (P2, P4, P6)', () => {
  it("computes seed 001's risk score from its formula: 0.243667, not the 0.234 it prints", () => {
    const score = riskScore({
      jobsCompleted: 142,
      jobsFailed: 8,
      claimsLast90d: 1,
      avgTradingDrawdown: new Decimal('0.12'),
      counterpartyScore: new Decimal('0.87'),
    });
    expect(score.toFixed()).toBe('0.243667');
    // …so its premium on $500 at 2% is 2.43667, not the $2.34 printed.
    poolSpec
      .given([open()])
      .when(
        join('agent', '100', '500', {
          profile: {
            jobsCompleted: 142,
            jobsFailed: 8,
            claimsLast90d: 1,
            avgTradingDrawdown: '0.12',
            counterpartyScore: '0.87',
          },
        }),
      )
      .then([{ type: 'MemberAdmitted', riskScore: '0.243667', premium: '2.43667', coverage: '500' }]);
  });

  it('clamps the risk score to [0.1, 1.0]', () => {
    expect(
      riskScore({
        jobsCompleted: 1000,
        jobsFailed: 0,
        claimsLast90d: 0,
        avgTradingDrawdown: new Decimal(0),
        counterpartyScore: new Decimal(1),
      }).toFixed(),
    ).toBe('0.1');
    expect(
      riskScore({
        jobsCompleted: 0,
        jobsFailed: 10,
        claimsLast90d: 9,
        avgTradingDrawdown: new Decimal(1),
        counterpartyScore: new Decimal(0),
      }).toFixed(),
    ).toBe('1');
  });

  it('caps coverage at 10 × stake and at the tier maximum', () => {
    poolSpec
      .given([open(), ...joined('a', '500', '1000', { riskScore: '0.5' })])
      .when(join('b', '100', '5000', { riskScore: '0.5' }))
      .then([{ type: 'MemberAdmitted', requestedCoverage: '5000', coverage: '1000' }]);
    poolSpec
      .given([open({ tier: 'micro' }), ...joined('a', '50', '100', { riskScore: '0.1' })])
      .when(join('b', '10', '5000', { riskScore: '0.1' }))
      .then([{ type: 'MemberAdmitted', coverage: '100' }]);
  });

  it('P2: refuses an admission that would take reserve / coverage under 20%, and records it', () => {
    // The first member alone: 100 stake against 1,000 coverage is 10%.
    const { recorded } = poolSpec
      .given([open()])
      .when(join('a', '100', '1000'))
      .thenRejects('UNDERFUNDED_AFTER_ADMISSION', {
        reserveAfter: '100',
        coverageAfter: '1000',
        ratio: '0.1',
        minimum: '0.2',
      });
    expect(recorded).toMatchObject([
      { type: 'PoolCommandRejected', code: 'UNDERFUNDED_AFTER_ADMISSION', subject: 'member:a' },
    ]);
  });

  it('P4: refuses an agent whose premium would exceed 10% of coverage (the $1 minimum on tiny coverage)', () => {
    poolSpec
      .given([open({ tier: 'micro' })])
      .when(join('a', '10', '5', { riskScore: '0.2' }))
      .thenRejects('PREMIUM_TOO_HIGH', { premium: '1', maxPremium: '0.5' });
  });

  it('refuses a stake below the tier minimum, and a second membership', () => {
    poolSpec
      .given([open({ tier: 'professional' })])
      .when(join('a', '499', '100'))
      .thenRejects('STAKE_BELOW_TIER_MINIMUM', { minimum: '500' });
    poolSpec
      .given(fivePool())
      .when(join('alpha', '200', '100'))
      .thenRejects('ALREADY_MEMBER');
  });

  it('premium = max(1, risk × coverage × base rate), once per member per period', () => {
    poolSpec
      .given(fivePool())
      .when({ type: 'CollectPremium', at, agentId: 'beta', period: '2026-03' })
      .then([{ type: 'PremiumDue', amount: '8', surcharged: false, transferId: premiumTransferId('beta', '2026-03') }]);
    poolSpec
      .given([...fivePool(), { type: 'CollectPremium', at, agentId: 'beta', period: '2026-03' }])
      .when({ type: 'CollectPremium', at, agentId: 'beta', period: '2026-03' })
      .thenRejects('PREMIUM_ALREADY_COLLECTED');
    poolSpec
      .given(fivePool())
      .when({ type: 'CollectPremium', at, agentId: 'zeta', period: '2026-03' })
      .thenRejects('NOT_A_MEMBER');
  });
});

describe("InsurancePool: seed 001's five-agent scenario, computed from the rules", () => {
  const premiums = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].flatMap((agentId) =>
    premiumPaid(agentId, '2026-03', '8', at),
  );
  const filed = [...fivePool(), ...premiums, claim('CLM-0001', 'alpha', '200')];

  it('files the claim with its evidence hash, four eligible voters and a 48h deadline', () => {
    poolSpec
      .given([...fivePool(), ...premiums])
      .when(claim('CLM-0001', 'alpha', '200'))
      .then([
        {
          type: 'ClaimFiled',
          claimant: 'alpha',
          amount: '200',
          eligible: ['beta', 'delta', 'epsilon', 'gamma'],
          deadline: at + 48 * HOUR,
          evidenceHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        },
      ]);
  });

  it('resolves at the second approval (2 of 4 is the 50% quorum; the seed narrates 3), pays 2 × 200 and goes underfunded', () => {
    // Reserve 1,000 + 5 × $8 premiums = 1,040. Payout min(200 × 2.0, 800, 1,040) = 400 → 640 / 4,000 = 16% < 20%.
    poolSpec
      .given(filed)
      .when(vote('CLM-0001', 'beta', true))
      .then([{ type: 'VoteCast' }]);
    poolSpec
      .given([...filed, vote('CLM-0001', 'beta', true)])
      .when(vote('CLM-0001', 'gamma', true))
      .then([
        { type: 'VoteCast', voter: 'gamma' },
        { type: 'ClaimApproved', votesFor: 2, votesAgainst: 0, by: 'quorum' },
        {
          type: 'ClaimPaid',
          claimant: 'alpha',
          multiplier: '2',
          raw: '400',
          payout: '400',
          reserveAfter: '640',
          transferId: 'payout.alpha.CLM-0001',
          to: { kind: 'treasury', id: 'alpha' },
        },
        { type: 'FundingStateChanged', underfunded: true, ratio: '0.16' },
      ]);
  });

  it('P6: while underfunded, admissions stop and premiums carry the 25% surcharge', () => {
    const paid = [...filed, vote('CLM-0001', 'beta', true), vote('CLM-0001', 'gamma', true)];
    poolSpec
      .given(paid)
      .when(vote('CLM-0001', 'delta', true))
      .thenRejects('CLAIM_NOT_PENDING');
    poolSpec
      .given(paid)
      .when({ ...join('zeta', '300', '100'), at })
      .thenRejects('ADMISSIONS_CLOSED');
    poolSpec
      .given(paid)
      .when({ type: 'CollectPremium', at, agentId: 'beta', period: '2026-04' })
      .then([{ type: 'PremiumDue', amount: '10', surcharged: true }]);
    poolSpec
      .given([...paid, ...premiumPaid('beta', '2026-04', '10', at)])
      .when({ type: 'CollectPremium', at, agentId: 'gamma', period: '2026-04' })
      .then([{ type: 'PremiumDue', amount: '10', surcharged: true }]);
  });
});

describe('InsurancePool: votes (P3), arbitration, payouts (P1) and fraud (P5)', () => {
  const filed = [...fivePool(), claim('c1', 'alpha', '100', 'delivery_failure')];

  it('P3: the claimant never votes, each member votes once, only eligible members vote, only in the window', () => {
    poolSpec
      .given(filed)
      .when(vote('c1', 'alpha', true))
      .thenRejects('CLAIMANT_CANNOT_VOTE');
    poolSpec
      .given([...filed, vote('c1', 'beta', true)])
      .when(vote('c1', 'beta', false))
      .thenRejects('ALREADY_VOTED');
    poolSpec
      .given(filed)
      .when(vote('c1', 'zeta', true))
      .thenRejects('NOT_ELIGIBLE');
    poolSpec
      .given(filed)
      .when(vote('c1', 'beta', true, at + 48 * HOUR))
      .thenRejects('VOTING_CLOSED');
    poolSpec
      .given(filed)
      .when(vote('c9', 'beta', true))
      .thenRejects('UNKNOWN_CLAIM');
  });

  it('rejects at quorum under 60% approval; under 20% it slashes 10% of the stake (P5)', () => {
    poolSpec
      .given([...filed, vote('c1', 'beta', true)])
      .when(vote('c1', 'gamma', false))
      .then([
        { type: 'VoteCast' },
        { type: 'ClaimRejected', votesFor: 1, votesAgainst: 1, approval: '0.5', by: 'quorum' },
      ]);
    poolSpec
      .given([...filed, vote('c1', 'beta', false)])
      .when(vote('c1', 'gamma', false))
      .then([
        { type: 'VoteCast' },
        { type: 'ClaimRejected', approval: '0' },
        { type: 'StakeSlashed', agentId: 'alpha', amount: '20', stakeAfter: '180' },
      ]);
  });

  it('P5: a slash that leaves a stake under 10 suspends the member', () => {
    const micro = [
      open({ tier: 'micro' }),
      ...['a', 'b', 'c', 'd', 'e'].flatMap((agent) => joined(agent, '10', '20', { riskScore: '0.5' })),
    ];
    poolSpec
      .given([...micro, claim('c1', 'a', '20', 'delivery_failure'), vote('c1', 'b', false)])
      .when(vote('c1', 'c', false))
      .then([
        { type: 'VoteCast' },
        { type: 'ClaimRejected' },
        { type: 'StakeSlashed', amount: '1', stakeAfter: '9' },
        { type: 'MemberSuspended', agentId: 'a', stake: '9' },
      ]);
  });

  it('hands an unresolved claim to a deterministic 3-member panel after 48h; the panel decides by majority', () => {
    const late = at + 48 * HOUR;
    poolSpec
      .given(filed)
      .when({ type: 'CloseVoting', at: at + HOUR, claimId: 'c1' })
      .thenRejects('VOTING_STILL_OPEN');
    const started = poolSpec
      .given([...filed, vote('c1', 'beta', true)])
      .when({ type: 'CloseVoting', at: late, claimId: 'c1' });
    started.then([{ type: 'ArbitrationStarted', votesFor: 1, votesAgainst: 0 }]);
    const panel = poolSpec.wire(started.result._tag === 'Right' ? started.result.right : [])[0]!.panel as string[];
    expect(panel).toHaveLength(3);
    const again = poolSpec
      .given([...filed, vote('c1', 'beta', true)])
      .when({ type: 'CloseVoting', at: late, claimId: 'c1' });
    expect(poolSpec.wire(again.result._tag === 'Right' ? again.result.right : [])[0]!.panel).toEqual(panel);
    const outsider = ['beta', 'gamma', 'delta', 'epsilon'].find((a) => !panel.includes(a))!;
    const arbitrating = [...filed, vote('c1', 'beta', true), { type: 'CloseVoting', at: late, claimId: 'c1' }];
    poolSpec
      .given(arbitrating)
      .when(vote('c1', outsider, true, late))
      .thenRejects('NOT_ON_PANEL');
    poolSpec
      .given([...arbitrating, vote('c1', panel[0]!, true, late)])
      .when(vote('c1', panel[1]!, true, late))
      .then([
        { type: 'VoteCast', panel: true },
        { type: 'ClaimApproved', by: 'panel', votesFor: 2 },
        { type: 'ClaimPaid', payout: '100' },
      ]);
  });

  it('P1: caps a payout at the reserve and never lets it go negative; an approved claim waits for funds', () => {
    // Data quality pays 1.5×: 800 × 1.5 = 1,200 > coverage 800, and the reserve is 1,000 → 800.
    const big = [...fivePool(), claim('c2', 'alpha', '800', 'data_quality'), vote('c2', 'beta', true)];
    poolSpec
      .given(big)
      .when(vote('c2', 'gamma', true))
      .then([
        { type: 'VoteCast' },
        { type: 'ClaimApproved' },
        { type: 'ClaimPaid', raw: '1200', payout: '800', reserveAfter: '200' },
        { type: 'FundingStateChanged' },
      ]);
    const drained = [
      ...big,
      vote('c2', 'gamma', true),
      claim('c3', 'beta', '800', 'data_quality'),
      vote('c3', 'gamma', true),
    ];
    poolSpec
      .given(drained)
      .when(vote('c3', 'delta', true))
      .then([{ type: 'VoteCast' }, { type: 'ClaimApproved' }, { type: 'ClaimPaid', payout: '200', reserveAfter: '0' }]);
    poolSpec.given(fivePool()).when({ type: 'PayClaim', at, claimId: 'c1' }).thenRejects('UNKNOWN_CLAIM');
  });

  it('refuses claims from strangers and suspended members, and duplicate ids', () => {
    poolSpec
      .given(fivePool())
      .when(claim('c1', 'zeta', '10'))
      .thenRejects('NOT_A_MEMBER');
    poolSpec
      .given(filed)
      .when(claim('c1', 'beta', '10'))
      .thenRejects('DUPLICATE_CLAIM');
  });

  it('caps the claimed amount at the member coverage', () => {
    poolSpec
      .given(fivePool())
      .when(claim('c1', 'alpha', '5000'))
      .then([{ type: 'ClaimFiled', requested: '5000', amount: '800' }]);
  });

  it("keeps each member's claim history for reputation", async () => {
    const { claimHistory } = await import('@ballast/domain');
    const state = poolSpec.given([...filed, vote('c1', 'beta', false), vote('c1', 'gamma', false)]).state;
    expect(claimHistory(state, 'alpha')).toMatchObject({ filed: 1, rejected: 1, approved: 0, active: true });
    expect(claimHistory(state, 'alpha').slashed.toFixed()).toBe('20');
  });
});
