export { JOB_RISK_MULTIPLIERS, COLLATERAL_RATIO, MAX_EXPOSURE_RATIO, collateralFor, type JobType } from './collateral';
export { EscrowEventCodec, type EscrowEvent, JobTypeCodec } from './escrow-events';
export { EscrowCommandCodec, type EscrowCommand, decodeEscrowCommand } from './escrow-commands';
export {
  type EscrowState,
  type EscrowStatus,
  initialEscrowState,
  evolveEscrow,
  remainingOf,
  isResolved,
} from './escrow-state';
export {
  ESCROW_REJECTION_CODES,
  type EscrowRejection,
  type EscrowRejectionCode,
  ESCROW_FEE_RATE,
  decideEscrow,
  escrowDecider,
} from './escrow-decide';
export { checkDefaultEvidence, automaticDefaultClaim, type DefaultEvidenceFailure } from './default-claim';
