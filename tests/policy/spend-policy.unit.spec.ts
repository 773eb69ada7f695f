import { CLOSED_REQUESTS_KEPT, defiPreset, TreasuryConfigCodec } from '@ballast/domain';
import { approvals, approve, at, policed, withdraw } from '../support/policy-fixtures';
import { funded, HOUR, T0, treasurySpec } from '../support/treasury-fixtures';

const DAY = 24 * HOUR;
const budget = (name: string, window: string, limit: string, extra: Record<string, unknown> = {}) => ({
  name,
  window,
  limit,
  ...extra,
});
const withdrawals24h = { budgets: [budget('withdrawals', '24h', '1000', { category: 'withdrawal' })] };

describe('budgets: outflows in a window, refused with the budget, the spent amount and when it frees up', () => {
  it('an allowed outflow is preceded by OutflowChecked: the policy version and what each budget holds after it', () => {
    treasurySpec
      .given(policed(withdrawals24h))
      .when(withdraw(1, '600'))
      .then([
        {
          type: 'OutflowChecked',
          command: 'Withdraw',
          policyVersion: 1,
          outflow: '600',
          budgets: [{ name: 'withdrawals', window: '24h', spent: '600', limit: '1000' }],
        },
        { type: 'FundsWithdrawn', bucket: 'referral', amount: '600' },
      ]);
  });

  it('given 600 spent, 500 more in the same 24 h is refused, recorded, and says when 500 fits again', () => {
    const { rejection, recorded } = treasurySpec
      .given([...policed(withdrawals24h), withdraw(1, '600')])
      .when(withdraw(5, '500'))
      .thenRejects('BUDGET_EXCEEDED', {
        budget: 'withdrawals',
        window: '24h',
        category: 'withdrawal',
        limit: '1000',
        spent: '600',
        amount: '500',
        wouldBe: '1100',
        freesAt: at(25),
        freesAtIso: new Date(at(25)).toISOString(),
        policyVersion: 1,
      });
    expect(rejection.message).toContain('frees up at 2026-01-02T01:00:00.000Z');
    expect(recorded).toMatchObject([{ type: 'CommandRejected', command: 'Withdraw', code: 'BUDGET_EXCEEDED' }]);
  });

  it('at the moment the earlier spend leaves the rolling window, the same outflow fits', () => {
    treasurySpec
      .given([...policed(withdrawals24h), withdraw(1, '600')])
      .when(withdraw(25, '500'))
      .then([
        { type: 'DailyWindowOpened' },
        { type: 'OutflowChecked', budgets: [{ spent: '500' }] },
        { type: 'FundsWithdrawn', amount: '500' },
      ]);
  });

  it('an outflow larger than the budget itself never fits: freesAt is never', () => {
    treasurySpec
      .given(policed(withdrawals24h))
      .when(withdraw(1, '1000.01'))
      .thenRejects('BUDGET_EXCEEDED', { spent: '0', amount: '1000.01', freesAt: 'never' });
  });

  it('a calendar-day budget empties at midnight UTC, whatever the hour of the spend', () => {
    const policy = { budgets: [budget('daily', 'calendar-day', '1000')] };
    treasurySpec
      .given([...policed(policy), withdraw(23, '900')])
      .when(withdraw(23.5, '200'))
      .thenRejects('BUDGET_EXCEEDED', { budget: 'daily', category: 'any', spent: '900', freesAt: T0 + DAY });
    treasurySpec
      .given([...policed(policy), withdraw(23, '900')])
      .when(withdraw(24, '200'))
      .then([{ type: 'DailyWindowOpened' }, { type: 'OutflowChecked' }, { type: 'FundsWithdrawn' }]);
  });

  it('a budget by counterparty counts only what goes to that counterparty', () => {
    const policy = { budgets: [budget('to-acme', '7d', '100', { counterparty: 'bank:acme' })] };
    const given = [...policed(policy), withdraw(1, '80', { to: 'bank:acme' })];
    treasurySpec
      .given(given)
      .when(withdraw(2, '500', { to: 'bank:other' }))
      .then([{}, { type: 'FundsWithdrawn' }]);
    treasurySpec
      .given(given)
      .when(withdraw(2, '30', { to: 'bank:acme' }))
      .thenRejects('BUDGET_EXCEEDED', {
        budget: 'to-acme',
        counterparty: 'bank:acme',
        spent: '80',
        freesAt: at(1) + 7 * DAY,
      });
  });

  it('casino stakes, trading margin and premiums count in their own categories', () => {
    const policy = {
      budgets: [
        budget('stakes', '24h', '1', { category: 'casino' }),
        budget('premiums', '30d', '10', { category: 'premium' }),
      ],
    };
    treasurySpec
      .given(policed(policy))
      .when({ type: 'PlaceBet', at: at(1), betId: 'b1', game: 'coin_flip', stake: '2' })
      .thenRejects('BUDGET_EXCEEDED', { budget: 'stakes', category: 'casino' });
    const { recorded } = treasurySpec
      .given(policed(policy))
      .when({
        type: 'SendTransfer',
        at: at(1),
        transferId: 'premium.main.alpha.1',
        to: { kind: 'pool', id: 'main' },
        purpose: 'premium',
        amount: '11',
      })
      .thenRejects('BUDGET_EXCEEDED', { budget: 'premiums' });
    // A refused transfer is recorded with the fields the pool's saga needs to cancel its side.
    expect(recorded[0]).toMatchObject({
      command: 'SendTransfer',
      details: { transferId: 'premium.main.alpha.1', toKind: 'pool', toId: 'main', purpose: 'premium' },
    });
  });
});

