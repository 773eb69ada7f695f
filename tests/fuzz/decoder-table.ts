import {
  AccessCommandCodec,
  AccessEventCodec,
  decodeInput,
  EscrowCommandCodec,
  EscrowEventCodec,
  type InvalidInput,
  JsonObjectCodec,
  MarketPolicyCodec,
  MarketSnapshotCodec,
  NewEventCodec,
  PoolCommandCodec,
  PoolConfigCodec,
  PoolEventCodec,
  SpendPolicyCodec,
  TreasuryCommandCodec,
  TreasuryConfigCodec,
  TreasuryEventCodec,
} from '@ballast/domain';
import type * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import { CONFIG_EXAMPLES, T0, validExamples } from './valid-examples';

/** One boundary decoder: its codec (for `is` and re-encoding), the decode callers use, and valid examples. */
export interface Decoder {
  readonly name: string;
  readonly codec: t.Mixed;
  readonly decode: (input: unknown) => E.Either<InvalidInput, unknown>;
  readonly examples: readonly unknown[];
  /** Tagged-union members without a valid example (should be none). */
  readonly missing: readonly string[];
}

const decoder = (name: string, codec: t.Mixed, extra: readonly unknown[] = []): Decoder => {
  const { valid, missing } = validExamples(codec, extra);
  return { name, codec, decode: decodeInput(codec, name), examples: valid, missing };
};

const appendableEvent = { type: 'FundsDeposited', version: 1, data: { amount: '10', at: T0 } };

/**
 * Every decoder at a boundary where JSON (or a caller's value) enters: the commands of every aggregate, their events
 * as stored, the configs (treasury, pool, spend policy, DeFi market policy), a market reading, an event to append
 * and its data.
 */
export const DECODERS: readonly Decoder[] = [
  decoder('treasury command', TreasuryCommandCodec),
  decoder('pool command', PoolCommandCodec),
  decoder('escrow command', EscrowCommandCodec),
  decoder('access command', AccessCommandCodec),
  decoder('treasury event', TreasuryEventCodec),
  decoder('pool event', PoolEventCodec),
  decoder('escrow event', EscrowEventCodec),
  decoder('access event', AccessEventCodec),
  decoder('treasury config', TreasuryConfigCodec, CONFIG_EXAMPLES.treasury()),
  decoder('pool config', PoolConfigCodec, CONFIG_EXAMPLES.pool()),
  decoder('spend policy', SpendPolicyCodec),
  decoder('market policy', MarketPolicyCodec),
  decoder('market snapshot', MarketSnapshotCodec),
  decoder('new event', NewEventCodec, [appendableEvent]),
  decoder('event data', JsonObjectCodec, [appendableEvent.data, { legs: [{ amount: '1' }], n: 1 }]),
];
