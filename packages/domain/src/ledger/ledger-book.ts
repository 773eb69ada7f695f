import { Decimal, type Money } from '../money';
import { type Party, partyName, sameParty } from '../transfers/transfer-codecs';
import { type AccountName, EXTERNAL_FLOWS, type ExternalFlow, isExternal, isTransit } from './accounts';
import type { Posting, TransferLeg } from './posting';

/** Where a posting came from, so a problem names the stream and revision to look at. */
export interface PostingSource {
  readonly party: Party;
  readonly streamId: string;
  readonly revision: number;
}

export type LedgerProblemCode =
  | 'CREDIT_WITHOUT_DEBIT'
  | 'DUPLICATE_DEBIT'
  | 'DOUBLE_CREDIT'
  | 'TRANSFER_LEGS_UNEQUAL'
  | 'WRONG_PARTY'
  | 'RETURN_WITHOUT_DEBIT'
  | 'BALANCE_MISMATCH'
  | 'SYSTEM_UNBALANCED';

export interface LedgerProblem {
  readonly code: LedgerProblemCode;
  readonly message: string;
  readonly streamId?: string;
  readonly revision?: number;
  readonly transferId?: string;
  readonly account?: AccountName;
}

type TransferState = 'pending' | 'completed' | 'returned';
interface TransferRecord {
  readonly amount: Money;
  readonly payer: Party;
  readonly payee: Party;
  state: TransferState;
  refused: boolean;
}

const ZERO = new Decimal(0);
/** Problems kept in full; past this only the count grows (a broken store can have millions). */
const MAX_PROBLEMS = 100;

/**
 * The double-entry ledger (G6), folded from every money event in global order. It keeps a
 * balance per account, a record per transfer, and checks each leg as it arrives: a credit needs
 * its debit, the same amount and the payee the debit named; a debit happens once; a return goes
 * back to the payer. Mutable inside for linear time over millions of events; read it through
 * `balances`, `transfers` and `reconcile`.
 */
export class LedgerBook {
  private readonly balance = new Map<AccountName, Money>();
  private readonly transfer = new Map<string, TransferRecord>();
  private readonly flowIn = new Map<ExternalFlow, Money>();
  private readonly flowOut = new Map<ExternalFlow, Money>();
  readonly problems: LedgerProblem[] = [];
  problemCount = 0;
  postings = 0;

  post(source: PostingSource, postings: readonly Posting[]): void {
    for (const p of postings) {
      if (p.leg) this.checkLeg(source, p.leg, p.amount);
      if (p.amount.isZero()) continue;
      // A negative amount (a loss, a write-down) is the same move the other way.
      const negative = p.amount.isNeg();
      const from = negative ? p.to : p.from;
      const to = negative ? p.from : p.to;
      const amount = negative ? p.amount.neg() : p.amount;
      // b − a is how decimal.js computes b + (−a): the same value without negating first.
      this.balance.set(from, this.balanceOf(from).minus(amount));
      this.add(to, amount);
      if (isExternal(from)) this.addFlow(this.flowIn, from, amount);
      if (isExternal(to)) this.addFlow(this.flowOut, to, amount);
      this.postings += 1;
    }
  }

  balanceOf(account: AccountName): Money {
    return this.balance.get(account) ?? ZERO;
  }

  /** Money in flight: debited, not yet credited or returned. */
  inFlight(): Money {
    let n = ZERO;
    for (const [account, v] of this.balance) if (isTransit(account)) n = n.plus(v);
    return n;
  }

  /** Each external flow's totals: what entered the system through it and what left. */
  externalFlows(): { readonly flow: ExternalFlow; readonly inflow: Money; readonly outflow: Money }[] {
    return EXTERNAL_FLOWS.map((flow) => ({
      flow,
      inflow: this.flowIn.get(flow) ?? ZERO,
      outflow: this.flowOut.get(flow) ?? ZERO,
    }));
  }

  transferCounts(): Record<TransferState | 'refused', number> {
    const counts = { pending: 0, completed: 0, returned: 0, refused: 0 };
    for (const t of this.transfer.values()) {
      counts[t.state] += 1;
      if (t.refused) counts.refused += 1;
    }
    return counts;
  }

