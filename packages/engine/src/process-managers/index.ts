export type { ProcessManager, Reaction } from './process-manager';
export { runProcessManager, type ReactionOutcome } from './run-process-manager';
export { driftRebalancer } from './drift-rebalancer';
export { escrowSettlement, type EscrowSettlementState } from './escrow-settlement';
export { schedules, type ScheduleState } from './schedules';
export { transferSettlement } from './transfer-settlement';
export { drainProcessManagers, type ManagerCursor } from './drain-process-managers';
export { approvalExpiry, type ApprovalExpiryState } from './approval-expiry';
