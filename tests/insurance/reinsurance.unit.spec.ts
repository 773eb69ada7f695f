import { evolvePool, money, planReinsurance, type PoolState } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { fivePool, HOUR, joined, open, poolSpec, T0 } from '../support/pool-fixtures';

const at = (T0 + HOUR) as never;
const primary = (): PoolState => poolSpec.given(fivePool()).state;
const reinsurer = (): PoolState =>
  poolSpec.given([open({}, 'beta-pool'), ...joined('x', '1000', '2000', { riskScore: '0.5' }, 'beta-pool')]).state;

describe('reinsurance between pools', () => {
  it('lends reserve for a 5% fee: both streams change once, and a retry with the same transfer id changes nothing', () => {
    const plan = planReinsurance(primary(), reinsurer(), { transferId: 't1' as never, amount: money('300'), at });
    expect(E.isRight(plan) && poolSpec.wire(plan.right.reinsurer)).toMatchObject([
      { type: 'ReinsuranceLent', toPool: 'alpha', amount: '300', fee: '15' },
    ]);
    expect(E.isRight(plan) && poolSpec.wire(plan.right.primary)).toMatchObject([
      { type: 'ReinsuranceBorrowed', fromPool: 'beta-pool', amount: '300', fee: '15' },
    ]);
    if (E.isLeft(plan)) throw new Error(plan.left.message);
    const afterPrimary = plan.right.primary.reduce(evolvePool, primary());
    const afterReinsurer = plan.right.reinsurer.reduce(evolvePool, reinsurer());
    expect(afterPrimary.reserve.toFixed()).toBe('1300');
    expect(afterReinsurer.reserve.toFixed()).toBe('700');
    const retry = planReinsurance(afterPrimary, afterReinsurer, {
      transferId: 't1' as never,
      amount: money('300'),
      at,
    });
    expect(E.isRight(retry) && [retry.right.primary.length, retry.right.reinsurer.length]).toEqual([0, 0]);
    const reused = planReinsurance(afterPrimary, afterReinsurer, {
      transferId: 't1' as never,
      amount: money('301'),
      at,
    });
    expect(E.isLeft(reused) && reused.left.code).toBe('TRANSFER_ID_REUSED');
  });

  it('refuses a loan the reinsurer has no capacity for (it must keep its own 20%)', () => {
    // Reserve 1,000 against 1,000 coverage (the standard tier's maximum): it keeps 200 and can lend 800.
    const plan = planReinsurance(primary(), reinsurer(), { transferId: 't1' as never, amount: money('800.01'), at });
    expect(E.isLeft(plan) && plan.left).toMatchObject({
      code: 'NO_CAPACITY',
      details: { capacity: '800', reserve: '1000' },
    });
  });

  it('repays amount + fee once, on both sides', () => {
    const borrowed = [
      ...fivePool(),
      { type: 'BorrowReinsurance', at: T0 + HOUR, transferId: 't1', fromPool: 'beta-pool', amount: '300', fee: '15' },
    ];
    poolSpec
      .given(borrowed)
      .when({ type: 'RepayReinsurance', at: T0 + HOUR, transferId: 't1' })
      .then([{ type: 'ReinsuranceRepaid', amount: '300', fee: '15' }]);
    poolSpec
      .given([...borrowed, { type: 'RepayReinsurance', at: T0 + HOUR, transferId: 't1' }])
      .when({ type: 'RepayReinsurance', at: T0 + HOUR, transferId: 't1' })
      .then([]);
    poolSpec
      .given(fivePool())
      .when({ type: 'RepayReinsurance', at: T0 + HOUR, transferId: 't9' })
      .thenRejects('UNKNOWN_TRANSFER');
    const lent = [
      open({}, 'beta-pool'),
      ...joined('x', '1000', '2000', { riskScore: '0.5' }, 'beta-pool'),
      { type: 'LendReinsurance', at: T0 + HOUR, transferId: 't1', toPool: 'alpha', amount: '300' },
    ];
    poolSpec
      .given(lent)
      .when({ type: 'ReceiveReinsuranceRepayment', at: T0 + HOUR, transferId: 't1' })
      .then([{ type: 'ReinsuranceRepaymentReceived', amount: '300', fee: '15' }]);
    poolSpec
      .given([...lent, { type: 'ReceiveReinsuranceRepayment', at: T0 + HOUR, transferId: 't1' }])
      .when({ type: 'ReceiveReinsuranceRepayment', at: T0 + HOUR, transferId: 't1' })
      .thenRejects('ALREADY_REPAID');
  });
});