describe('counterparty lists: escrow payees and withdrawal destinations', () => {
  const policy = { allow: ['bank:acme', 'treasury:bob'], deny: ['treasury:mallory'] };

  it('with an allow-list, a withdrawal must name its destination', () => {
    treasurySpec
      .given(policed(policy))
      .when(withdraw(1, '10'))
      .thenRejects('COUNTERPARTY_REQUIRED', { category: 'withdrawal', allowed: 'bank:acme,treasury:bob' });
  });

  it('a destination not on the allow-list is refused; one on it passes', () => {
    treasurySpec
      .given(policed(policy))
      .when(withdraw(1, '10', { to: 'bank:other' }))
      .thenRejects('COUNTERPARTY_NOT_ALLOWED', { counterparty: 'bank:other' });
    treasurySpec
      .given(policed(policy))
      .when(withdraw(1, '10', { to: 'bank:acme' }))
      .then([{ type: 'OutflowChecked' }, { type: 'FundsWithdrawn', to: 'bank:acme' }]);
  });

  it('an escrow for a denied payee is refused at the lock, recorded under the escrow', () => {
    const { recorded } = treasurySpec
      .given(policed(policy))
      .when({ type: 'LockEscrow', at: at(1), escrowId: 'e1', amount: '10', payee: { kind: 'treasury', id: 'mallory' } })
      .thenRejects('COUNTERPARTY_DENIED', { counterparty: 'treasury:mallory', category: 'escrow' });
    expect(recorded).toMatchObject([{ command: 'LockEscrow', subject: 'escrow:e1', code: 'COUNTERPARTY_DENIED' }]);
  });

  it('lists do not apply to bets, margin or premiums', () => {
    treasurySpec
      .given(policed(policy))
      .when({ type: 'PlaceBet', at: at(1), betId: 'b1', game: 'coin_flip', stake: '2' })
      .then([{ type: 'OutflowChecked' }, { type: 'CasinoSessionStarted' }, { type: 'BetPlaced' }]);
  });
});

