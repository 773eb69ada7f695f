import type { ActorId } from '../ids';
import type { Instant } from '../instant';
import type { LocalId } from '../treasury/events';
import { Decimal, type Money } from '../money';
import type { PoolConfig } from './pool-config';
import type { PoolId } from './pool-events';
import type { CoverageType } from './tiers';
import type { Party, TransferPurpose } from '../transfers/transfer-codecs';

export interface Member {
  readonly agentId: ActorId;
  readonly stake: Money;
  readonly coverage: Money;
  readonly riskScore: Decimal;
  readonly active: boolean;
  /** A premium the member's treasury refused: not covered (no claims) until a later premium is paid. */
  readonly lapsed: boolean;
  /** Left or expelled: the rest of the stake went back; the record stays for reputation. */
  readonly left: boolean;
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
  /** Payouts sent and refused by the claimant's treasury so far: the next one gets a new transfer id. */
  readonly returnedPayouts: number;
}

/** An admission waiting for its stake (the debit leg in the agent's treasury). */
export interface PendingJoin {
  readonly transferId: string;
  readonly stake: Money;
  readonly requestedCoverage: Money;
  readonly coverage: Money;
  readonly riskScore: Decimal;
  readonly premium: Money;
}

/** A premium owed, waiting for its debit leg. */
export interface PendingPremium {
  readonly agentId: ActorId;
  readonly period: string;
  readonly amount: Money;
  readonly surcharged: boolean;
}

/** Money the pool sent another aggregate (a payout, a stake return): kept so a refused one comes back once. */
export interface PoolSentTransfer {
  readonly to: Party;
  readonly purpose: TransferPurpose;
  readonly amount: Money;
  readonly claimId?: string;
  readonly returned: boolean;
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
  readonly stakesReturned: Money;
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
  /** Member and period of every premium asked for (paid, pending or lapsed): one per period. */
  readonly premiumsCollected: ReadonlySet<string>;
  readonly pendingJoins: Readonly<Record<string, PendingJoin>>;
  readonly pendingPremiums: Readonly<Record<string, PendingPremium>>;
  readonly transfersSent: Readonly<Record<string, PoolSentTransfer>>;
  /** Transfer ids credited or refused here: a credit is taken once. */
  readonly transfersSettled: ReadonlySet<string>;
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
  pendingJoins: {},
  pendingPremiums: {},
  transfersSent: {},
  transfersSettled: new Set(),
  underfunded: false,
  ledger: {
    stakes: ZERO,
    premiums: ZERO,
    payouts: ZERO,
    stakesReturned: ZERO,
    lent: ZERO,
    borrowed: ZERO,
    repaidOut: ZERO,
    repaidIn: ZERO,
  },
  lastAt: 0,
};

/** A member the pool stands behind now: active (not suspended), not gone, cover not lapsed. */
export const isCovered = (m: Member): boolean => m.active && !m.left && !m.lapsed;

/** Coverage the pool stands behind: covered members only (a suspended or lapsed member cannot claim). */
export const totalCoverage = (s: PoolState): Money =>
  Object.values(s.members).reduce((n, m) => (isCovered(m) ? n.plus(m.coverage) : n), ZERO);

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
