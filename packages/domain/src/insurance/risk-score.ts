import { Decimal } from '../money';

export interface AgentRiskProfile {
  readonly jobsCompleted: number;
  readonly jobsFailed: number;
  readonly claimsLast90d: number;
  /** 0 – 1 */
  readonly avgTradingDrawdown: Decimal;
  /** 0 – 1, from escrow history */
  readonly counterpartyScore: Decimal;
}

/**
 * Seed 001's formula, clamped to [0.1, 1.0]: failure rate × 2 (≤ 0.4) + 0.1 per recent claim
 * (≤ 0.3) + drawdown × 0.2 + (1 − counterparty score) × 0.1. For the seed's own example (142 done,
 * 8 failed, 1 claim, 0.12 drawdown, 0.87 counterparty) this gives 0.243667, not the 0.234 it prints,
 * so its premium on $500 at 2% is $2.44, not $2.34.
 */
export const riskScore = (p: AgentRiskProfile): Decimal => {
  const total = p.jobsCompleted + p.jobsFailed;
  const failureRate = new Decimal(p.jobsFailed).div(Math.max(total, 1));
  const failure = Decimal.min(failureRate.mul(2), '0.4');
  const claims = Decimal.min(new Decimal(p.claimsLast90d).mul('0.1'), '0.3');
  const trading = p.avgTradingDrawdown.mul('0.2');
  const counterparty = new Decimal(1).minus(p.counterpartyScore).mul('0.1');
  const raw = failure.plus(claims).plus(trading).plus(counterparty);
  return Decimal.max('0.1', Decimal.min(1, raw)).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
};
