import {
  Decimal,
  equity,
  type MarketSnapshot,
  MarketSnapshotCodec,
  planAllocation,
  type SleeveAsset,
  type TreasuryAccount,
  type TreasuryCommandInput,
  type TreasuryEvent,
} from '@ballast/domain';
import { type VenueChoice, venueDeposits, venueUpkeep, venueWithdrawals } from './venue-keeper';

/** The simulated venues' terms a DeFi treasury trades on (seed 002's, as `ballast backtest` uses them). */
export interface DefiTerms {
  /** The simulated swap venue fills this much worse than the reading's price (0.1%). */
  readonly venueSlippage: string;
  readonly gasGwei: string;
  /** Gas per swap in USD. */
  readonly gasFee: string;
  /** A target difference smaller than this is not traded (USD). */
  readonly minMove: string;
  /** Who approves a swap held above the approval threshold (never the treasury itself). */
  readonly operator: string;
}

export const DEFAULT_DEFI_TERMS: DefiTerms = {
  venueSlippage: '0.001',
  gasGwei: '30',
  gasFee: '5',
  minMove: '1000',
  operator: 'operator',
};

/** The signal a treasury got with its reading. */
export type DefiSignal = Extract<TreasuryEvent, { type: 'SignalIssued' }>;

/** One swap of the sleeve as the simulated venue fills it: `amount` of `sell` for `filled` of `buy`. */
export interface SleeveSwap {
  readonly sell: SleeveAsset;
  readonly buy: SleeveAsset;
  readonly amount: string;
  readonly filled: string;
}

/**
 * The swaps that bring the tactical sleeve toward the signal's target, from the account as it is
 * after the reading was recorded: planAllocation over the sleeve valued at the reading's prices
 * (the USDC that four swaps' gas will take is not there to buy with), each step's quantity rounded
 * down to 8 decimals and never more than is held, filled `venueSlippage` worse than the reading.
 * A split within `minMove` of the target proposes nothing.
 */
export const sleeveSwaps = (
  account: TreasuryAccount,
  reading: MarketSnapshot,
  signal: Pick<DefiSignal, 'target'>,
  terms: Pick<DefiTerms, 'venueSlippage' | 'gasFee' | 'minMove'>,
): SleeveSwap[] => {
  const prices: Record<SleeveAsset, Decimal> = { BTC: reading.btcPrice, ETH: reading.ethPrice, USDC: new Decimal(1) };
  const held = (asset: 'BTC' | 'ETH') => account.treasury.holdings?.[asset]?.quantity ?? new Decimal(0);
  const fill = new Decimal(1).minus(terms.venueSlippage);
  const value = {
    BTC: held('BTC').mul(prices.BTC),
    ETH: held('ETH').mul(prices.ETH),
    USDC: Decimal.max(0, (account.treasury.buckets.tactical ?? new Decimal(0)).minus(new Decimal(terms.gasFee).mul(4))),
  };
  const plan = planAllocation(value, equity(account.treasury), signal.target, new Decimal(terms.minMove));
  const swaps: SleeveSwap[] = [];
  for (const step of plan) {
    const asset = step.sell === 'USDC' ? step.buy : step.sell;
    const quantity = Decimal.min(
      step.usd.div(prices[asset]).toDecimalPlaces(8, Decimal.ROUND_DOWN),
      step.sell === 'USDC' ? step.usd : held(asset as 'BTC' | 'ETH'),
    );
    if (quantity.isZero()) continue;
    swaps.push(
      step.sell === 'USDC'
        ? {
            sell: 'USDC',
            buy: asset,
            amount: step.usd.toFixed(),
            filled: quantity.mul(fill).toDecimalPlaces(8, Decimal.ROUND_DOWN).toFixed(),
          }
        : {
            sell: asset,
            buy: 'USDC',
            amount: quantity.toFixed(),
            filled: quantity.mul(prices[asset]).mul(fill).toDecimalPlaces(6, Decimal.ROUND_DOWN).toFixed(),
          },
    );
  }
  return swaps;
};

/**
 * A purchase cut down to the sleeve's cash less its gas, at the same fill; undefined when that
 * leaves less than the minimum move.
 */
export const affordable = (
  swap: SleeveSwap,
  account: TreasuryAccount,
  reading: MarketSnapshot,
  terms: Pick<DefiTerms, 'venueSlippage' | 'gasFee' | 'minMove'>,
): SleeveSwap | undefined => {
  const cash = (account.treasury.buckets.tactical ?? new Decimal(0)).minus(terms.gasFee);
  if (cash.gte(swap.amount)) return swap;
  if (cash.lt(terms.minMove)) return undefined;
  const price = swap.buy === 'BTC' ? reading.btcPrice : reading.ethPrice;
  const amount = cash.toDecimalPlaces(2, Decimal.ROUND_DOWN);
  const filled = amount
    .div(price)
    .toDecimalPlaces(8, Decimal.ROUND_DOWN)
    .mul(new Decimal(1).minus(terms.venueSlippage))
    .toDecimalPlaces(8, Decimal.ROUND_DOWN);
  return { ...swap, amount: amount.toFixed(), filled: filled.toFixed() };
};

/** Why a DeFi treasury proposes a command. */
export type DefiIntent = 'venue' | 'rebalance' | 'market' | 'swap' | 'approve';

/**
 * What a DeFi treasury proposes, one at a time: a command (run as the treasury, or as the operator
 * for an approval), or a look at its account as it is now.
 */
export type DefiProposal =
  | {
      readonly to: 'treasury';
      readonly intent: DefiIntent;
      readonly as: 'treasury' | 'operator';
      readonly command: TreasuryCommandInput;
    }
  | { readonly to: 'look' }
  /** Ask the outside advisor about the reading just recorded (only when the view says there is one). */
  | { readonly to: 'advise' };

