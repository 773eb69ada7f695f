import * as E from 'fp-ts/Either';
import { Decimal } from '../money';
import type { PoolCommandOf } from './pool-commands';
import type { PoolEvent } from './pool-events';
import { poolReject, poolRejectAndRecord, type PoolRejection } from './pool-rejections';
import { isUnderfunded, type PoolState, totalCoverage } from './pool-state';
import { monthlyPremium } from './premium';
import { riskScore } from './risk-score';
import { POOL_TIERS } from './tiers';
import { transferIdOf, treasuryParty } from '../transfers/transfer-codecs';

export type PoolDecision = E.Either<PoolRejection, readonly PoolEvent[]>;

/** A new agent with no history scores 0.5 (seed 001: neutral). */
const NEUTRAL_RISK = new Decimal('0.5');

/** P2, P4, P6: admission keeps the pool funded, caps coverage, and refuses an agent too risky to insure. */
export const decideJoin = (c: PoolCommandOf<'JoinPool'>, s: PoolState): PoolDecision => {
  const config = s.config!;
  const tier = POOL_TIERS[config.tier];
  const subject = `member:${c.agentId}`;
  const existing = s.members[c.agentId];
  if (existing && !existing.left)
    return E.left(poolReject('ALREADY_MEMBER', `${c.agentId} is already a member`, { agentId: c.agentId }));
  const pending = s.pendingJoins[c.agentId];
  if (pending)
    return E.left(
      poolReject(
        'JOIN_PENDING',
        `${c.agentId} was admitted and its stake is on the way (transfer ${pending.transferId})`,
        { agentId: c.agentId, transferId: pending.transferId },
      ),
    );
  if (c.stake.lt(tier.minStake)) {
    return E.left(
      poolRejectAndRecord(
        'STAKE_BELOW_TIER_MINIMUM',
        `stake ${c.stake.toFixed()} is below the ${config.tier} tier minimum of ${tier.minStake.toFixed()}`,
        { stake: c.stake, minimum: tier.minStake, tier: config.tier },
        c,
        subject,
      ),
    );
  }
  if (s.underfunded) {
    return E.left(
      poolRejectAndRecord(
        'ADMISSIONS_CLOSED',
        'the pool is below its minimum funding ratio: admissions are closed until it recovers',
        { reserve: s.reserve, coverage: totalCoverage(s), minimum: config.minFundingRatio },
        c,
        subject,
      ),
    );
  }
  const coverage = Decimal.min(c.coverage, c.stake.mul(config.maxCoverageMultiple), tier.maxCoverage);
  // Admissions whose stake is still on the way count as if they had arrived, so two of them cannot both pass on the
  // same reserve.
  const waiting = Object.values(s.pendingJoins);
  const reserveAfter = waiting.reduce((n, j) => n.plus(j.stake), s.reserve.plus(c.stake));
  const coverageAfter = waiting.reduce((n, j) => n.plus(j.coverage), totalCoverage(s).plus(coverage));
  const ratio = reserveAfter.div(coverageAfter);
  if (ratio.lt(config.minFundingRatio)) {
    return E.left(
      poolRejectAndRecord(
        'UNDERFUNDED_AFTER_ADMISSION',
        `admitting ${c.agentId} would leave reserve / coverage at ${ratio.toFixed(4)}, below ${config.minFundingRatio.toFixed()}`,
        {
          reserveAfter,
          coverageAfter,
          ratio: ratio.toDecimalPlaces(6, Decimal.ROUND_DOWN),
          minimum: config.minFundingRatio,
        },
        c,
        subject,
      ),
    );
  }
  const score = c.riskScore ?? (c.profile ? riskScore(c.profile) : NEUTRAL_RISK);
  const premium = monthlyPremium(config, score, coverage, false);
  const maxPremium = coverage.mul(config.maxPremiumRatio);
  if (premium.gt(maxPremium)) {
    return E.left(
      poolRejectAndRecord(
        'PREMIUM_TOO_HIGH',
        `premium ${premium.toFixed()} would exceed ${config.maxPremiumRatio.toFixed()} of coverage ` +
          `(${maxPremium.toFixed()}): self-insure instead`,
        { premium, maxPremium, riskScore: score, coverage },
        c,
        subject,
      ),
    );
  }
  const transferId = transferIdOf('stake', s.poolId!, c.agentId, c.at);
  return E.right([
    {
      type: 'MemberAdmitted',
      at: c.at,
      agentId: c.agentId,
      stake: c.stake,
      requestedCoverage: c.coverage,
      coverage,
      riskScore: score,
      premium,
      transferId,
    },
  ]);
};

export const decideCollectPremium = (c: PoolCommandOf<'CollectPremium'>, s: PoolState): PoolDecision => {
  const m = s.members[c.agentId];
  if (!m || m.left) return E.left(poolReject('NOT_A_MEMBER', `${c.agentId} is not a member`, { agentId: c.agentId }));
  if (!m.active)
    return E.left(poolReject('MEMBER_SUSPENDED', `${c.agentId} is suspended`, { agentId: c.agentId, stake: m.stake }));
  if (s.premiumsCollected.has(`${c.agentId}:${c.period}`))
    return E.left(
      poolReject('PREMIUM_ALREADY_COLLECTED', `${c.agentId} already paid for ${c.period}`, {
        agentId: c.agentId,
        period: c.period,
      }),
    );
  const underfunded = isUnderfunded(s);
  const amount = monthlyPremium(s.config!, m.riskScore, m.coverage, underfunded);
  // Owed, not yet paid: the member's treasury decides the debit; the credit or a lapse follows.
  return E.right([
    {
      type: 'PremiumDue',
      at: c.at,
      agentId: c.agentId,
      period: c.period,
      amount,
      surcharged: underfunded,
      transferId: transferIdOf('premium', s.poolId!, c.agentId, c.period),
    },
  ]);
};

/**
 * A member leaves, or a suspended one is expelled: the rest of its stake (never more than the
 * reserve holds) goes back to its treasury as a transfer. Refused while one of its claims is open,
 * so a claim is never paid to someone who already took their stake out.
 */
export const decideLeave = (c: PoolCommandOf<'LeavePool'>, s: PoolState): PoolDecision => {
  const m = s.members[c.agentId];
  if (!m || m.left) return E.left(poolReject('NOT_A_MEMBER', `${c.agentId} is not a member`, { agentId: c.agentId }));
  const open = Object.values(s.claims).find(
    (x) =>
      x.claimant === c.agentId && (x.status === 'pending' || x.status === 'arbitration' || x.status === 'approved'),
  );
  if (open)
    return E.left(
      poolReject('CLAIM_OPEN', `claim ${open.claimId} of ${c.agentId} is ${open.status}; leave once it is settled`, {
        agentId: c.agentId,
        claimId: open.claimId,
        status: open.status,
      }),
    );
  const stakeReturned = Decimal.min(m.stake, s.reserve);
  return E.right([
    {
      type: 'MemberLeft',
      at: c.at,
      agentId: c.agentId,
      reason: m.active ? 'left' : 'expelled',
      stakeReturned,
      transferId: transferIdOf('stake-return', s.poolId!, c.agentId, c.at),
      to: treasuryParty(c.agentId),
    },
  ]);
};