describe('approvals: a move above the threshold waits for M of N distinct approvers', () => {
  const policy = { approvals: approvals() };
  const held = [...policed(policy), withdraw(1, '6000')];

  it('a withdrawal above the threshold is held as a request, not executed', () => {
    const state = treasurySpec
      .given(policed(policy))
      .when(withdraw(1, '6000'))
      .then([
        {
          type: 'ApprovalRequested',
          requestId: 'req-1',
          command: { type: 'Withdraw', amount: '6000', bucket: 'referral' },
          amount: '6000',
          threshold: '5000',
          policyVersion: 1,
          approvers: ['alice', 'bob', 'carol'],
          required: 2,
          expiresAt: at(2),
        },
      ]);
    expect(state.treasury.buckets.referral!.toFixed()).toBe('10000');
  });

  it('at the threshold itself nothing waits', () => {
    treasurySpec
      .given(policed(policy))
      .when(withdraw(1, '5000'))
      .then([{ type: 'OutflowChecked' }, { type: 'FundsWithdrawn' }]);
  });

  it('one approval of two records it and moves nothing', () => {
    treasurySpec
      .given(held)
      .when(approve(1.5, 'alice'))
      .then([{ type: 'RequestApproved', requestId: 'req-1', approver: 'alice', approvals: 1 }]);
  });

  it('the same approver twice is refused: approvals come from distinct approvers', () => {
    treasurySpec
      .given([...held, approve(1.2, 'alice')])
      .when(approve(1.5, 'alice'))
      .thenRejects('ALREADY_APPROVED', { approvals: 1, required: 2 });
  });

  it('someone who is not an approver is refused', () => {
    treasurySpec
      .given(held)
      .when(approve(1.5, 'dave'))
      .thenRejects('NOT_AN_APPROVER', { who: 'dave', approvers: 'alice,bob,carol' });
  });

  it('the second distinct approval executes the move once, at that moment, then the request is closed', () => {
    const state = treasurySpec
      .given([...held, approve(1.2, 'alice')])
      .when(approve(1.5, 'bob'))
      .then([
        { type: 'RequestApproved', approver: 'bob', approvals: 2 },
        { type: 'RequestExecuted', requestId: 'req-1', approvers: ['alice', 'bob'] },
        { type: 'OutflowChecked', command: 'Withdraw', at: at(1.5) },
        { type: 'FundsWithdrawn', amount: '6000', at: at(1.5) },
      ]);
    expect(state.treasury.buckets.referral!.toFixed()).toBe('4000');
    treasurySpec
      .given([...held, approve(1.2, 'alice'), approve(1.5, 'bob')])
      .when(approve(1.6, 'carol'))
      .thenRejects('REQUEST_CLOSED', { status: 'executed' });
  });

  it('an unknown request id is refused', () => {
    treasurySpec
      .given(held)
      .when(approve(1.5, 'alice', 'req-9'))
      .thenRejects('UNKNOWN_REQUEST', { requestId: 'req-9' });
  });

  it('the execution is re-checked: an emergency stop in the meantime refuses it, and the request closes as failed', () => {
    const { recorded } = treasurySpec
      .given([...held, approve(1.2, 'alice'), { type: 'EmergencyStop', at: at(1.3), by: 'ops' }])
      .when(approve(1.5, 'bob'))
      .thenRejects('EMERGENCY_STOP');
    expect(recorded).toMatchObject([
      { type: 'RequestApproved', approvals: 2 },
      { type: 'RequestFailed', requestId: 'req-1', code: 'EMERGENCY_STOP' },
      { type: 'CommandRejected', command: 'Withdraw', code: 'EMERGENCY_STOP' },
    ]);
  });

  it('the execution is re-checked: a breaker that tripped meanwhile refuses an escrow lock', () => {
    const lockHeld = [
      ...policed(policy),
      { type: 'LockEscrow', at: at(1), escrowId: 'e1', amount: '6000', payee: { kind: 'treasury', id: 'bob' } },
      // Trading loses 34,000 of 35,000: the drawdown breaker halts the treasury.
      { type: 'RecordValuation', at: at(1.1), bucket: 'trading', value: '1000' },
      approve(1.2, 'alice'),
    ];
    const { recorded } = treasurySpec.given(lockHeld).when(approve(1.5, 'bob')).thenRejects('RISK_HALTED');
    // The escrow's saga refunds the escrow on this record.
    expect(recorded).toMatchObject([
      { type: 'RequestApproved' },
      { type: 'RequestFailed', code: 'RISK_HALTED' },
      { type: 'CommandRejected', command: 'LockEscrow', subject: 'escrow:e1', code: 'RISK_HALTED' },
    ]);
  });

  it('a denied request never executes; its command is recorded as refused for whoever waits on it', () => {
    treasurySpec
      .given(held)
      .when({ type: 'DenyRequest', at: at(1.5), requestId: 'req-1', by: 'carol', reason: 'not this week' })
      .then([
        {
          type: 'CommandRejected',
          command: 'Withdraw',
          code: 'APPROVAL_DENIED',
          details: { requestId: 'req-1', by: 'carol' },
        },
        { type: 'RequestDenied', requestId: 'req-1', by: 'carol', reason: 'not this week' },
      ]);
    treasurySpec
      .given([...held, { type: 'DenyRequest', at: at(1.5), requestId: 'req-1', by: 'carol' }])
      .when(approve(1.7, 'bob'))
      .thenRejects('REQUEST_CLOSED', { status: 'denied' });
  });

  it('a request past its time expires as time passes and can no longer be approved', () => {
    treasurySpec
      .given(held)
      .when({ type: 'Tick', at: at(2) })
      .then([
        { type: 'CommandRejected', command: 'Withdraw', code: 'APPROVAL_EXPIRED', details: { requestId: 'req-1' } },
        { type: 'RequestExpired', requestId: 'req-1' },
      ]);
    treasurySpec
      .given([...held, { type: 'Tick', at: at(2) }])
      .when(approve(2.1, 'alice'))
      .thenRejects('REQUEST_EXPIRED', { requestId: 'req-1', expiresAt: at(2) });
  });
});

