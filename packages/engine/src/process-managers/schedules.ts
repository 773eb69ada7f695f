import { poolDecider, type PoolState } from '@ballast/domain';
import { decodeDomain } from '../read-models/decode-domain';
import type { ProcessManager, Reaction } from './process-manager';

export interface ScheduleState {
  /** The event-time month (YYYY-MM) and quarter (YYYY-Qn) last seen. */
  readonly month?: string;
  readonly quarter?: string;
  readonly pools: Record<string, PoolState>;
  readonly treasuries: readonly string[];
}

const monthOf = (at: number) => new Date(at).toISOString().slice(0, 7);
const quarterOf = (at: number) => {
  const d = new Date(at);
  return `${d.getUTCFullYear()}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`;
};

/**
 * Calendar work in event time: the first event of a new month collects every active member's
 * premium in every pool (keyed by member and month); the first of a new quarter reinvests every
 * treasury's referral income (keyed by treasury and quarter); a claim whose 48h window has passed
 * is handed to arbitration.
 */
export const schedules: ProcessManager<ScheduleState> = {
  name: 'schedules',
  version: 1,
  initial: { pools: {}, treasuries: [] },
  react: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (!d) return { state, reactions: [] };
    const at = d.event.at;
    let next = state;
    if (d.kind === 'pool')
      next = {
        ...next,
        pools: { ...next.pools, [d.id]: poolDecider.evolve(next.pools[d.id] ?? poolDecider.initialState, d.event) },
      };
    if (d.kind === 'treasury' && d.event.type === 'TreasuryOpened')
      next = { ...next, treasuries: [...next.treasuries, d.id] };
    const reactions: Reaction[] = [];
    const month = monthOf(at);
    if (state.month !== undefined && month > state.month) {
      for (const [poolId, pool] of Object.entries(next.pools)) {
        for (const member of Object.values(pool.members).filter((m) => m.active && !m.left)) {
          reactions.push({
            kind: 'pool',
            id: poolId,
            command: { type: 'CollectPremium', agentId: member.agentId, period: month },
            key: `premium:${poolId}:${member.agentId}:${month}`,
          });
        }
      }
    }
    const quarter = quarterOf(at);
    if (state.quarter !== undefined && quarter > state.quarter) {
      for (const treasuryId of next.treasuries)
        reactions.push({
          kind: 'treasury',
          id: treasuryId,
          command: { type: 'ReinvestReferrals' },
          key: `referral:${treasuryId}:${quarter}`,
        });
    }
    for (const [poolId, pool] of Object.entries(next.pools)) {
      for (const claim of Object.values(pool.claims)) {
        if (claim.status === 'pending' && at >= claim.deadline)
          reactions.push({
            kind: 'pool',
            id: poolId,
            command: { type: 'CloseVoting', claimId: claim.claimId },
            key: `close:${poolId}:${claim.claimId}`,
          });
      }
    }
    return {
      state: {
        ...next,
        month: state.month === undefined || month > state.month ? month : state.month,
        quarter: state.quarter === undefined || quarter > state.quarter ? quarter : state.quarter,
      },
      reactions,
    };
  },
};
