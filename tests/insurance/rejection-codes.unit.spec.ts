import { choosePanel, ESCROW_REJECTION_CODES, POOL_REJECTION_CODES } from '@ballast/domain';
import {
  credit,
  escrowSpec,
  fivePool,
  HOUR,
  join,
  joined,
  open,
  poolSpec,
  premiumTransferId,
  T0,
} from '../support/pool-fixtures';

const at = T0 + HOUR;
const claim = (claimId: string, claimant: string, amount: string, coverageType = 'data_quality') => ({
  type: 'FileClaim',
  at,
  claimId,
  claimant,
  coverageType,
  amount,
  evidence: { n: 1 },
});
const vote = (claimId: string, voter: string, approve: boolean, when = at) => ({
  type: 'CastVote',
  at: when,
  claimId,
  voter,
  approve,
});
const micro = [
  open({ tier: 'micro' }),
  ...['a', 'b', 'c', 'd', 'e'].flatMap((agent) => joined(agent, '10', '20', { riskScore: '0.5' })),
];
const suspended = [
  ...micro,
  { ...claim('c1', 'a', '20', 'delivery_failure') },
  vote('c1', 'b', false),
  vote('c1', 'c', false),
];
// Two 1.5× claims of 800 drain the five-member reserve of 1,000; a third is approved with nothing to pay.
const drained = [
  ...fivePool(),
  claim('c2', 'alpha', '800'),
  vote('c2', 'beta', true),
  vote('c2', 'gamma', true),
  claim('c3', 'beta', '800'),
  vote('c3', 'gamma', true),
  vote('c3', 'delta', true),
  claim('c4', 'gamma', '100'),
  vote('c4', 'delta', true),
  vote('c4', 'epsilon', true),
];
const arbitrating = [
  ...fivePool(),
  claim('c1', 'alpha', '10'),
  { type: 'CloseVoting', at: at + 48 * HOUR, claimId: 'c1' },
];
const eligible = ['beta', 'delta', 'epsilon', 'gamma'];
const offPanel = eligible.find((a) => !choosePanel('c1', eligible, 3).includes(a))!;

const poolScenarios: Record<string, [unknown[], Record<string, unknown>]> = {
  POOL_NOT_OPENED: [[], join('a', '100', '100')],
  POOL_ALREADY_OPENED: [[open()], open()],
  POOL_CONFIG_INVALID: [[], open({ fraudThreshold: '0.7' })],
  TIME_WENT_BACKWARDS: [[...fivePool(), claim('c1', 'alpha', '10')], { ...join('z', '100', '100'), at: T0 }],
  ALREADY_MEMBER: [fivePool(), join('alpha', '200', '100')],
  STAKE_BELOW_TIER_MINIMUM: [[open()], join('a', '99', '100')],
  ADMISSIONS_CLOSED: [drained, { ...join('z', '1000', '100'), at }],
  UNDERFUNDED_AFTER_ADMISSION: [[open()], join('a', '100', '600')],
  PREMIUM_TOO_HIGH: [[open({ tier: 'micro' })], join('a', '10', '5')],
  NOT_A_MEMBER: [fivePool(), claim('c1', 'zeta', '10')],
  MEMBER_SUSPENDED: [suspended, { type: 'CollectPremium', at, agentId: 'a', period: '2026-03' }],
  PREMIUM_ALREADY_COLLECTED: [
    [...fivePool(), { type: 'CollectPremium', at, agentId: 'beta', period: '2026-03' }],
    { type: 'CollectPremium', at, agentId: 'beta', period: '2026-03' },
  ],
  DUPLICATE_CLAIM: [[...fivePool(), claim('c1', 'alpha', '10')], claim('c1', 'alpha', '10')],
  UNKNOWN_CLAIM: [fivePool(), vote('c1', 'beta', true)],
  CLAIM_NOT_PENDING: [suspended, vote('c1', 'd', true)],
  CLAIMANT_CANNOT_VOTE: [[...fivePool(), claim('c1', 'alpha', '10')], vote('c1', 'alpha', true)],
  NOT_ELIGIBLE: [[...fivePool(), claim('c1', 'alpha', '10')], vote('c1', 'omega', true)],
  ALREADY_VOTED: [[...fivePool(), claim('c1', 'alpha', '10'), vote('c1', 'beta', true)], vote('c1', 'beta', true)],
  VOTING_CLOSED: [[...fivePool(), claim('c1', 'alpha', '10')], vote('c1', 'beta', true, at + 48 * HOUR)],
  VOTING_STILL_OPEN: [[...fivePool(), claim('c1', 'alpha', '10')], { type: 'CloseVoting', at, claimId: 'c1' }],
  NOT_ON_PANEL: [arbitrating, vote('c1', offPanel, true, at + 48 * HOUR)],
  CLAIM_NOT_APPROVED: [[...fivePool(), claim('c1', 'alpha', '10')], { type: 'PayClaim', at, claimId: 'c1' }],
  RESERVE_EMPTY: [drained, { type: 'PayClaim', at, claimId: 'c4' }],
  NO_CAPACITY: [fivePool(), { type: 'LendReinsurance', at, transferId: 't1', toPool: 'other', amount: '5000' }],
  TRANSFER_ID_REUSED: [
    [...fivePool(), { type: 'LendReinsurance', at, transferId: 't1', toPool: 'other', amount: '10' }],
    { type: 'LendReinsurance', at, transferId: 't1', toPool: 'other', amount: '11' },
  ],
  UNKNOWN_TRANSFER: [fivePool(), { type: 'ReceiveReinsuranceRepayment', at, transferId: 't1' }],
  ALREADY_REPAID: [
    [
      ...fivePool(),
      { type: 'LendReinsurance', at, transferId: 't1', toPool: 'other', amount: '10' },
      { type: 'ReceiveReinsuranceRepayment', at, transferId: 't1' },
    ],
    { type: 'ReceiveReinsuranceRepayment', at, transferId: 't1' },
  ],
  JOIN_PENDING: [[open(), join('a', '200', '800')], join('a', '200', '800')],
  COVERAGE_LAPSED: [
    [
      ...fivePool(),
      { type: 'CollectPremium', at, agentId: 'alpha', period: '2026-03' },
      { type: 'CancelTransfer', at, transferId: premiumTransferId('alpha', '2026-03'), code: 'INSUFFICIENT_FUNDS' },
    ],
    claim('c1', 'alpha', '10'),
  ],
  CLAIM_OPEN: [[...fivePool(), claim('c1', 'alpha', '10')], { type: 'LeavePool', at, agentId: 'alpha' }],
  TRANSFER_NOT_EXPECTED: [fivePool(), credit('stake.alpha.zeta.1', 'zeta', 'stake', '200', at)],
  INSUFFICIENT_RESERVE: [
    [...micro, { type: 'BorrowReinsurance', at, transferId: 't1', fromPool: 'other', amount: '5', fee: '100' }],
    { type: 'RepayReinsurance', at, transferId: 't1' },
  ],
};