describe('policy changes: versioned, and held for approvals when the policy says so', () => {
  const newPolicy = { budgets: [budget('all', '24h', '50')] };

  it('without approvals for changes, an operator sets the next version and decisions carry it', () => {
    const state = treasurySpec
      .given(policed(withdrawals24h))
      .when({ type: 'ChangePolicy', at: at(1), policy: newPolicy, by: 'ops' })
      .then([{ type: 'PolicyChanged', version: 2, by: 'ops', policy: newPolicy }]);
    expect(state.treasury.controls?.policyVersion).toBe(2);
    treasurySpec
      .given([...policed(withdrawals24h), { type: 'ChangePolicy', at: at(1), policy: newPolicy, by: 'ops' }])
      .when(withdraw(2, '60'))
      .thenRejects('BUDGET_EXCEEDED', { budget: 'all', policyVersion: 2 });
  });

  it('a treasury opened without a policy can be given one (version 1)', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'ChangePolicy', at: at(1), policy: newPolicy, by: 'ops' })
      .then([{ type: 'PolicyChanged', version: 1 }]);
  });

  it('with approvals for changes, a change waits, and whoever asked cannot approve it', () => {
    const policy = { approvals: approvals({ policyChanges: true }) };
    const change = { type: 'ChangePolicy', at: at(1), policy: newPolicy, by: 'alice' };
    treasurySpec
      .given(policed(policy))
      .when(change)
      .then([{ type: 'ApprovalRequested', requestedBy: 'alice', amount: '0', command: { type: 'ChangePolicy' } }]);
    treasurySpec
      .given([...policed(policy), change])
      .when(approve(1.1, 'alice'))
      .thenRejects('SELF_APPROVAL');
    treasurySpec
      .given([...policed(policy), change, approve(1.1, 'bob')])
      .when(approve(1.2, 'carol'))
      .then([{ type: 'RequestApproved' }, { type: 'RequestExecuted' }, { type: 'PolicyChanged', version: 2 }]);
  });

  it('a policy that cannot be satisfied is refused with its problems', () => {
    treasurySpec
      .given(policed({}))
      .when({ type: 'ChangePolicy', at: at(1), policy: { approvals: approvals({ required: 4 }) }, by: 'ops' })
      .thenRejects('POLICY_INVALID', { problems: 'approvals need 4 of only 3 approver(s)' });
  });
});

