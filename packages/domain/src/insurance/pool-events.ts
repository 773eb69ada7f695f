import * as t from 'io-ts';
import { JsonObjectCodec } from '../canonical-json';
import { decimalString, RatioFromString } from '../codecs/decimal-codec';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { boundedArray, boundedInt, patternString, SafeIntegerCodec } from '../codecs/primitives';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { InstantCodec } from '../instant';
import { LocalIdCodec } from '../treasury/events';
import { PartyCodec, TransferIdCodec } from '../transfers/transfer-codecs';
import { CoverageTypeCodec, PoolConfigCodec } from './pool-config';

export interface PoolIdBrand {
  readonly PoolId: unique symbol;
}
export const PoolIdCodec = patternString<PoolIdBrand>(
  'pool id',
  /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
  64,
  'letters, digits and _ . : -',
);
export type PoolId = t.TypeOf<typeof PoolIdCodec>;
export const AgentIdCodec = ActorIdCodec;
export interface Sha256Brand {
  readonly Sha256: unique symbol;
}
export const Sha256HexCodec = patternString<Sha256Brand>('sha256', /^[0-9a-f]{64}$/, 64, '64 lower-case hex digits');
export type Sha256Hex = t.TypeOf<typeof Sha256HexCodec>;
const Score = decimalString('risk score', { min: '0.1', max: '1' });
const Agents = boundedArray(AgentIdCodec, 0, 10_000, 'agents');

const event = timedRecord;

export const PoolOpened = event('PoolOpened', { poolId: PoolIdCodec, config: PoolConfigCodec });
const admission = {
  agentId: AgentIdCodec,
  stake: PositiveMoneyFromString,
  requestedCoverage: PositiveMoneyFromString,
  coverage: PositiveMoneyFromString,
  riskScore: Score,
  premium: PositiveMoneyFromString,
};
/**
 * Admission decided (P2, P4, P6); no money yet: the agent's treasury is asked for the stake as transfer `transferId`.
 */
export const MemberAdmitted = event('MemberAdmitted', { ...admission, transferId: TransferIdCodec });
/** The stake's debit was refused by the agent's treasury (floor, breaker, funds): the admission is void. */
export const JoinCancelled = event('JoinCancelled', {
  agentId: AgentIdCodec,
  transferId: TransferIdCodec,
  code: t.string,
});
/** Schema v2, the credit leg: the stake arrived from the agent's treasury and the member is covered. */
export const MemberJoined = event('MemberJoined', { ...admission, transferId: TransferIdCodec });
/** Schema v1 of MemberJoined, written before transfers existed: the stake was credited with no debit. Read only. */
export const LegacyMemberJoined = event('LegacyMemberJoined', admission);
const premium = { agentId: AgentIdCodec, period: t.string, amount: PositiveMoneyFromString, surcharged: t.boolean };
/** This period's premium is owed; the member's treasury is asked for it as transfer `transferId`. */
export const PremiumDue = event('PremiumDue', { ...premium, transferId: TransferIdCodec });
/** Schema v2, the credit leg: the premium arrived from the member's treasury. */
export const PremiumCollected = event('PremiumCollected', { ...premium, transferId: TransferIdCodec });
/** Schema v1 of PremiumCollected, written before transfers existed: credited with no debit. Read only. */
export const LegacyPremiumCollected = event('LegacyPremiumCollected', premium);
/**
 * The member's treasury refused the premium: the cover lapses until a later premium is paid; claims are refused
 * meanwhile.
 */
