import * as t from 'io-ts';
import { patternString } from '../codecs/primitives';
import { strict } from '../codecs/strict';

export interface TransferIdBrand {
  readonly TransferId: unique symbol;
}
/**
 * One id for both legs of a money movement between two aggregates (TigerBeetle's transfer id):
 * the payer's debit and the payee's credit carry it, so the audit pairs them and a retry of either
 * leg is recognised. Derived from what caused the transfer, so a process manager that runs again
 * after a crash derives the same id.
 */
export const TransferIdCodec = patternString<TransferIdBrand>(
  'transfer id',
  /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/,
  256,
  'letters, digits and _ . : @ -',
);
export type TransferId = t.TypeOf<typeof TransferIdCodec>;

/** The aggregates that hold money. An escrow holds none of its own: the payer's treasury holds the lock. */
export const MoneyHolderCodec = t.keyof({ treasury: null, pool: null }, 'money holder');
export type MoneyHolder = t.TypeOf<typeof MoneyHolderCodec>;

// As wide as an agent id: a pool member's treasury is named after the agent.
const PartyIdCodec = patternString<TransferIdBrand>(
  'party id',
  /^[A-Za-z0-9][A-Za-z0-9_.:@-]*$/,
  128,
  'letters, digits and _ . : @ -',
);
/** The other side of a transfer: which aggregate, by kind and id (a treasury is named after its agent). */
export const PartyCodec = strict({ kind: MoneyHolderCodec, id: PartyIdCodec }, {}, 'Party');
export type Party = t.TypeOf<typeof PartyCodec>;

export const sameParty = (a: Party, b: Party): boolean => a.kind === b.kind && a.id === b.id;
export const partyName = (p: Party): string => `${p.kind}:${p.id}`;

/** Why money crossed: the P&L table and the audit report group transfers by it. */
export const TransferPurposeCodec = t.keyof(
  { stake: null, premium: null, payout: null, 'stake-return': null, escrow: null, reinsurance: null, repayment: null },
  'transfer purpose',
);
export type TransferPurpose = t.TypeOf<typeof TransferPurposeCodec>;

/** A transfer id derived from what caused the transfer (dot-separated parts), so a retry derives the same one. */
export const transferIdOf = (...parts: readonly (string | number)[]): TransferId => parts.join('.') as TransferId;
/** A treasury as a party (named after its agent). */
export const treasuryParty = (id: string): Party => ({ kind: 'treasury', id: id as Party['id'] });
export const poolParty = (id: string): Party => ({ kind: 'pool', id: id as Party['id'] });
