import * as t from 'io-ts';
import { JsonObjectCodec } from '../canonical-json';
import { decimalString, RatioFromString } from '../codecs/decimal-codec';
import { decodeInput } from '../codecs/decode';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { boundedInt, patternString } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { LocalIdCodec } from '../treasury/events';
import { CoverageTypeCodec, PoolConfigCodec } from './pool-config';
import { AgentIdCodec, PoolIdCodec } from './pool-events';
import { PartyCodec, TransferIdCodec, TransferPurposeCodec } from '../transfers/transfer-codecs';

const command = timedRecord;

const Count = boundedInt('count', 0, 10_000_000);
export const AgentRiskProfileCodec = strict(
  {
    jobsCompleted: Count,
    jobsFailed: Count,
    claimsLast90d: Count,
    avgTradingDrawdown: RatioFromString,
    counterpartyScore: RatioFromString,
  },
  {},
  'AgentRiskProfile',
);

export const OpenPool = command('OpenPool', { poolId: PoolIdCodec, config: PoolConfigCodec });
/** Give a risk score, or the profile it is computed from (a new agent with neither scores 0.5). */
export const JoinPool = command(
  'JoinPool',
  { agentId: AgentIdCodec, stake: PositiveMoneyFromString, coverage: PositiveMoneyFromString },
  { riskScore: decimalString('risk score', { min: '0.1', max: '1' }), profile: AgentRiskProfileCodec },
);
/** One premium per member per period (e.g. "2026-03"); a second collection for the period is refused. */
export const CollectPremium = command('CollectPremium', {
  agentId: AgentIdCodec,
  period: patternString('period', /^[0-9]{4}-[0-9]{2}$/, 7, 'YYYY-MM'),
});
export const FileClaim = command('FileClaim', {
  claimId: LocalIdCodec,
  claimant: AgentIdCodec,
  coverageType: CoverageTypeCodec,
  amount: PositiveMoneyFromString,
  evidence: JsonObjectCodec,
});
export const CastVote = command('CastVote', { claimId: LocalIdCodec, voter: AgentIdCodec, approve: t.boolean });
/** After the voting window: hands an unresolved claim to the arbitration panel. */
export const CloseVoting = command('CloseVoting', { claimId: LocalIdCodec });
/** Pays an approved claim that found the reserve empty, once the reserve has funds again. */
export const PayClaim = command('PayClaim', { claimId: LocalIdCodec });
/**
 * Leaves the pool; the rest of the stake goes back to the member's treasury. A suspended member leaving is expelled.
 */
export const LeavePool = command('LeavePool', { agentId: AgentIdCodec });
/** The credit leg of a transfer the pool asked for (a stake or a premium the member's treasury debited). */
export const PoolReceiveTransfer = command('ReceiveTransfer', {
  transferId: TransferIdCodec,
  from: PartyCodec,
  purpose: TransferPurposeCodec,
  amount: PositiveMoneyFromString,
});
/** The payer refused the debit the pool asked for: the admission is cancelled, or the cover lapses. */
export const CancelTransfer = command('CancelTransfer', { transferId: TransferIdCodec, code: t.string });
/** Takes back a payout or stake return the payee refused. */
export const PoolReturnTransfer = command('ReturnTransfer', { transferId: TransferIdCodec, code: t.string });
export const LendReinsurance = command('LendReinsurance', {
  transferId: LocalIdCodec,
  toPool: PoolIdCodec,
  amount: PositiveMoneyFromString,
});
export const BorrowReinsurance = command('BorrowReinsurance', {
  transferId: LocalIdCodec,
  fromPool: PoolIdCodec,
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
export const RepayReinsurance = command('RepayReinsurance', { transferId: LocalIdCodec });
export const ReceiveReinsuranceRepayment = command('ReceiveReinsuranceRepayment', { transferId: LocalIdCodec });

export const PoolCommandCodec = taggedUnion('PoolCommand', [
  OpenPool,
  JoinPool,
  CollectPremium,
  FileClaim,
  CastVote,
  CloseVoting,
  PayClaim,
  LeavePool,
  PoolReceiveTransfer,
  CancelTransfer,
  PoolReturnTransfer,
  LendReinsurance,
  BorrowReinsurance,
  RepayReinsurance,
  ReceiveReinsuranceRepayment,
] as const);
export type PoolCommand = t.TypeOf<typeof PoolCommandCodec>;
export type PoolCommandOf<T extends PoolCommand['type']> = Extract<PoolCommand, { type: T }>;
export const decodePoolCommand = decodeInput(PoolCommandCodec, 'pool command');
