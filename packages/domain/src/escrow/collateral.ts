import { Decimal, type Money, roundMoney } from '../money';

/** Seed 001: collateral multipliers per job type, on a base of 10% of the job's value. */
export const JOB_RISK_MULTIPLIERS = {
  data_delivery: new Decimal('1.0'),
  trading_execution: new Decimal('2.5'),
  content_generation: new Decimal('0.5'),
  financial_analysis: new Decimal('1.8'),
  smart_contract_call: new Decimal('3.0'),
} as const;
export type JobType = keyof typeof JOB_RISK_MULTIPLIERS;

export const COLLATERAL_RATIO = new Decimal('0.10');
/** A self-insured agent keeps its total collateral at risk within 40% of its wallet. */
export const MAX_EXPOSURE_RATIO = new Decimal('0.40');

/** collateral = job value × 10% × the job type's multiplier, rounded up (collateral is never short). */
export const collateralFor = (jobType: JobType, jobValue: Money): Money =>
  roundMoney(jobValue.mul(COLLATERAL_RATIO).mul(JOB_RISK_MULTIPLIERS[jobType]), 'up');