describe('modes: emergency stop and reduce-only say what they block', () => {
  const policy = { approvals: approvals(), liftRequired: 2 };
  const stopped = [...policed(policy), { type: 'EmergencyStop', at: at(1), by: 'alice', reason: 'key leaked' }];

  it('during an emergency stop every outflow is refused with what it blocks; money still comes in', () => {
    const { rejection } = treasurySpec
      .given(stopped)
      .when(withdraw(2, '10'))
      .thenRejects('EMERGENCY_STOP', { blocked: 'withdrawal 10', stoppedBy: 'alice', liftVotes: 0, liftRequired: 2 });
    expect(rejection.message).toContain('every outflow is frozen');
    treasurySpec
      .given(stopped)
      .when({ type: 'Deposit', at: at(2), amount: '5' })
      .then([{}, {}, {}, {}]);
  });

  it('a second stop is refused; lifting needs the policy’s number of distinct approvers', () => {
    treasurySpec
      .given(stopped)
      .when({ type: 'EmergencyStop', at: at(2), by: 'bob' })
      .thenRejects('ALREADY_STOPPED');
    treasurySpec
      .given(stopped)
      .when({ type: 'LiftEmergencyStop', at: at(2), by: 'alice' })
      .then([{ type: 'EmergencyLiftVoted', by: 'alice', votes: 1, required: 2 }]);
    const voted = [...stopped, { type: 'LiftEmergencyStop', at: at(2), by: 'alice' }];
    treasurySpec
      .given(voted)
      .when({ type: 'LiftEmergencyStop', at: at(3), by: 'alice' })
      .thenRejects('ALREADY_APPROVED');
    treasurySpec
      .given(voted)
      .when({ type: 'LiftEmergencyStop', at: at(3), by: 'dave' })
      .thenRejects('NOT_AN_APPROVER');
    const lifted = treasurySpec
      .given(voted)
      .when({ type: 'LiftEmergencyStop', at: at(3), by: 'bob' })
      .then([{ type: 'EmergencyStopLifted', votes: ['alice', 'bob'] }]);
    expect(lifted.treasury.controls?.stopped).toBeUndefined();
  });

  it('lifting when nothing is stopped is refused', () => {
    treasurySpec
      .given(policed(policy))
      .when({ type: 'LiftEmergencyStop', at: at(1), by: 'alice' })
      .thenRejects('NOT_STOPPED');
  });

  it('a treasury without a policy can be stopped and lifted by one operator', () => {
    const given = [...funded({ sizing: 'lottery' }), { type: 'EmergencyStop', at: at(1), by: 'ops' }];
    treasurySpec
      .given(given)
      .when({ type: 'PlaceBet', at: at(2), betId: 'b1', game: 'coin_flip', stake: '1' })
      .thenRejects('EMERGENCY_STOP');
    treasurySpec
      .given(given)
      .when({ type: 'LiftEmergencyStop', at: at(2), by: 'ops' })
      .then([{ type: 'EmergencyStopLifted' }]);
  });

  it('reduce-only refuses new bets and withdrawals but lets premiums and a locked escrow pay out', () => {
    const reduce = [
      ...policed({}),
      { type: 'LockEscrow', at: at(1), escrowId: 'e1', amount: '10', payee: { kind: 'treasury', id: 'bob' } },
      { type: 'SetMode', at: at(1), mode: 'reduce-only', by: 'ops' },
    ];
    const { rejection } = treasurySpec
      .given(reduce)
      .when({ type: 'PlaceBet', at: at(2), betId: 'b1', game: 'coin_flip', stake: '1' })
      .thenRejects('REDUCE_ONLY', { blocked: 'casino 1', mode: 'reduce-only' });
    expect(rejection.message).toContain('premiums keep existing cover');
    treasurySpec.given(reduce).when(withdraw(2, '1')).thenRejects('REDUCE_ONLY');
    treasurySpec
      .given(reduce)
      .when({
        type: 'SendTransfer',
        at: at(2),
        transferId: 'premium.main.alpha.1',
        to: { kind: 'pool', id: 'main' },
        purpose: 'premium',
        amount: '3',
      })
      .then([{ type: 'OutflowChecked' }, { type: 'TransferSent' }]);
    treasurySpec
      .given(reduce)
      .when({
        type: 'ReleaseEscrow',
        at: at(2),
        escrowId: 'e1',
        transferId: 'escrow.e1.1',
        to: { kind: 'treasury', id: 'bob' },
      })
      .then([{ type: 'OutflowChecked', outflow: '0' }, { type: 'EscrowReleased' }]);
    treasurySpec
      .given(reduce)
      .when({ type: 'SetMode', at: at(2), mode: 'reduce-only', by: 'ops' })
      .thenRejects('MODE_UNCHANGED');
  });
});

describe('a treasury without controls decides as before', () => {
  it('no OutflowChecked, and its state has no controls at all (so its digest is unchanged)', () => {
    const state = treasurySpec
      .given(funded())
      .when(withdraw(1, '10'))
      .then([{ type: 'FundsWithdrawn' }]);
    expect('controls' in state.treasury).toBe(false);
  });
});

