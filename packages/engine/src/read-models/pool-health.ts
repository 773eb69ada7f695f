import { claimHistory, Decimal, fundingRatio, poolDecider, type PoolState, totalCoverage } from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { stateToJson } from '../state-digest';
import { aggregateStates } from './aggregate-states';

export type PoolStates = Record<string, PoolState>;

/** Every pool's state, folded by the pool decider's evolve. */
export const poolStates: Projection<PoolStates> = aggregateStates('pool-states', 'pool', poolDecider);

/** The pool health read model: reserve, funding ratio, open claims and member reputation. */
export const poolHealth = (pools: PoolStates) =>
  Object.entries(pools)
    .filter(([, p]) => p.opened)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([poolId, p]) => ({
      poolId,
      reserve: p.reserve.toFixed(),
      coverage: totalCoverage(p).toFixed(),
      fundingRatio: (fundingRatio(p) ?? new Decimal(0)).toDecimalPlaces(6).toFixed(),
      underfunded: p.underfunded,
      openClaims: Object.values(p.claims)
        .filter((c) => c.status === 'pending' || c.status === 'arbitration' || c.status === 'approved')
        .map((c) => ({
          claimId: c.claimId,
          claimant: c.claimant,
          amount: c.amount.toFixed(),
          status: c.status,
          deadline: c.deadline,
        })),
      reputation: Object.fromEntries(
        Object.keys(p.members)
          .sort()
          .map((agent) => [agent, stateToJson(claimHistory(p, agent))]),
      ),
    }));
