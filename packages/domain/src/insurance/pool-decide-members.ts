import * as E from 'fp-ts/Either';
import { Decimal } from '../money';
import type { PoolCommandOf } from './pool-commands';
import type { PoolEvent } from './pool-events';
import { poolReject, poolRejectAndRecord, type PoolRejection } from './pool-rejections';
import { isUnderfunded, type PoolState, totalCoverage } from './pool-state';
import { monthlyPremium } from './premium';
import { riskScore } from './risk-score';
import { POOL_TIERS } from './tiers';

export type PoolDecision = E.Either<PoolRejection, readonly PoolEvent[]>;

/** A new agent with no history scores 0.5 (seed 001: neutral). */
const NEUTRAL_RISK = new Decimal('0.5');

/** P2, P4, P6: admission keeps the pool funded, caps coverage, and refuses an agent too risky to insure. */
export const decideJoin = (c: PoolCommandOf<'JoinPool'>, s: PoolState): PoolDecision => {
  const config = s.config!;
  const tier = POOL_TIERS[config.tier];
  const subject = `member:${c.agentId}`;
  if (s.members[c.agentId]) return E.left(poolReject('ALREADY_MEMBER', `${c.agentId} is already a member`, { agentId: c.agentId }));
  if (c.stake.lt(tier.minStake)) {
    return E.left(poolRejectAndRecord('STAKE_BELOW_TIER_MINIMUM', `stake ${c.stake.toFixed()} is below the ${config.tier} tier minimum of ${tier.minStake.toFixed()}`, { stake: c.stake, minimum: tier.minStake, tier: config.tier }, c, subject));
  }
  if (s.underfunded) {
    return E.left(poolRejectAndRecord('ADMISSIONS_CLOSED', 'the pool is below its minimum funding ratio: admissions are closed until it recovers', { reserve: s.reserve, coverage: totalCoverage(s), minimum: config.minFundingRatio }, c, subject));
  }
  const coverage = Decimal.min(c.coverage, c.stake.mul(config.maxCoverageMultiple), tier.maxCoverage);
  const reserveAfter = s.reserve.plus(c.stake);
  const coverageAfter = totalCoverage(s).plus(coverage);
  const ratio = reserveAfter.div(coverageAfter);
  if (ratio.lt(config.minFundingRatio)) {
    return E.left(
      poolRejectAndRecord(
        'UNDERFUNDED_AFTER_ADMISSION',
        `admitting ${c.agentId} would leave reserve / coverage at ${ratio.toFixed(4)}, below ${config.minFundingRatio.toFixed()}`,
        { reserveAfter, coverageAfter, ratio: ratio.toDecimalPlaces(6, Decimal.ROUND_DOWN), minimum: config.minFundingRatio },
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
      poolRejectAndRecord('PREMIUM_TOO_HIGH', `premium ${premium.toFixed()} would exceed ${config.maxPremiumRatio.toFixed()} of coverage (${maxPremium.toFixed()}): self-insure instead`, { premium, maxPremium, riskScore: score, coverage }, c, subject),
    );
  }
  return E.right([{ type: 'MemberJoined', at: c.at, agentId: c.agentId, stake: c.stake, requestedCoverage: c.coverage, coverage, riskScore: score, premium }]);
};

export const decideCollectPremium = (c: PoolCommandOf<'CollectPremium'>, s: PoolState): PoolDecision => {
  const m = s.members[c.agentId];
  if (!m) return E.left(poolReject('NOT_A_MEMBER', `${c.agentId} is not a member`, { agentId: c.agentId }));
  if (!m.active) return E.left(poolReject('MEMBER_SUSPENDED', `${c.agentId} is suspended`, { agentId: c.agentId, stake: m.stake }));
  if (s.premiumsCollected.has(`${c.agentId}:${c.period}`)) return E.left(poolReject('PREMIUM_ALREADY_COLLECTED', `${c.agentId} already paid for ${c.period}`, { agentId: c.agentId, period: c.period }));
  const underfunded = isUnderfunded(s);
  const amount = monthlyPremium(s.config!, m.riskScore, m.coverage, underfunded);
  return E.right([{ type: 'PremiumCollected', at: c.at, agentId: c.agentId, period: c.period, amount, surcharged: underfunded }]);
};
