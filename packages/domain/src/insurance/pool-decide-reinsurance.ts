import * as E from 'fp-ts/Either';
import { Decimal, roundMoney } from '../money';
import type { PoolCommandOf } from './pool-commands';
import type { PoolDecision } from './pool-decide-members';
import { poolReject } from './pool-rejections';
import type { Loan, PoolState } from './pool-state';
import { totalCoverage } from './pool-state';

/** A transfer id already used: the same transfer again is a no-op (exactly once), anything else is refused. */
const replay = (s: PoolState, transferId: string, same: (loan: Loan) => boolean): PoolDecision | undefined => {
  const loan = s.loans[transferId];
  if (loan === undefined) return undefined;
  return same(loan)
    ? E.right([])
    : E.left(
        poolReject('TRANSFER_ID_REUSED', `transfer ${transferId} was already used for a different loan`, {
          transferId,
        }),
      );
};

/** What a pool can lend without falling below its own minimum funding ratio. */
export const lendingCapacity = (s: PoolState): Decimal =>
  Decimal.max(0, s.reserve.minus(totalCoverage(s).mul(s.config!.minFundingRatio)));

export const decideLend = (c: PoolCommandOf<'LendReinsurance'>, s: PoolState): PoolDecision => {
  const again = replay(
    s,
    c.transferId,
    (l) => l.direction === 'lent' && l.counterparty === c.toPool && l.amount.eq(c.amount),
  );
  if (again) return again;
  const capacity = lendingCapacity(s);
  if (c.amount.gt(capacity)) {
    return E.left(
      poolReject(
        'NO_CAPACITY',
        `lending ${c.amount.toFixed()} would take the reserve below its own minimum funding; capacity is ${capacity.toFixed()}`,
        { amount: c.amount, capacity, reserve: s.reserve },
      ),
    );
  }
  const fee = roundMoney(c.amount.mul(s.config!.reinsuranceFee), 'up');
  return E.right([
    { type: 'ReinsuranceLent', at: c.at, transferId: c.transferId, toPool: c.toPool, amount: c.amount, fee },
  ]);
};

export const decideBorrow = (c: PoolCommandOf<'BorrowReinsurance'>, s: PoolState): PoolDecision => {
  const again = replay(
    s,
    c.transferId,
    (l) => l.direction === 'borrowed' && l.counterparty === c.fromPool && l.amount.eq(c.amount) && l.fee.eq(c.fee),
  );
  if (again) return again;
  return E.right([
    {
      type: 'ReinsuranceBorrowed',
      at: c.at,
      transferId: c.transferId,
      fromPool: c.fromPool,
      amount: c.amount,
      fee: c.fee,
    },
  ]);
};

export const decideRepay = (c: PoolCommandOf<'RepayReinsurance'>, s: PoolState): PoolDecision => {
  const loan = s.loans[c.transferId];
  if (loan === undefined || loan.direction !== 'borrowed')
    return E.left(
      poolReject('UNKNOWN_TRANSFER', `no borrowed reinsurance ${c.transferId}`, { transferId: c.transferId }),
    );
  if (loan.repaid) return E.right([]);
  const due = loan.amount.plus(loan.fee);
  if (due.gt(s.reserve))
    return E.left(
      poolReject(
        'INSUFFICIENT_RESERVE',
        `repaying ${due.toFixed()} needs more than the ${s.reserve.toFixed()} reserve`,
        { due, reserve: s.reserve },
      ),
    );
  return E.right([
    { type: 'ReinsuranceRepaid', at: c.at, transferId: c.transferId, amount: loan.amount, fee: loan.fee },
  ]);
};

export const decideReceiveRepayment = (c: PoolCommandOf<'ReceiveReinsuranceRepayment'>, s: PoolState): PoolDecision => {
  const loan = s.loans[c.transferId];
  if (loan === undefined || loan.direction !== 'lent')
    return E.left(poolReject('UNKNOWN_TRANSFER', `no lent reinsurance ${c.transferId}`, { transferId: c.transferId }));
  if (loan.repaid)
    return E.left(
      poolReject('ALREADY_REPAID', `reinsurance ${c.transferId} is already repaid`, { transferId: c.transferId }),
    );
  return E.right([
    { type: 'ReinsuranceRepaymentReceived', at: c.at, transferId: c.transferId, amount: loan.amount, fee: loan.fee },
  ]);
};
