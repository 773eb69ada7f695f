import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

describe('deposits, withdrawals, transfers, valuations and referrals', () => {
  const at = T0 + 1000;

  it('deposits into a named bucket, or refuses an unknown one', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'Deposit', at, amount: '5.5', bucket: 'casino' })
      .then([{ type: 'FundsDeposited', bucket: 'casino', amount: '5.5' }]);
    treasurySpec
      .given(funded())
      .when({ type: 'Deposit', at, amount: '5', bucket: 'savings' })
      .thenRejects('UNKNOWN_BUCKET', { bucket: 'savings' });
  });

  it('splits an awkward deposit by target, rounding shares down and giving the remainder to the reserve', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'Deposit', at, amount: '0.000013' })
      .then([
        { type: 'FundsDeposited', bucket: 'reserve', amount: '0.000007' },
        { type: 'FundsDeposited', bucket: 'trading', amount: '0.000004' },
        { type: 'FundsDeposited', bucket: 'casino', amount: '0.000001' },
        { type: 'FundsDeposited', bucket: 'referral', amount: '0.000001' },
      ]);
  });

  it('withdraws within the floor, and refuses more than the bucket or below its floor', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'Withdraw', at, bucket: 'referral', amount: '100' })
      .then([{ type: 'FundsWithdrawn', bucket: 'referral', amount: '100' }]);
    treasurySpec
      .given(funded())
      .when({ type: 'Withdraw', at, bucket: 'casino', amount: '150.01' })
      .thenRejects('INSUFFICIENT_FUNDS', { balance: '150', amount: '150.01' });
    // Reserve 400 − 260 = 140, but its floor is 20% of the 740 that would remain: 148.
    treasurySpec
      .given(funded())
      .when({ type: 'Withdraw', at, bucket: 'reserve', amount: '260' })
      .thenRejects('FLOOR_BREACH', { bucket: 'reserve', floor: '148' });
  });

  it('transfers between buckets, refusing the same bucket, too much, or a floor breach', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'Transfer', at, from: 'referral', to: 'reserve', amount: '60' })
      .then([{ type: 'FundsTransferred', from: 'referral', to: 'reserve', amount: '60', reason: 'manual' }]);
    treasurySpec
      .given(funded())
      .when({ type: 'Transfer', at, from: 'casino', to: 'casino', amount: '1' })
      .thenRejects('SAME_BUCKET');
    treasurySpec
      .given(funded())
      .when({ type: 'Transfer', at, from: 'casino', to: 'reserve', amount: '101' })
      .thenRejects('FLOOR_BREACH', { floor: '50' });
    treasurySpec
      .given(funded())
      .when({ type: 'Transfer', at, from: 'casino', to: 'reserve', amount: '151' })
      .thenRejects('INSUFFICIENT_FUNDS');
  });

  it('revalues a bucket to market, recording from and to', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'RecordValuation', at, bucket: 'trading', value: '362.25' })
      .then([{ type: 'BucketRevalued', bucket: 'trading', from: '350', to: '362.25' }]);
  });

  it('takes referral income into the referral bucket and reinvests 70% / 30% at $5 or more', () => {
    const state = [...funded(), { type: 'Withdraw', at: T0, bucket: 'referral', amount: '100' }];
    treasurySpec
      .given(state)
      .when({ type: 'RecordReferralIncome', at, service: 'casino', amount: '3' })
      .then([{ type: 'ReferralIncomeReceived', service: 'casino', amount: '3' }]);
    treasurySpec
      .given([...state, { type: 'RecordReferralIncome', at, service: 'casino', amount: '3' }])
      .when({ type: 'ReinvestReferrals', at })
      .thenRejects('REFERRAL_BELOW_MINIMUM', { balance: '3', minimum: '5' });
    treasurySpec
      .given([...state, { type: 'RecordReferralIncome', at, service: 'trading', amount: '12.345677' }])
      .when({ type: 'ReinvestReferrals', at })
      .then([{ type: 'ReferralsReinvested', toReserve: '8.641973', toTrading: '3.703704' }]);
  });

  it('credits a transfer from another aggregate into the reserve once per transfer id', () => {
    const payout = {
      type: 'ReceiveTransfer',
      at,
      transferId: 'payout.alpha.c1',
      from: { kind: 'pool', id: 'alpha' },
      purpose: 'payout',
      amount: '25',
    };
    const state = treasurySpec
      .given(funded())
      .when(payout)
      .then([
        {
          type: 'TransferReceived',
          transferId: 'payout.alpha.c1',
          from: { kind: 'pool', id: 'alpha' },
          purpose: 'payout',
          bucket: 'reserve',
          amount: '25',
        },
      ]);
    expect(state.treasury.buckets.reserve!.toFixed()).toBe('425');
    expect(state.treasury.ledger.received.toFixed()).toBe('25');
    treasurySpec
      .given([...funded(), payout])
      .when(payout)
      .then([]);
  });

  it('refuses a command whose time is before the last event', () => {
    treasurySpec
      .given(funded())
      .when({ type: 'Tick', at: T0 - 1 })
      .thenRejects('TIME_WENT_BACKWARDS', { at: T0 - 1, lastAt: T0 });
  });
});
