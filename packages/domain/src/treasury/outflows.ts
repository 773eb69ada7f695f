import { addMoney, type Money, ZERO } from '../money';
import type { Counterparty, OutflowCategory } from '../policy/policy-codecs';
import { partyName } from '../transfers/transfer-codecs';
import type { TreasuryEvent } from './events';

/** Money a move pays out of the treasury, as the spend policy sees it. */
export interface Outflow {
  /** `swap`: money moving between USDC and a holding inside the sleeve (see `internal`). */
  readonly category: OutflowCategory | 'swap' | 'venue';
  readonly amount: Money;
  readonly counterparty?: Counterparty;
  /**
   * Paid from money already set aside and counted when it was (an escrow's lock paying its payee):
   * budgets and approvals counted it then, so only an emergency stop holds it.
   */
  readonly committed: boolean;
  /**
   * A swap: nothing leaves the treasury, so no budget counts it, but a stop freezes it, the approval
   * threshold holds it, and reduce-only lets only a `reducing` one (selling into USDC) through.
   */
  readonly internal?: boolean;
  readonly reducing?: boolean;
}

const out = (category: OutflowCategory, amount: Money, counterparty?: string, committed = false): Outflow => ({
  category,
  amount,
  committed,
  ...(counterparty === undefined ? {} : { counterparty: counterparty as Counterparty }),
});

/**
 * A premium or a stake is one only when it goes to a pool: the purpose is the sender's word, and a
 * "premium" to another treasury is a plain transfer (so reduce-only's exemption for premiums and the
 * lists cannot be had by naming a purpose).
 */
const transferCategory = (purpose: string, toKind: string): OutflowCategory =>
  toKind === 'pool' && (purpose === 'premium' || purpose === 'stake') ? purpose : 'transfer';

/**
 * The outflows among a move's events. Moves inside the treasury (between buckets, rebalancing,
 * reinvesting) and money coming in are not outflows; funding payments and losses are market
 * results, not spending.
 */
export const outflowsOf = (events: readonly TreasuryEvent[]): Outflow[] => {
  const flows: Outflow[] = [];
  for (const e of events) {
    switch (e.type) {
      case 'FundsWithdrawn':
        flows.push(out('withdrawal', e.amount, e.to));
        break;
      case 'BetPlaced':
        flows.push(out('casino', e.stake));
        break;
      case 'PositionOpened':
        flows.push(out('margin', e.margin));
        break;
      case 'EscrowLocked':
        flows.push(out('escrow', addMoney(e.amount, e.fee), e.payee === undefined ? undefined : partyName(e.payee)));
        break;
      case 'EscrowReleased':
        flows.push(out('escrow', addMoney(e.amount, e.fee), partyName(e.to), true));
        break;
      case 'Swapped':
        flows.push({
          category: 'swap',
          // What is swapped, and its gas: both count for the approval threshold.
          amount: (e.sell === 'USDC' ? e.sold : e.bought).plus(e.gasFee),
          committed: false,
          internal: true,
          reducing: e.buy === 'USDC',
        });
        break;
      case 'VenueDeposited':
        // Money placed in a venue stays the treasury's, but at the venue's risk: a stop freezes it, the
        // approval threshold holds a large one, reduce-only refuses it. Coming back out is no outflow.
        flows.push({ category: 'venue', amount: e.amount, committed: false, internal: true, reducing: false });
        break;
      case 'TransferSent':
        flows.push(out(transferCategory(e.purpose, e.to.kind), e.amount, partyName(e.to)));
        break;
      default:
        break;
    }
  }
  return flows;
};

/** What budgets and approvals count: every outflow not already committed. */
export const newSpending = (flows: readonly Outflow[]): Money =>
  flows.reduce((sum, f) => (f.committed ? sum : addMoney(sum, f.amount)), ZERO as Money);
