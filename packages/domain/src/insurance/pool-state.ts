import type { ActorId } from '../ids';
import type { Instant } from '../instant';
import type { LocalId } from '../treasury/events';
import { Decimal, type Money } from '../money';
import type { PoolConfig } from './pool-config';
import type { PoolId } from './pool-events';
import type { CoverageType } from './tiers';

export interface Member {
  readonly agentId: ActorId;
  readonly stake: Money;
  readonly coverage: Money;
  readonly riskScore: Decimal;
  readonly active: boolean;
  readonly premiumsPaid: Money;
  readonly claimsFiled: number;
  readonly claimsApproved: number;
  readonly claimsRejected: number;
  readonly slashed: Money;
}

export type ClaimStatus = 'pending' | 'arbitration' | 'approved' | 'rejected' | 'paid';

export interface Claim {
  readonly claimId: LocalId;
  readonly claimant: ActorId;
  readonly coverageType: CoverageType;
  readonly amount: Money;
  readonly evidenceHash: string;
  /** Members who may vote, fixed when the claim was filed (active members but the claimant). */
  readonly eligible: readonly ActorId[];
  readonly deadline: Instant;
  readonly status: ClaimStatus;
  /** Votes in the open window, by voter. */
  readonly votes: Readonly<Record<string, boolean>>;
  readonly panel?: readonly ActorId[];
  readonly panelVotes: Readonly<Record<string, boolean>>;
  readonly payout?: Money;
}

export interface Loan {
  readonly transferId: string;
  readonly direction: 'lent' | 'borrowed';
  readonly counterparty: PoolId;
  readonly amount: Money;
  readonly fee: Money;
  readonly repaid: boolean;
}

/** Cumulative cash flows of the reserve, so pool money is conserved exactly (checked by the property test). */
export interface PoolLedger {
  readonly stakes: Money;
  readonly premiums: Money;
  readonly payouts: Money;
  readonly lent: Money;
  readonly borrowed: Money;
  readonly repaidOut: Money;
  readonly repaidIn: Money;
}

export interface PoolState {
  readonly opened: boolean;
  readonly poolId?: PoolId;
  readonly config?: PoolConfig;
  /** Cash the pool holds. Stakes are part of it; a member's `stake` is their attributed share. */
  readonly reserve: Money;
  readonly members: Readonly<Record<string, Member>>;
  readonly claims: Readonly<Record<string, Claim>>;
  readonly loans: Readonly<Record<string, Loan>>;
  readonly premiumsCollected: ReadonlySet<string>;
  readonly underfunded: boolean;
  readonly ledger: PoolLedger;
  readonly lastAt: Instant | 0;
}

const ZERO = new Decimal(0);

export const initialPoolState: PoolState = {
  opened: false,
  reserve: ZERO,
  members: {},
  claims: {},
  loans: {},
  premiumsCollected: new Set(),
  underfunded: false,
  ledger: { stakes: ZERO, premiums: ZERO, payouts: ZERO, lent: ZERO, borrowed: ZERO, repaidOut: ZERO, repaidIn: ZERO },
  lastAt: 0,
};

/** Coverage the pool stands behind: active members only (a suspended member cannot claim). */
export const totalCoverage = (s: PoolState): Money => Object.values(s.members).reduce((n, m) => (m.active ? n.plus(m.coverage) : n), ZERO);

/** reserve / total coverage; undefined while nothing is covered. */
export const fundingRatio = (s: PoolState): Decimal | undefined => {
  const coverage = totalCoverage(s);
  return coverage.isZero() ? undefined : s.reserve.div(coverage);
};

export const isUnderfunded = (s: PoolState): boolean => {
  const ratio = fundingRatio(s);
  return ratio !== undefined && ratio.lt(s.config!.minFundingRatio);
};

/** A member's record of claims, for reputation: what they filed and how it went. */
export const claimHistory = (s: PoolState, agentId: string) => {
  const claims = Object.values(s.claims).filter((c) => c.claimant === agentId);
  const member = s.members[agentId];
  return {
    filed: claims.length,
    pending: claims.filter((c) => c.status === 'pending' || c.status === 'arbitration').length,
    approved: claims.filter((c) => c.status === 'approved' || c.status === 'paid').length,
    rejected: claims.filter((c) => c.status === 'rejected').length,
    paid: claims.reduce((n, c) => n.plus(c.payout ?? 0), ZERO),
    slashed: member?.slashed ?? ZERO,
    active: member?.active ?? false,
  };
};
