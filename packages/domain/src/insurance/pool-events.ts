import * as t from 'io-ts';
import { JsonObjectCodec } from '../canonical-json';
import { decimalString, RatioFromString } from '../codecs/decimal-codec';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { boundedArray, boundedInt, patternString } from '../codecs/primitives';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { InstantCodec } from '../instant';
import { LocalIdCodec } from '../treasury/events';
import { CoverageTypeCodec, PoolConfigCodec } from './pool-config';

export interface PoolIdBrand {
  readonly PoolId: unique symbol;
}
export const PoolIdCodec = patternString<PoolIdBrand>('pool id', /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 64, 'letters, digits and _ . : -');
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
export const MemberJoined = event('MemberJoined', {
  agentId: AgentIdCodec,
  stake: PositiveMoneyFromString,
  requestedCoverage: PositiveMoneyFromString,
  coverage: PositiveMoneyFromString,
  riskScore: Score,
  premium: PositiveMoneyFromString,
});
export const PremiumCollected = event('PremiumCollected', { agentId: AgentIdCodec, period: t.string, amount: PositiveMoneyFromString, surcharged: t.boolean });
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
export const VoteCast = event('VoteCast', { claimId: LocalIdCodec, voter: AgentIdCodec, approve: t.boolean, panel: t.boolean });
export const ArbitrationStarted = event('ArbitrationStarted', { claimId: LocalIdCodec, panel: Agents, votesFor: boundedInt('votes', 0, 10_000), votesAgainst: boundedInt('votes', 0, 10_000) });
export const ClaimApproved = event('ClaimApproved', { claimId: LocalIdCodec, votesFor: boundedInt('votes', 0, 10_000), votesAgainst: boundedInt('votes', 0, 10_000), by: t.keyof({ quorum: null, panel: null }) });
export const ClaimRejected = event('ClaimRejected', {
  claimId: LocalIdCodec,
  votesFor: boundedInt('votes', 0, 10_000),
  votesAgainst: boundedInt('votes', 0, 10_000),
  approval: RatioFromString,
  by: t.keyof({ quorum: null, panel: null, 'no-arbiters': null }),
});
export const ClaimPaid = event('ClaimPaid', {
  claimId: LocalIdCodec,
  claimant: AgentIdCodec,
  multiplier: decimalString('multiplier', { min: '0', max: '100' }),
  raw: NonNegativeMoneyFromString,
  payout: PositiveMoneyFromString,
  reserveAfter: NonNegativeMoneyFromString,
});
export const StakeSlashed = event('StakeSlashed', { agentId: AgentIdCodec, claimId: LocalIdCodec, amount: NonNegativeMoneyFromString, stakeAfter: NonNegativeMoneyFromString });
export const MemberSuspended = event('MemberSuspended', { agentId: AgentIdCodec, stake: NonNegativeMoneyFromString });
export const FundingStateChanged = event('FundingStateChanged', { underfunded: t.boolean, ratio: decimalString('ratio', { min: '0' }) });
export const ReinsuranceLent = event('ReinsuranceLent', { transferId: LocalIdCodec, toPool: PoolIdCodec, amount: PositiveMoneyFromString, fee: NonNegativeMoneyFromString });
export const ReinsuranceBorrowed = event('ReinsuranceBorrowed', { transferId: LocalIdCodec, fromPool: PoolIdCodec, amount: PositiveMoneyFromString, fee: NonNegativeMoneyFromString });
export const ReinsuranceRepaid = event('ReinsuranceRepaid', { transferId: LocalIdCodec, amount: PositiveMoneyFromString, fee: NonNegativeMoneyFromString });
export const ReinsuranceRepaymentReceived = event('ReinsuranceRepaymentReceived', { transferId: LocalIdCodec, amount: PositiveMoneyFromString, fee: NonNegativeMoneyFromString });
export const PoolCommandRejected = event('PoolCommandRejected', { command: t.string, subject: t.string, code: t.string, details: t.record(t.string, t.union([t.string, t.number, t.boolean])) });

export const PoolEventCodec = taggedUnion(
  'PoolEvent',
  [
    PoolOpened,
    MemberJoined,
    PremiumCollected,
    ClaimFiled,
    VoteCast,
    ArbitrationStarted,
    ClaimApproved,
    ClaimRejected,
    ClaimPaid,
    StakeSlashed,
    MemberSuspended,
    FundingStateChanged,
    ReinsuranceLent,
    ReinsuranceBorrowed,
    ReinsuranceRepaid,
    ReinsuranceRepaymentReceived,
    PoolCommandRejected,
  ] as const,
);
export type PoolEvent = t.TypeOf<typeof PoolEventCodec>;