/** The driver's answer: accepted or refused (its code), the events, and a look's account. */
export interface DefiOutcome {
  readonly ok: boolean;
  readonly code?: string;
  /** FUNDS_IN_VENUE's figure: how much more of the base sleeve the move needed than was idle. */
  readonly short?: string;
  /** An advisor's answer the treasury recorded: the sleeve trades toward it instead of the signal's. */
  readonly target?: DefiSignal['target'];
  readonly events: readonly TreasuryEvent[];
  readonly account?: TreasuryAccount;
}

/** What a DeFi treasury sees at its daily turn. */
export interface DefiView {
  /** Its account at the start of the turn. */
  readonly account: TreasuryAccount;
  /** Today's market reading. */
  readonly reading: MarketSnapshot;
  /** Event time of the turn (after the reading was observed). */
  readonly now: number;
  /** The base sleeve's venues: today's quotes from the venue port, and each one's share. */
  readonly venues: readonly VenueChoice[];
  /** The sequence number the next command will run under (swap ids use it). */
  readonly seq: number;
  /** An outside advisor is asked after each signal (the driver asks it and records its advice). */
  readonly advisor?: boolean;
}

/** A swap that was made, and whether it waited for the operator's approval. */
export interface DefiTrade extends SleeveSwap {
  readonly approved: boolean;
}

/** What the day came to: the signal (if the reading gave one), the swaps made, the approvals asked for. */
export interface DefiDay {
  readonly signal?: DefiSignal;
  readonly trades: readonly DefiTrade[];
  readonly approvals: number;
}

/**
 * A DeFi treasury's day, as a generator: the venues' upkeep (a moved rate recorded, a matured term
 * brought back, yield accrued in event time), the split rebalanced when it drifted (money freed
 * from the venues first when the base sleeve's idle cash is short), the reading recorded, and with
 * the signal it gives the sleeve swapped toward the target at the venue's fill; last, the base
 * sleeve's idle cash goes to the venues by their shares. A move held above the approval threshold
 * is approved by the operator. Pure: no clock, no store, no randomness; the driver executes each
 * proposal and answers it, and gets what the day came to as the return value.
 */
export function* defiDay(
  view: DefiView,
  terms: DefiTerms = DEFAULT_DEFI_TERMS,
): Generator<DefiProposal, DefiDay, DefiOutcome> {
  let seq = view.seq;
  function* propose(
    intent: DefiIntent,
    command: TreasuryCommandInput,
    as: 'treasury' | 'operator' = 'treasury',
  ): Generator<DefiProposal, DefiOutcome, DefiOutcome> {
    const outcome = yield { to: 'treasury', intent, as, command };
    seq += 1;
    return outcome;
  }

  // A command above the approval threshold waits: the operator approves it (never the treasury itself).
  function* proposeApproved(intent: DefiIntent, command: TreasuryCommandInput) {
    const answer = yield* propose(intent, command);
    const held = answer.events.find((e) => e.type === 'ApprovalRequested');
    if (held?.type !== 'ApprovalRequested') return { answer, approved: false };
    approvals += 1;
    const approval = { type: 'ApproveRequest' as const, requestId: held.requestId, approver: terms.operator };
    return { answer: yield* propose('approve', approval, 'operator'), approved: true };
  }
  let approvals = 0;

  for (const command of venueUpkeep(view.account, view.venues, view.now)) yield* propose('venue', command);
  // Back to the split when gains or losses moved it past the drift threshold (both ways: the base-yield
  // floor alone only ever pulls money out of the sleeve). Money the venues hold is freed first when needed.
  const rebalanced = yield* propose('rebalance', { type: 'Rebalance' });
  if (rebalanced.code === 'FUNDS_IN_VENUE' && rebalanced.short !== undefined) {
    const account = (yield { to: 'look' }).account ?? view.account;
    for (const command of venueWithdrawals(account, new Decimal(rebalanced.short))) yield* propose('venue', command);
    yield* propose('rebalance', { type: 'Rebalance' });
  }
  const recorded = yield* propose('market', {
    type: 'RecordMarket',
    snapshot: MarketSnapshotCodec.encode(view.reading),
  });
  const signal = recorded.events.find((e): e is DefiSignal => e.type === 'SignalIssued');
  const trades: DefiTrade[] = [];
  if (signal !== undefined) {
    // Advice the treasury recorded replaces the rules' target; refused or failed advice leaves the signal's.
    const target = view.advisor === true ? ((yield { to: 'advise' }).target ?? signal.target) : signal.target;
    const account = (yield { to: 'look' }).account ?? view.account;
    for (const planned of sleeveSwaps(account, view.reading, { target }, terms)) {
      // The plan priced the sales at the reading; they filled a little worse, so a purchase takes at most the cash there is.
      const swap =
        planned.sell === 'USDC'
          ? affordable(planned, (yield { to: 'look' }).account ?? account, view.reading, terms)
          : planned;
      if (swap === undefined) continue;
      const { answer, approved } = yield* proposeApproved('swap', {
        type: 'Swap',
        swapId: `s${seq}`,
        gasGwei: terms.gasGwei,
        gasFee: terms.gasFee,
        ...swap,
      });
      if (answer.events.some((e) => e.type === 'Swapped')) trades.push({ ...swap, approved });
    }
  }
  // What the base sleeve holds idle goes to the venues, by their shares, at today's quotes.
  const settled = (yield { to: 'look' }).account ?? view.account;
  for (const command of venueDeposits(settled, view.venues, new Decimal(terms.minMove)))
    yield* proposeApproved('venue', command);
  return { ...(signal === undefined ? {} : { signal }), trades, approvals };
}