export const CoverageLapsed = event('CoverageLapsed', {
  agentId: AgentIdCodec,
  period: t.string,
  transferId: TransferIdCodec,
  code: t.string,
});
export const ClaimFiled = event('ClaimFiled', {
  claimId: LocalIdCodec,
  claimant: AgentIdCodec,
  coverageType: CoverageTypeCodec,
  requested: PositiveMoneyFromString,
  amount: PositiveMoneyFromString,
  evidence: JsonObjectCodec,
  evidenceHash: Sha256HexCodec,
  eligible: Agents,
  deadline: InstantCodec,
});
export const VoteCast = event('VoteCast', {
  claimId: LocalIdCodec,
  voter: AgentIdCodec,
  approve: t.boolean,
  panel: t.boolean,
});
export const ArbitrationStarted = event('ArbitrationStarted', {
  claimId: LocalIdCodec,
  panel: Agents,
  votesFor: boundedInt('votes', 0, 10_000),
  votesAgainst: boundedInt('votes', 0, 10_000),
});
export const ClaimApproved = event('ClaimApproved', {
  claimId: LocalIdCodec,
  votesFor: boundedInt('votes', 0, 10_000),
  votesAgainst: boundedInt('votes', 0, 10_000),
  by: t.keyof({ quorum: null, panel: null }),
});
export const ClaimRejected = event('ClaimRejected', {
  claimId: LocalIdCodec,
  votesFor: boundedInt('votes', 0, 10_000),
  votesAgainst: boundedInt('votes', 0, 10_000),
  approval: RatioFromString,
  by: t.keyof({ quorum: null, panel: null, 'no-arbiters': null }),
});
const paid = {
  claimId: LocalIdCodec,
  claimant: AgentIdCodec,
  multiplier: decimalString('multiplier', { min: '0', max: '100' }),
  raw: NonNegativeMoneyFromString,
  payout: PositiveMoneyFromString,
  reserveAfter: NonNegativeMoneyFromString,
};
/** Schema v2, the debit leg: the payout leaves the reserve as transfer `transferId` to the claimant's treasury. */
export const ClaimPaid = event('ClaimPaid', { ...paid, transferId: TransferIdCodec, to: PartyCodec });
/**
 * Schema v1 of ClaimPaid, written before transfers existed: the claimant's credit cannot be paired with it. Read only.
 */
export const LegacyClaimPaid = event('LegacyClaimPaid', paid);
export const StakeSlashed = event('StakeSlashed', {
  agentId: AgentIdCodec,
  claimId: LocalIdCodec,
  amount: NonNegativeMoneyFromString,
  stakeAfter: NonNegativeMoneyFromString,
});
export const MemberSuspended = event('MemberSuspended', { agentId: AgentIdCodec, stake: NonNegativeMoneyFromString });
export const FundingStateChanged = event('FundingStateChanged', {
  underfunded: t.boolean,
  ratio: decimalString('ratio', { min: '0' }),
});
export const ReinsuranceLent = event('ReinsuranceLent', {
  transferId: LocalIdCodec,
  toPool: PoolIdCodec,
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
export const ReinsuranceBorrowed = event('ReinsuranceBorrowed', {
  transferId: LocalIdCodec,
  fromPool: PoolIdCodec,
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
export const ReinsuranceRepaid = event('ReinsuranceRepaid', {
  transferId: LocalIdCodec,
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
export const ReinsuranceRepaymentReceived = event('ReinsuranceRepaymentReceived', {
  transferId: LocalIdCodec,
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
/**
 * A member leaves (or, suspended, is expelled): what is left of its stake goes back as transfer `transferId` (none when
 * nothing is left).
 */
export const MemberLeft = event('MemberLeft', {
  agentId: AgentIdCodec,
  reason: t.keyof({ left: null, expelled: null }),
  stakeReturned: NonNegativeMoneyFromString,
  transferId: TransferIdCodec,
  to: PartyCodec,
});
/**
 * A credit the pool had not asked for (no pending admission or premium): recorded so the payer takes its money back.
 */
export const PoolTransferRefused = event('TransferRefused', {
  transferId: TransferIdCodec,
  from: PartyCodec,
  amount: PositiveMoneyFromString,
  code: t.string,
});
/** A payout or stake return the payee refused came back to the reserve. */
export const PoolTransferReturned = event('TransferReturned', {
  transferId: TransferIdCodec,
  amount: PositiveMoneyFromString,
  code: t.string,
});
export const PoolCommandRejected = event('PoolCommandRejected', {
  command: t.string,
  subject: t.string,
  code: t.string,
  // Integers only, as in every stored event: a fraction has no canonical form and could never be appended.
  details: t.record(t.string, t.union([t.string, SafeIntegerCodec, t.boolean])),
});

export const PoolEventCodec = taggedUnion('PoolEvent', [
  PoolOpened,
  MemberAdmitted,
  JoinCancelled,
  MemberJoined,
  LegacyMemberJoined,
  PremiumDue,
  PremiumCollected,
  LegacyPremiumCollected,
  CoverageLapsed,
  ClaimFiled,
  VoteCast,
  ArbitrationStarted,
  ClaimApproved,
  ClaimRejected,
  ClaimPaid,
  LegacyClaimPaid,
  StakeSlashed,
  MemberSuspended,
  FundingStateChanged,
  ReinsuranceLent,
  ReinsuranceBorrowed,
  ReinsuranceRepaid,
  ReinsuranceRepaymentReceived,
  MemberLeft,
  PoolTransferRefused,
  PoolTransferReturned,
  PoolCommandRejected,
] as const);
export type PoolEvent = t.TypeOf<typeof PoolEventCodec>;
