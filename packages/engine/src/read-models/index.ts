export { decodeDomain, type DomainEvent } from './decode-domain';
export {
  treasuryAccounts,
  treasuryOverview,
  portfolios,
  riskBoard,
  type TreasuryAccounts,
  type TreasuryOverviewRow,
  type RiskBoardRow,
} from './treasury-overview';
export {
  pendingApprovals,
  treasuryControls,
  type PendingApprovalRow,
  type TreasuryControlsRow,
  type BudgetStanding,
} from './pending-approvals';
export { breakerHistory, type BreakerEntry, BREAKER_HISTORY_LIMIT } from './breaker-history';
export { poolStates, poolHealth, type PoolStates } from './pool-health';
export { escrowStates, openEscrows, type EscrowStates } from './open-escrows';
export { auditTrail, type TrailEntry, AUDIT_TRAIL_LIMIT } from './audit-trail';
export {
  decisionOutcomes,
  summarizeOutcomes,
  judgeDecision,
  DECISION_HORIZONS,
  OPEN_DECISIONS_LIMIT,
  ADVISORS_LIMIT,
  CLOSED_DECISIONS_LIMIT,
  type DecisionOutcomes,
  type TreasuryDecisionOutcomes,
  type DecisionRecord,
  type DecisionDetail,
  type DecisionOutcome,
  type DecisionTally,
  type OutcomeCounts,
  type OutcomeSummaryRow,
  type DecisionHorizon,
  type DecisionDirection,
  type DecisionVerdict,
  type DecisionPrices,
} from './decision-outcomes';
export { defiSeries, defiSeriesRows, SERIES_POINTS_LIMIT, type DefiSeriesRow } from './defi-series';
