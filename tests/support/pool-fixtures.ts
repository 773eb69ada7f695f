import {
  EscrowCommandCodec,
  escrowDecider,
  EscrowEventCodec,
  PoolCommandCodec,
  poolDecider,
  PoolEventCodec,
} from '@ballast/domain';
import { deciderSpec } from './decider-spec';

export const poolSpec = deciderSpec(poolDecider, PoolCommandCodec as never, PoolEventCodec as never);
export const escrowSpec = deciderSpec(escrowDecider, EscrowCommandCodec as never, EscrowEventCodec as never);

export const T0 = Date.UTC(2026, 2, 1);
export const HOUR = 3_600_000;

export const poolConfig = (overrides: Record<string, unknown> = {}) => ({
  tier: 'standard' as const,
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

export const open = (overrides: Record<string, unknown> = {}, poolId = 'alpha') => ({
  type: 'OpenPool',
  at: T0,
  poolId,
  config: poolConfig(overrides),
});
/** The admission request only: decided, it yields MemberAdmitted and waits for the stake. */
export const join = (agentId: string, stake: string, coverage: string, extra: Record<string, unknown> = {}) => ({
  type: 'JoinPool',
  at: T0,
  agentId,
  stake,
  coverage,
  ...extra,
});

/**
 * The transfer ids the pool derives (pool-decide-members.ts, pool-decide-claims.ts): what the process manager carries.
 */
export const stakeTransferId = (agentId: string, at: number = T0, poolId = 'alpha') =>
  `stake.${poolId}.${agentId}.${at}`;
export const premiumTransferId = (agentId: string, period: string, poolId = 'alpha') =>
  `premium.${poolId}.${agentId}.${period}`;
export const payoutTransferId = (claimId: string, attempt = 0, poolId = 'alpha') =>
  attempt > 0 ? `payout.${poolId}.${claimId}.${attempt}` : `payout.${poolId}.${claimId}`;
export const stakeReturnTransferId = (agentId: string, at: number, poolId = 'alpha') =>
  `stake-return.${poolId}.${agentId}.${at}`;

/** The credit leg into the pool from the agent's treasury, as the transfer-settlement process manager sends it. */
export const credit = (
  transferId: string,
  agentId: string,
  purpose: 'stake' | 'premium',
  amount: string,
  at: number = T0,
) => ({
  type: 'ReceiveTransfer',
  at,
  transferId,
  from: { kind: 'treasury', id: agentId },
  purpose,
  amount,
});

/** An admitted, paid-up member: the JoinPool request and the stake's credit from the agent's treasury. */
export const joined = (
  agentId: string,
  stake: string,
  coverage: string,
  extra: Record<string, unknown> = {},
  poolId = 'alpha',
) => {
  const request = join(agentId, stake, coverage, extra);
  return [
    request,
    credit(stakeTransferId(agentId, request.at as number, poolId), agentId, 'stake', stake, request.at as number),
  ];
};

/** A premium asked for (PremiumDue) and paid by the member's treasury; `amount` must be the premium due. */
export const premiumPaid = (agentId: string, period: string, amount: string, at: number = T0, poolId = 'alpha') => [
  { type: 'CollectPremium', at, agentId, period },
  credit(premiumTransferId(agentId, period, poolId), agentId, 'premium', amount, at),
];

export const FIVE = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'];
/**
 * Five standard-tier members with $200 stakes and $800 coverage each, stakes received: reserve 1,000 / coverage 4,000.
 */
export const fivePool = () => [open(), ...FIVE.flatMap((a) => joined(a, '200', '800', { riskScore: '0.5' }))];