const escrowCreate = {
  type: 'CreateEscrow',
  at: T0,
  escrowId: 'e1',
  payer: 'p',
  payee: 'q',
  amount: '100',
  deadline: T0 + 24 * HOUR,
};
const escrowScenarios: Record<string, [unknown[], Record<string, unknown>]> = {
  ESCROW_EXISTS: [[escrowCreate], escrowCreate],
  ESCROW_NOT_FOUND: [[], { type: 'RefundEscrow', at: T0, reason: 'x' }],
  ESCROW_RESOLVED: [
    [escrowCreate, { type: 'RefundEscrow', at: T0, reason: 'x' }],
    { type: 'RefundEscrow', at: T0, reason: 'x' },
  ],
  ESCROW_DISPUTED: [
    [escrowCreate, { type: 'DisputeEscrow', at: T0, by: 'p', reason: 'x' }],
    { type: 'RefundEscrow', at: T0, reason: 'x' },
  ],
  NOT_DISPUTED: [[escrowCreate], { type: 'ResolveDispute', at: T0, outcome: 'refund', by: 'ops' }],
  SAME_PARTY: [[], { ...escrowCreate, payee: 'p' }],
  DEADLINE_IN_PAST: [[], { ...escrowCreate, deadline: T0 - 1 }],
  DEADLINE_NOT_PASSED: [[escrowCreate], { type: 'ExpireEscrow', at: T0 + HOUR }],
  RELEASE_EXCEEDS_REMAINING: [[escrowCreate], { type: 'ReleaseEscrow', at: T0, amount: '101', proof: 'p' }],
  EXPOSURE_LIMIT: [
    [],
    { ...escrowCreate, job: { type: 'data_delivery', value: '100' }, exposure: { current: '0', walletBalance: '20' } },
  ],
  TIME_WENT_BACKWARDS: [
    [{ ...escrowCreate, at: T0 + HOUR, deadline: T0 + 48 * HOUR }],
    { type: 'RefundEscrow', at: T0, reason: 'x' },
  ],
};

describe('every pool and escrow rejection code is reachable, with a message and its numbers', () => {
  it('has one scenario per code', () => {
    expect(Object.keys(poolScenarios).sort()).toEqual([...POOL_REJECTION_CODES].sort());
    expect(Object.keys(escrowScenarios).sort()).toEqual([...ESCROW_REJECTION_CODES].sort());
  });

  const numberless = ['POOL_NOT_OPENED', 'POOL_ALREADY_OPENED', 'ESCROW_NOT_FOUND', 'ESCROW_DISPUTED'];
  it.each(Object.entries(poolScenarios))('pool: %s', (code, [given, when]) => {
    const { rejection } = poolSpec.given(given).when(when).thenRejects(code);
    expect(rejection.message.length).toBeGreaterThan(10);
    if (!numberless.includes(code)) expect(Object.keys(rejection.details).length).toBeGreaterThan(0);
  });
  it.each(Object.entries(escrowScenarios))('escrow: %s', (code, [given, when]) => {
    const { rejection } = escrowSpec.given(given).when(when).thenRejects(code);
    expect(rejection.message.length).toBeGreaterThan(10);
    if (!numberless.includes(code)) expect(Object.keys(rejection.details).length).toBeGreaterThan(0);
  });
});
