import * as t from 'io-ts';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { InstantCodec } from '../instant';
import { LocalIdCodec } from '../treasury/events';

export const JobTypeCodec = t.keyof(
  {
    data_delivery: null,
    trading_execution: null,
    content_generation: null,
    financial_analysis: null,
    smart_contract_call: null,
  },
  'job type',
);
const Proof = t.string;

const event = timedRecord;

export const EscrowCreated = event(
  'EscrowCreated',
  {
    escrowId: LocalIdCodec,
    payer: ActorIdCodec,
    payee: ActorIdCodec,
    amount: PositiveMoneyFromString,
    fee: NonNegativeMoneyFromString,
    deadline: InstantCodec,
  },
  { jobType: JobTypeCodec, jobValue: PositiveMoneyFromString, collateral: NonNegativeMoneyFromString },
);
export const EscrowReleased = event('EscrowReleased', {
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
  remaining: NonNegativeMoneyFromString,
  proof: Proof,
});
export const EscrowRefunded = event('EscrowRefunded', {
  amount: NonNegativeMoneyFromString,
  fee: NonNegativeMoneyFromString,
  reason: t.string,
});
export const EscrowExpired = event('EscrowExpired', {
  amount: NonNegativeMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
export const EscrowDisputed = event('EscrowDisputed', { by: ActorIdCodec, reason: t.string });

export const EscrowEventCodec = taggedUnion('EscrowEvent', [
  EscrowCreated,
  EscrowReleased,
  EscrowRefunded,
  EscrowExpired,
  EscrowDisputed,
] as const);
export type EscrowEvent = t.TypeOf<typeof EscrowEventCodec>;
