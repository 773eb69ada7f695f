import { driftOf, heldInBuckets, treasuryDecider } from '@ballast/domain';
import { decodeDomain } from '../read-models/decode-domain';
import type { TreasuryAccounts } from '../read-models/treasury-overview';
import type { ProcessManager } from './process-manager';

/**
 * Drift beyond the threshold → Rebalance. (The other treasury reactions of the seed's breaker
 * table — closing positions on a trading drawdown, returning a stopped casino's money, the
 * emergency reserve top-up — are decided inside the treasury's own append, so they need no
 * manager and cannot be half done.)
 */
export const driftRebalancer: ProcessManager<TreasuryAccounts> = {
  name: 'drift-rebalancer',
  version: 1,
  initial: {},
  react: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (d?.kind !== 'treasury') return { state, reactions: [] };
    const account = treasuryDecider.evolve(state[d.id] ?? treasuryDecider.initialState, d.event);
    const next = { ...state, [d.id]: account };
    const config = account.treasury.config;
    if (!config || d.event.type === 'Rebalanced' || d.event.type === 'CommandRejected')
      return { state: next, reactions: [] };
    const { total, drift } = driftOf(account.treasury.buckets, config.buckets, heldInBuckets(account.treasury));
    const drifted = total.gt(0) && Object.values(drift).some((x) => x.abs().gt(config.driftThreshold));
    return {
      state: next,
      reactions: drifted
        ? [
            {
              kind: 'treasury',
              id: d.id,
              command: { type: 'Rebalance' },
              key: `${recorded.streamId}:${recorded.revision}`,
            },
          ]
        : [],
    };
  },
};
