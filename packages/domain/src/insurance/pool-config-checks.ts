import type { PoolConfig } from './pool-config';

/** Rules on a pool config beyond its shape. */
export const configProblemsOfPool = (config: PoolConfig): string[] => {
  const problems: string[] = [];
  if (config.quorum.lte(0)) problems.push('quorum must be above 0');
  if (config.approvalThreshold.lte(0)) problems.push('approval threshold must be above 0');
  if (config.fraudThreshold.gt(config.approvalThreshold))
    problems.push('the fraud threshold must not exceed the approval threshold');
  if (config.maxCoverageMultiple.lte(0)) problems.push('coverage multiple must be above 0');
  return problems;
};
