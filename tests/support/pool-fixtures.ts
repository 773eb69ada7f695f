import { EscrowCommandCodec, escrowDecider, EscrowEventCodec, PoolCommandCodec, poolDecider, PoolEventCodec } from '@ballast/domain';
import { deciderSpec } from './decider-spec';

export const poolSpec = deciderSpec(poolDecider, PoolCommandCodec as never, PoolEventCodec as never);
export const escrowSpec = deciderSpec(escrowDecider, EscrowCommandCodec as never, EscrowEventCodec as never);

export const T0 = Date.UTC(2026, 2, 1);
export const HOUR = 3_600_000;

export const poolConfig = (overrides: Record<string, unknown> = {}) => ({
  tier: 'standard',
  minFundingRatio: '0.20',
  maxCoverageMultiple: '10',
  maxPremiumRatio: '0.10',
  minPremium: '1',
  underfundedSurcharge: '0.25',
  quorum: '0.50',
  approvalThreshold: '0.60',
  fraudThreshold: '0.20',
  slashRatio: '0.10',
  minActiveStake: '10',
  votingWindowMs: 48 * HOUR,
  panelSize: 3,
  reinsuranceFee: '0.05',
  ...overrides,
});

export const open = (overrides: Record<string, unknown> = {}, poolId = 'alpha') => ({ type: 'OpenPool', at: T0, poolId, config: poolConfig(overrides) });
export const join = (agentId: string, stake: string, coverage: string, extra: Record<string, unknown> = {}) => ({ type: 'JoinPool', at: T0, agentId, stake, coverage, ...extra });

export const FIVE = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
/** Five standard-tier members with $200 stakes and $800 coverage each: reserve 1,000 / coverage 4,000. */
export const fivePool = () => [open(), ...FIVE.map((a) => join(a, '200', '800', { riskScore: '0.5' }))];
