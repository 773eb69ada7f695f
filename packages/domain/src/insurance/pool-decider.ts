import * as E from 'fp-ts/Either';
import { Decimal } from '../money';
import type { Decider } from '../decider';
import type { PoolCommand } from './pool-commands';
import { configProblemsOfPool } from './pool-config-checks';
import { decideCloseVoting, decideFileClaim, decidePayClaim, decideVote } from './pool-decide-claims';
import { decideCollectPremium, decideJoin, decideLeave, type PoolDecision } from './pool-decide-members';
import { decideCancelTransfer, decideReceiveTransfer, decideReturnTransfer } from './pool-decide-transfers';
import { decideBorrow, decideLend, decideReceiveRepayment, decideRepay } from './pool-decide-reinsurance';
import type { PoolEvent } from './pool-events';
import { evolvePool } from './pool-evolve';
import { poolReject, type PoolRejection } from './pool-rejections';
import { fundingRatio, initialPoolState, isUnderfunded, type PoolState } from './pool-state';

const decideCommand = (c: PoolCommand, s: PoolState): PoolDecision => {
  switch (c.type) {
    case 'OpenPool': {
      if (s.opened) return E.left(poolReject('POOL_ALREADY_OPENED', `pool ${s.poolId} is already open`));
      const problems = configProblemsOfPool(c.config);
      return problems.length > 0
        ? E.left(poolReject('POOL_CONFIG_INVALID', problems.join('; '), { problems: problems.join('; ') }))
        : E.right([{ type: 'PoolOpened', at: c.at, poolId: c.poolId, config: c.config }]);
    }
    case 'JoinPool':
      return decideJoin(c, s);
    case 'CollectPremium':
      return decideCollectPremium(c, s);
    case 'FileClaim':
      return decideFileClaim(c, s);
    case 'CastVote':
      return decideVote(c, s);
    case 'CloseVoting':
      return decideCloseVoting(c, s);
    case 'PayClaim':
      return decidePayClaim(c, s);
    case 'LeavePool':
      return decideLeave(c, s);
    case 'ReceiveTransfer':
      return decideReceiveTransfer(c, s);
    case 'CancelTransfer':
      return decideCancelTransfer(c, s);
    case 'ReturnTransfer':
      return decideReturnTransfer(c, s);
    case 'LendReinsurance':
      return decideLend(c, s);
    case 'BorrowReinsurance':
      return decideBorrow(c, s);
    case 'RepayReinsurance':
      return decideRepay(c, s);
    case 'ReceiveReinsuranceRepayment':
      return decideReceiveRepayment(c, s);
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
};

/**
 * Every pool command, then P6: when the funding ratio crosses the minimum, the same append records
 * it, which closes (or reopens) admissions and switches the premium surcharge.
 */
export const decidePool = (c: PoolCommand, s: PoolState): E.Either<PoolRejection, readonly PoolEvent[]> => {
  if (c.type !== 'OpenPool' && !s.opened)
    return E.left(poolReject('POOL_NOT_OPENED', 'open the pool (OpenPool) first'));
  if (c.at < s.lastAt)
    return E.left(
      poolReject('TIME_WENT_BACKWARDS', `command time ${c.at} is before the stream's last event at ${s.lastAt}`, {
        at: c.at,
        lastAt: s.lastAt,
      }),
    );
  const decided = decideCommand(c, s);
  if (E.isLeft(decided) || decided.right.length === 0 || c.type === 'OpenPool') return decided;
  const after = decided.right.reduce(evolvePool, s);
  const underfunded = isUnderfunded(after);
  if (underfunded === after.underfunded) return decided;
  const ratio = fundingRatio(after);
  return E.right([
    ...decided.right,
    {
      type: 'FundingStateChanged',
      at: c.at,
      underfunded,
      ratio: (ratio ?? after.config!.minFundingRatio).toDecimalPlaces(12, Decimal.ROUND_DOWN),
    },
  ]);
};

export const poolDecider: Decider<PoolCommand, PoolEvent, PoolState, PoolRejection> = {
  initialState: initialPoolState,
  evolve: evolvePool,
  decide: decidePool,
};
