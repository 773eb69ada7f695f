import * as t from 'io-ts';
import { RatioFromString } from '../codecs/decimal-codec';
import { decodeInput } from '../codecs/decode';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { strict } from '../codecs/strict';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { InstantCodec } from '../instant';
import { LocalIdCodec } from '../treasury/events';
import { JobTypeCodec } from './escrow-events';

const command = timedRecord;

/**
 * `job` adds collateral for a self-insured payee; `exposure` (the payee's collateral already at risk
 * and its wallet) lets the 40% exposure limit be checked on the same decision.
 */
export const CreateEscrow = command(
  'CreateEscrow',
  {
    escrowId: LocalIdCodec,
    payer: ActorIdCodec,
    payee: ActorIdCodec,
    amount: PositiveMoneyFromString,
    deadline: InstantCodec,
  },
  {
    feeRate: RatioFromString,
    job: strict({ type: JobTypeCodec, value: PositiveMoneyFromString }, {}, 'Job'),
    exposure: strict(
      { current: NonNegativeMoneyFromString, walletBalance: NonNegativeMoneyFromString },
      {},
      'Exposure',
    ),
  },
);
/** Without an amount, releases all that remains. */
export const ReleaseEscrow = command('ReleaseEscrow', { proof: t.string }, { amount: PositiveMoneyFromString });
export const RefundEscrow = command('RefundEscrow', { reason: t.string });
export const ExpireEscrow = command('ExpireEscrow', {});
export const DisputeEscrow = command('DisputeEscrow', { by: ActorIdCodec, reason: t.string });
/** Settles a dispute one way or the other. */
export const ResolveDispute = command('ResolveDispute', {
  outcome: t.keyof({ release: null, refund: null }),
  by: ActorIdCodec,
});

export const EscrowCommandCodec = taggedUnion('EscrowCommand', [
  CreateEscrow,
  ReleaseEscrow,
  RefundEscrow,
  ExpireEscrow,
  DisputeEscrow,
  ResolveDispute,
] as const);
export type EscrowCommand = t.TypeOf<typeof EscrowCommandCodec>;
export const decodeEscrowCommand = decodeInput(EscrowCommandCodec, 'escrow command');
