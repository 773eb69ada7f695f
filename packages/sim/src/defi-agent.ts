import {
  accrueYield,
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

/** The simulated venues' terms a DeFi treasury trades on (seed 002's, as `ballast backtest` uses them). */
export interface DefiTerms {
  /** The base-yield venue's APY (6.5%). */
  readonly apy: string;
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
  apy: '0.065',
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
 * What the base-yield venue reports at `now`: the bucket with the APY accrued since `since` (its
 * last report), or nothing when nothing accrued.
 */
export const baseYieldValuation = (
  account: TreasuryAccount,
  since: number,
  now: number,
  apy: string,
): TreasuryCommandInput | undefined => {
  const base = account.treasury.buckets.baseYield ?? new Decimal(0);
  const earned = accrueYield(base, new Decimal(apy), since, now);
  return earned.gt(0)
    ? { type: 'RecordValuation', bucket: 'baseYield', value: base.plus(earned).toFixed() }
    : undefined;
};

/** Why a DeFi treasury proposes a command. */
export type DefiIntent = 'value' | 'rebalance' | 'market' | 'swap' | 'approve';

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
  | { readonly to: 'look' };

/** The driver's answer: accepted or refused (its code), the events, and a look's account. */
export interface DefiOutcome {
  readonly ok: boolean;
  readonly code?: string;
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
  /** When the base-yield venue last reported. */
  readonly since: number;
  /** The sequence number the next command will run under (swap ids use it). */
  readonly seq: number;
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
 * A DeFi treasury's day, as a generator: the base-yield venue reports its value (APY accrued in
 * event time), the split is rebalanced when it drifted, the reading is recorded, and with the
 * signal it gives the sleeve is swapped toward the target at the venue's fill. A swap held above
 * the approval threshold is approved by the operator. Pure: no clock, no store, no randomness;
 * the driver executes each proposal and answers it, and gets what the day came to as the return value.
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

  const valuation = baseYieldValuation(view.account, view.since, view.now, terms.apy);
  if (valuation !== undefined) yield* propose('value', valuation);
  // Back to the split when gains or losses moved it past the drift threshold (both ways: the base-yield
  // floor alone only ever pulls money out of the sleeve).
  yield* propose('rebalance', { type: 'Rebalance' });
  const recorded = yield* propose('market', {
    type: 'RecordMarket',
    snapshot: MarketSnapshotCodec.encode(view.reading),
  });
  const signal = recorded.events.find((e): e is DefiSignal => e.type === 'SignalIssued');
  if (signal === undefined) return { trades: [], approvals: 0 };

  const account = (yield { to: 'look' }).account ?? view.account;
  const trades: DefiTrade[] = [];
  let approvals = 0;
  for (const swap of sleeveSwaps(account, view.reading, signal, terms)) {
    const answer = yield* propose('swap', {
      type: 'Swap',
      swapId: `s${seq}`,
      gasGwei: terms.gasGwei,
      gasFee: terms.gasFee,
      ...swap,
    });
    const held = answer.events.find((e) => e.type === 'ApprovalRequested');
    if (held?.type === 'ApprovalRequested') {
      approvals += 1;
      const approved = yield* propose(
        'approve',
        { type: 'ApproveRequest', requestId: held.requestId, approver: terms.operator },
        'operator',
      );
      if (approved.events.some((e) => e.type === 'Swapped')) trades.push({ ...swap, approved: true });
    } else if (answer.events.some((e) => e.type === 'Swapped')) trades.push({ ...swap, approved: false });
  }
  return { signal, trades, approvals };
}
