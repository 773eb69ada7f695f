import { runWarnings } from '../src/simulation/run-warnings';

const pool = {
  poolId: 'main',
  reserve: '100.00',
  fundingRatio: '0.0500',
  coverage: '2000.00',
  minFundingRatio: '0.2',
  underfunded: true,
  members: 5,
  claimsFiled: 3,
  claimsPaid: 2,
  claimsRejected: 1,
};

describe('runWarnings', () => {
  it('names an underfunded pool and every parked event, and nothing for a healthy run', () => {
    const parked = [
      {
        manager: 'escrow-settlement',
        reaction: {
          kind: 'pool' as const,
          id: 'main',
          command: {
            type: 'FileClaim' as const,
            claimId: 'c1',
            claimant: 'alpha',
            coverageType: 'delivery_failure' as const,
            amount: '10',
            evidence: {},
          },
          key: 'k',
        },
        position: 41,
        code: 'INVALID_INPUT',
        message: 'amount: not a decimal',
      },
    ];
    expect(runWarnings(pool, parked)).toEqual([
      'pool main is underfunded: funding ratio 5.0% < minimum 20%',
      'event at position 41 parked by escrow-settlement: pool main FileClaim refused INVALID_INPUT (amount: not a decimal)',
    ]);
    expect(runWarnings({ ...pool, underfunded: false, fundingRatio: '0.25' }, [])).toEqual([]);
  });
});