describe('the DeFi preset: large moves (> 50,000) need an operator’s approval', () => {
  const defi = [
    { type: 'OpenTreasury', at: T0, config: TreasuryConfigCodec.encode(defiPreset()) },
    { type: 'Deposit', at: T0, amount: '1000000' },
  ];

  it('a withdrawal of 50,000.01 is held; 50,000 is not', () => {
    treasurySpec
      .given(defi)
      .when({ type: 'Withdraw', at: at(1), bucket: 'tactical', amount: '50000.01' })
      .then([{ type: 'ApprovalRequested', threshold: '50000', required: 1, approvers: [], expiresAt: at(25) }]);
    treasurySpec
      .given(defi)
      .when({ type: 'Withdraw', at: at(1), bucket: 'tactical', amount: '50000' })
      .then([{ type: 'OutflowChecked' }, { type: 'FundsWithdrawn' }]);
  });

  it('with no approvers named, any operator approves (the API lets only operators send approvals)', () => {
    treasurySpec
      .given([...defi, { type: 'Withdraw', at: at(1), bucket: 'tactical', amount: '60000' }])
      .when(approve(2, 'any-operator'))
      .then([
        { type: 'RequestApproved' },
        { type: 'RequestExecuted' },
        { type: 'OutflowChecked' },
        { type: 'FundsWithdrawn' },
      ]);
  });
});

