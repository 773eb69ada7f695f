import type { Money } from '../money';
import type { Party, TransferId } from '../transfers/transfer-codecs';
import type { AccountName } from './accounts';

/**
 * One leg of a transfer between aggregates, as the ledger checks it: the debit puts money in
 * transit for a payee, the credit takes exactly that out at the payee, a return takes it back to
 * the payer. A refusal moves nothing but is counted.
 */
export type TransferLeg =
  | { readonly role: 'debit'; readonly transferId: TransferId | string; readonly payee: Party }
  | { readonly role: 'credit'; readonly transferId: TransferId | string; readonly payer: Party }
  | { readonly role: 'return'; readonly transferId: TransferId | string }
  | { readonly role: 'refusal'; readonly transferId: TransferId | string };

/** `amount` moves from one account to another (double entry: one posting, two sides). */
export interface Posting {
  readonly from: AccountName;
  readonly to: AccountName;
  readonly amount: Money;
  readonly leg?: TransferLeg;
}

export const move = (from: AccountName, to: AccountName, amount: Money, leg?: TransferLeg): Posting =>
  leg ? { from, to, amount, leg } : { from, to, amount };
