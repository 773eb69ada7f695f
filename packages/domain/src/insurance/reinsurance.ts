import * as E from 'fp-ts/Either';
import type { Instant } from '../instant';
import type { Money } from '../money';
import type { LocalId } from '../treasury/events';
import { decidePool } from './pool-decider';
import type { PoolEvent } from './pool-events';
import type { PoolRejection } from './pool-rejections';
import type { PoolState } from './pool-state';

export interface ReinsurancePlan {
  /** Events for the lending pool's stream. */
  readonly reinsurer: readonly PoolEvent[];
  /** Events for the borrowing pool's stream. */
  readonly primary: readonly PoolEvent[];
}

/**
 * Both sides of a reinsurance loan, decided together from both pools' states, keyed by one
 * transfer id: the reinsurer lends (if it has capacity) and the primary borrows amount + 5% fee
 * owed. Deciding again with the same id yields no events on either side, so a process manager that
 * retries after a crash changes each stream exactly once.
 */
export const planReinsurance = (
  primary: PoolState,
  reinsurer: PoolState,
  transfer: { readonly transferId: LocalId; readonly amount: Money; readonly at: Instant },
): E.Either<PoolRejection, ReinsurancePlan> => {
  const lent = decidePool(
    {
      type: 'LendReinsurance',
      at: transfer.at,
      transferId: transfer.transferId,
      toPool: primary.poolId!,
      amount: transfer.amount,
    },
    reinsurer,
  );
  if (E.isLeft(lent)) return lent;
  const lentEvent = lent.right.find((e) => e.type === 'ReinsuranceLent');
  const loan = reinsurer.loans[transfer.transferId];
  const fee = lentEvent?.type === 'ReinsuranceLent' ? lentEvent.fee : loan!.fee;
  const borrowed = decidePool(
    {
      type: 'BorrowReinsurance',
      at: transfer.at,
      transferId: transfer.transferId,
      fromPool: reinsurer.poolId!,
      amount: transfer.amount,
      fee,
    },
    primary,
  );
  if (E.isLeft(borrowed)) return borrowed;
  return E.right({ reinsurer: lent.right, primary: borrowed.right });
};