describe('what review found: no way around the policy, no money left stranded', () => {
  const one = { approvals: approvals({ required: 1 }) };
  const lockOf = (hours: number, amount: string, payee = 'bob') => ({
    type: 'LockEscrow',
    at: at(hours),
    escrowId: 'e1',
    amount,
    payee: { kind: 'treasury', id: payee },
  });
  const releaseTo = (hours: number, who: string) => ({
    type: 'ReleaseEscrow',
    at: at(hours),
    escrowId: 'e1',
    transferId: 'escrow.e1.9',
    to: { kind: 'treasury', id: who },
  });

  it('a move sized when it runs never executes for more than was approved', () => {
    // Lottery sizing stakes 1% of the casino bucket: 150 when asked, 1,150 after a deposit.
    const policy = { approvals: approvals({ threshold: '100', required: 1 }) };
    const given = [
      ...policed(policy),
      { type: 'PlaceBet', at: at(1), betId: 'b1', game: 'coin_flip' },
      { type: 'Deposit', at: at(1), bucket: 'casino', amount: '100000' },
    ];
    treasurySpec
      .given(given)
      .when(approve(1.5, 'alice'))
      .thenRejects('APPROVED_AMOUNT_EXCEEDED', { requestId: 'req-1', approved: '150', amount: '1150' });
  });

  it('an escrow released while its lock waits for approval pays nothing, and the lock never executes', () => {
    const { recorded } = treasurySpec
      .given([...policed(one), lockOf(1, '6000')])
      .when(releaseTo(1.5, 'bob'))
      .thenRejects('ESCROW_NOT_LOCKED', { escrowId: 'e1', requestId: 'req-1' });
    expect(recorded).toMatchObject([
      { type: 'RequestCancelled', requestId: 'req-1' },
      { type: 'CommandRejected', command: 'ReleaseEscrow' },
    ]);
    treasurySpec
      .given([...policed(one), lockOf(1, '6000'), { type: 'RefundEscrow', at: at(1.5), escrowId: 'e1' }])
      .when(approve(1.6, 'alice'))
      .thenRejects('REQUEST_CLOSED', { status: 'cancelled' });
  });

  it('a refunded escrow cancels its waiting lock', () => {
    treasurySpec
      .given([...policed(one), lockOf(1, '6000')])
      .when({ type: 'RefundEscrow', at: at(1.5), escrowId: 'e1' })
      .then([{ type: 'RequestCancelled', requestId: 'req-1' }]);
  });

  it('a lock pays only the payee it was locked for', () => {
    treasurySpec
      .given([...policed({}), lockOf(1, '100')])
      .when(releaseTo(2, 'mallory'))
      .thenRejects('PAYEE_MISMATCH', { payee: 'treasury:bob', to: 'treasury:mallory' });
  });

  it('an escrow payment during an emergency stop is held, and paid in the append that lifts the stop', () => {
    const stopped = [...policed({}), lockOf(1, '100'), { type: 'EmergencyStop', at: at(2), by: 'ops' }];
    treasurySpec
      .given(stopped)
      .when(releaseTo(3, 'bob'))
      .then([{ type: 'OutflowHeld', requestId: 'req-1', command: { type: 'ReleaseEscrow' } }]);
    treasurySpec
      .given([...stopped, releaseTo(3, 'bob')])
      .when({ type: 'LiftEmergencyStop', at: at(4), by: 'ops' })
      .then([
        { type: 'EmergencyStopLifted' },
        { type: 'RequestExecuted', requestId: 'req-1', approvers: [] },
        { type: 'OutflowChecked', outflow: '0' },
        { type: 'EscrowReleased', amount: '100', to: { kind: 'treasury', id: 'bob' }, at: at(4) },
      ]);
  });

  it('the policy cannot change during an emergency stop, and changes wait for approvals whenever it has them', () => {
    treasurySpec
      .given([...policed({ liftRequired: 1 }), { type: 'EmergencyStop', at: at(1), by: 'mallory' }])
      .when({ type: 'ChangePolicy', at: at(2), policy: {}, by: 'mallory' })
      .thenRejects('EMERGENCY_STOP');
    treasurySpec
      .given(policed(one))
      .when({ type: 'ChangePolicy', at: at(1), policy: {}, by: 'alice' })
      .then([{ type: 'ApprovalRequested', requestedBy: 'alice', command: { type: 'ChangePolicy' } }]);
  });

  it('a rule tightened while a request waits holds for it: now three must approve', () => {
    const policy = { approvals: approvals({ policyChanges: false }) };
    const given = [
      ...policed(policy),
      withdraw(1, '6000'),
      { type: 'ChangePolicy', at: at(1.1), by: 'ops', policy: { approvals: approvals({ required: 3 }) } },
      approve(1.2, 'alice'),
    ];
    treasurySpec
      .given(given)
      .when(approve(1.3, 'bob'))
      .then([{ type: 'RequestApproved', approvals: 2 }]);
    treasurySpec
      .given([...given, approve(1.3, 'bob')])
      .when(approve(1.4, 'carol'))
      .then([{}, { type: 'RequestExecuted' }, { type: 'OutflowChecked' }, { type: 'FundsWithdrawn' }]);
  });

  it('a "premium" to another treasury is a plain transfer: reduce-only refuses it and the deny-list holds', () => {
    const premiumTo = (kind: string, id: string) => ({
      type: 'SendTransfer',
      at: at(2),
      transferId: 'p.1',
      to: { kind, id },
      purpose: 'premium',
      amount: '10',
    });
    treasurySpec
      .given([...policed({}), { type: 'SetMode', at: at(1), mode: 'reduce-only', by: 'ops' }])
      .when(premiumTo('treasury', 'agent-2'))
      .thenRejects('REDUCE_ONLY', { blocked: 'transfer 10 to treasury:agent-2' });
    treasurySpec
      .given(policed({ deny: ['treasury:agent-2'] }))
      .when(premiumTo('treasury', 'agent-2'))
      .thenRejects('COUNTERPARTY_DENIED', { category: 'transfer' });
  });

  it('with a deny-list a withdrawal must name its destination, or leaving it out would slip past the list', () => {
    treasurySpec
      .given(policed({ deny: ['bank:evil'] }))
      .when(withdraw(1, '10'))
      .thenRejects('COUNTERPARTY_REQUIRED', { category: 'withdrawal' });
  });

  it('a request id such as constructor names no request', () => {
    treasurySpec
      .given(policed(one))
      .when(approve(1, 'alice', 'constructor'))
      .thenRejects('UNKNOWN_REQUEST');
  });
});

describe('controls stay bounded', () => {
  it('only the newest 256 closed requests are kept; an older id is then unknown', () => {
    const policy = { approvals: approvals() };
    const history: unknown[] = [...policed(policy)];
    for (let i = 1; i <= 300; i++)
      history.push(withdraw(1, '5001'), { type: 'DenyRequest', at: at(1), requestId: `req-${i}`, by: 'bob' });
    const { state } = treasurySpec.given(history);
    expect(Object.keys(state.treasury.controls!.requests)).toHaveLength(CLOSED_REQUESTS_KEPT);
    expect(state.treasury.controls!.requestCount).toBe(300);
    treasurySpec
      .given(history)
      .when(approve(1, 'alice', 'req-1'))
      .thenRejects('UNKNOWN_REQUEST');
    treasurySpec
      .given(history)
      .when(approve(1, 'alice', 'req-300'))
      .thenRejects('REQUEST_CLOSED');
  });

  it('without budgets no spends are kept', () => {
    const { state } = treasurySpec.given([...policed({ allow: ['bank:a'] }), withdraw(1, '10', { to: 'bank:a' })]);
    expect(state.treasury.controls!.spends).toEqual([]);
  });
});