  /**
   * G6 against the aggregates' own states: every internal account the ledger knows equals what
   * its aggregate holds (and one the aggregate does not show is zero), and Σ internal + in flight
   * = Σ inflows − Σ outflows, with the internal total taken from the states, not the ledger.
   */
  reconcile(expected: Iterable<readonly [AccountName, Money]>): LedgerProblem[] {
    const found: LedgerProblem[] = [];
    const seen = new Set<AccountName>();
    let internal = ZERO;
    for (const [account, value] of expected) {
      seen.add(account);
      internal = internal.plus(value);
      const booked = this.balanceOf(account);
      if (!booked.eq(value))
        found.push({
          code: 'BALANCE_MISMATCH',
          account,
          message: `account ${account}: the ledger holds ${booked.toFixed()} but the aggregate's state holds ${value.toFixed()}`,
        });
    }
    for (const [account, booked] of this.balance) {
      if (seen.has(account) || isExternal(account) || isTransit(account) || booked.isZero()) continue;
      found.push({
        code: 'BALANCE_MISMATCH',
        account,
        message: `account ${account}: the ledger holds ${booked.toFixed()} but no aggregate's state shows it`,
      });
    }
    const net = this.externalFlows().reduce((n, f) => n.plus(f.inflow).minus(f.outflow), ZERO);
    const held = internal.plus(this.inFlight());
    if (!held.eq(net)) {
      found.push({
        code: 'SYSTEM_UNBALANCED',
        message:
          `Σ internal balances ${internal.toFixed()} + in flight ${this.inFlight().toFixed()} = ${held.toFixed()}, ` +
          `but Σ inflows − Σ outflows = ${net.toFixed()}`,
      });
    }
    return found;
  }

  private add(account: AccountName, amount: Money): void {
    this.balance.set(account, this.balanceOf(account).plus(amount));
  }

  private addFlow(flows: Map<ExternalFlow, Money>, account: AccountName, amount: Money): void {
    const flow = account.slice('external/'.length) as ExternalFlow;
    flows.set(flow, (flows.get(flow) ?? ZERO).plus(amount));
  }

  private problem(p: LedgerProblem): void {
    this.problemCount += 1;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  private checkLeg(source: PostingSource, leg: TransferLeg, amount: Money): void {
    const at = { streamId: source.streamId, revision: source.revision, transferId: leg.transferId };
    const here = `${source.streamId}@${source.revision}`;
    const t = this.transfer.get(leg.transferId);
    switch (leg.role) {
      case 'debit':
        if (t)
          return this.problem({
            ...at,
            code: 'DUPLICATE_DEBIT',
            message: `transfer ${leg.transferId} debited a second time at ${here}`,
          });
        this.transfer.set(leg.transferId, {
          amount,
          payer: source.party,
          payee: leg.payee,
          state: 'pending',
          refused: false,
        });
        return;
      case 'credit':
        if (!t)
          return this.problem({
            ...at,
            code: 'CREDIT_WITHOUT_DEBIT',
            message: `transfer ${leg.transferId}: ${amount.toFixed()} credited at ${here} with no debit: money from nowhere`,
          });
        if (t.state !== 'pending')
          return this.problem({
            ...at,
            code: 'DOUBLE_CREDIT',
            message: `transfer ${leg.transferId} credited at ${here} after it was already ${t.state}`,
          });
        if (!sameParty(t.payee, source.party) || !sameParty(t.payer, leg.payer)) {
          return this.problem({
            ...at,
            code: 'WRONG_PARTY',
            message:
              `transfer ${leg.transferId} from ${partyName(t.payer)} to ${partyName(t.payee)} credited at ${here} ` +
              `(${partyName(source.party)}, naming payer ${partyName(leg.payer)})`,
          });
        }
        if (!t.amount.eq(amount))
          return this.problem({
            ...at,
            code: 'TRANSFER_LEGS_UNEQUAL',
            message: `transfer ${leg.transferId}: debit ${t.amount.toFixed()} but credit ${amount.toFixed()} at ${here}`,
          });
        t.state = 'completed';
        return;
      case 'return':
        if (!t)
          return this.problem({
            ...at,
            code: 'RETURN_WITHOUT_DEBIT',
            message: `transfer ${leg.transferId}: ${amount.toFixed()} returned at ${here} with no debit`,
          });
        if (t.state !== 'pending')
          return this.problem({
            ...at,
            code: 'DOUBLE_CREDIT',
            message: `transfer ${leg.transferId} returned at ${here} after it was already ${t.state}`,
          });
        if (!sameParty(t.payer, source.party))
          return this.problem({
            ...at,
            code: 'WRONG_PARTY',
            message: `transfer ${leg.transferId} of ${partyName(t.payer)} returned to ${partyName(source.party)} at ${here}`,
          });
        if (!t.amount.eq(amount))
          return this.problem({
            ...at,
            code: 'TRANSFER_LEGS_UNEQUAL',
            message: `transfer ${leg.transferId}: debit ${t.amount.toFixed()} but ${amount.toFixed()} returned at ${here}`,
          });
        t.state = 'returned';
        return;
      case 'refusal':
        if (t) t.refused = true;
        return;
      default: {
        const unreachable: never = leg;
        return unreachable;
      }
    }
  }
}
