import {
  accrueYield,
  type Advisor,
  type AdvisorInput,
  Decimal,
  defiPreset,
  equity,
  type MarketSnapshot,
  TreasuryConfigCodec,
  type TreasuryAccount,
  type TreasuryCommandInput,
  type TreasuryEvent,
} from '@ballast/domain';
import {
  type Ballast,
  decisionOutcomes,
  type OutcomeSummaryRow,
  openBallast,
  summarizeOutcomes,
} from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import { type DefiAnswer, defiDay, type DefiSignal, driveDefiDay, quoteVenues, simulatedVenues } from '@ballast/sim';
import * as E from 'fp-ts/Either';
import { adviseAndRecord, advisorInputFor } from '../advisors/record-advice';

/** How the backtest trades: the simulated venues' terms. */
export interface BacktestOptions {
  /** The treasury's starting USDC (seed 002: 400,000). */
  readonly start: string;
  /**
   * Seeds the simulated venues' rates (6.5% on average): the treasury's base sleeve earns what they
   * quote day by day, and so does the "base only" comparison line.
   */
  readonly venueSeed: number;
  /** The simulated swap venue fills this much worse than the reading's price (0.1%). */
  readonly venueSlippage: string;
  readonly gasGwei: string;
  /** Gas per swap in USD. */
  readonly gasFee: string;
  /** A target difference smaller than this is not traded (USD). */
  readonly minMove: string;
}

export const DEFAULT_BACKTEST: BacktestOptions = {
  start: '400000',
  venueSeed: 2,
  venueSlippage: '0.001',
  gasGwei: '30',
  gasFee: '5',
  minMove: '1000',
};

export interface BacktestDay {
  readonly date: string;
  readonly equity: number;
  readonly baseYield: number;
  readonly btc: number;
  readonly eth: number;
  readonly usdc: number;
  readonly phase: string;
  readonly mode: string;
  readonly baseOnly: number;
  readonly holdBtc: number;
}

/** One swap the backtest made: when, what for what (the fill), and whether it waited for approval. */
export interface BacktestTrade {
  readonly date: string;
  readonly sell: string;
  readonly buy: string;
  readonly amount: string;
  readonly filled: string;
  readonly approved: boolean;
}

/** A change of mode, with the phase and the reasons the signal gave for it. */
export interface BacktestTurn {
  readonly date: string;
  readonly phase: string;
  readonly mode: string;
  readonly sell: string;
  readonly reasons: readonly string[];
}

/** A yield venue of the base sleeve at the end: what went in, what it earned, what it holds. */
export interface BacktestVenue {
  readonly venueId: string;
  readonly kind: string;
  readonly apy: string;
  readonly deposited: string;
  readonly earned: string;
  readonly value: string;
}

export interface BacktestResult {
  /** With `--advisor llm`: how often its advice was recorded, refused by the risk rules, or failed (the rules stood). */
  readonly advisor?: {
    readonly name: string;
    readonly advised: number;
    readonly refused: number;
    readonly failed: number;
    readonly firstFailure: string | null;
  };
  /** The base sleeve's venues at the end (a matured fixed term that was not renewed is gone). */
  readonly venues: readonly BacktestVenue[];
  /** Yield the venues earned over the run, less exit fees (the P&L's `yield` source). */
  readonly yieldEarned: string;
  /** Each kind of decision (signal by mode, swap by side and asset) and how the market moved 7 days after it. */
  readonly decisions: readonly OutcomeSummaryRow[];
  readonly trades: readonly BacktestTrade[];
  readonly turns: readonly BacktestTurn[];
  readonly treasuryId: string;
  readonly days: readonly BacktestDay[];
  readonly signals: number;
  readonly swaps: number;
  readonly approvals: number;
  readonly refusals: Readonly<Record<string, number>>;
  readonly start: string;
  readonly end: string;
  readonly baseOnlyEnd: string;
  readonly holdBtcEnd: string;
}

const TREASURY = 'defi-backtest';
const HOUR = 3_600_000;
const OPERATOR = 'backtest-operator';

/**
 * Replays daily market readings through a `defi` preset treasury, each day one hour after its
 * reading, as `defiDay` proposes: the base sleeve's simulated venues quote and accrue in event time,
 * the split is rebalanced, the reading is recorded with its signal, the sleeve is swapped toward the
 * signal's target at the simulated venue's fill, and idle base money goes to the venues. A move above
 * the approval threshold is held and approved by the backtest's operator, so every approval is on the
 * record. Deterministic: the clock is the file's dates.
 */
export const runBacktest = async (
  store: EventStore,
  rows: readonly MarketSnapshot[],
  options: BacktestOptions = DEFAULT_BACKTEST,
  advisor?: Advisor,
): Promise<BacktestResult> => {
  let now: number = rows[0]!.observedAt;
  const ballast: Ballast = openBallast({ store, clock: { now: () => now } });
  let seq = 0;
  const refusals: Record<string, number> = {};
  let swaps = 0;
  let approvals = 0;
  let signals = 0;
  let yieldEarned = new Decimal(0);
  const execute = async (command: TreasuryCommandInput, actor: string = TREASURY): Promise<DefiAnswer> => {
    const result = await ballast.treasuries.execute(TREASURY, command, { commandId: `backtest-${seq++}`, actor });
    if (E.isRight(result)) {
      const events = result.right.events as readonly TreasuryEvent[];
      for (const e of events)
        if (e.type === 'YieldAccrued') yieldEarned = yieldEarned.plus(e.amount);
        else if (e.type === 'VenueWithdrawn') yieldEarned = yieldEarned.minus(e.fee);
      return { ok: true, events };
    }
    // A rebalance with nothing to do is the daily check finding the split fine, not a refusal worth a count.
    if (result.left.code !== 'REBALANCE_NOT_NEEDED') refusals[result.left.code] = (refusals[result.left.code] ?? 0) + 1;
    return { ok: false, refusal: result.left };
  };
  // An outside advisor, when there is one: its advice recorded is what the sleeve trades toward.
  const advice = { advised: 0, refused: 0, failed: 0, firstFailure: undefined as string | undefined };
  const advise = async (input: AdvisorInput): Promise<DefiSignal['target'] | undefined> => {
    const out = await adviseAndRecord(ballast, TREASURY, advisor!, input, {
      commandId: `backtest-${seq++}`,
      actor: TREASURY,
    });
    if (out.outcome === 'recorded') advice.advised += 1;
    else if (out.outcome === 'refused') {
      advice.refused += 1;
      refusals[out.code] = (refusals[out.code] ?? 0) + 1;
    } else if (out.outcome === 'failed') {
      advice.failed += 1;
      advice.firstFailure ??= `${out.code}: ${out.message}`;
    }
    return out.outcome === 'recorded' ? out.advice.target : undefined;
  };
  const load = async (): Promise<TreasuryAccount> => (await ballast.treasuries.load(TREASURY)).state;

  await execute({ type: 'OpenTreasury', config: TreasuryConfigCodec.encode(defiPreset()) });
  await execute({ type: 'Deposit', amount: options.start });
  const start = new Decimal(options.start);
  const firstBtc = rows[0]!.btcPrice;
  // The "base only" line: all of it in the same venues, blended by their shares, each day at the
  // rates quoted the day before (as a venue accrues at its rate until a new one is recorded).
  let baseOnly = start;
  let quoted: { readonly at: number; readonly apy: Decimal } | undefined;
  const terms = { ...options, operator: OPERATOR };
  const days: BacktestDay[] = [];
  const trades: BacktestTrade[] = [];
  const turns: BacktestTurn[] = [];
  const venues = simulatedVenues(options.venueSeed);

  for (const row of rows) {
    now = row.observedAt + HOUR;
    // The day's behaviour is @ballast/sim's defiDay: it proposes, this loop executes and answers.
    const quotes = await quoteVenues(venues, now);
    if (quoted !== undefined) baseOnly = baseOnly.plus(accrueYield(baseOnly, quoted.apy, quoted.at, now));
    quoted = { at: now, apy: quotes.reduce((sum, v) => sum.plus(v.share.mul(v.quote.apy)), new Decimal(0)) };
    const dayStart = await load();
    const day = defiDay(
      {
        account: dayStart,
        reading: row,
        now,
        venues: quotes,
        seq,
        ...(advisor === undefined ? {} : { advisor: true }),
      },
      terms,
    );
    const done = await driveDefiDay(day, {
      look: load,
      advise: () => advise(advisorInputFor(dayStart, row, now)),
      execute: (command, as) => execute(command, as === 'operator' ? OPERATOR : TREASURY),
    });
    const { signal } = done;
    const date = new Date(row.observedAt).toISOString().slice(0, 10);
    if (signal !== undefined) {
      signals += 1;
      const last = turns[turns.length - 1];
      if (last === undefined || last.mode !== signal.mode || last.sell !== signal.sell.toFixed())
        turns.push({
          date,
          phase: signal.phase,
          mode: signal.mode,
          sell: signal.sell.toFixed(),
          reasons: signal.reasons,
        });
      approvals += done.approvals;
      swaps += done.trades.length;
      for (const trade of done.trades) trades.push({ date, ...trade });
    }
    const after = await load();
    const t = after.treasury;
    days.push({
      date,
      equity: equity(t).toNumber(),
      baseYield: (t.buckets.baseYield ?? new Decimal(0)).toNumber(),
      btc: (t.holdings?.BTC?.quantity ?? new Decimal(0)).mul(row.btcPrice).toNumber(),
      eth: (t.holdings?.ETH?.quantity ?? new Decimal(0)).mul(row.ethPrice).toNumber(),
      usdc: (t.buckets.tactical ?? new Decimal(0)).toNumber(),
      phase: t.market?.lastPhase ?? '',
      mode: signal !== undefined ? signal.mode : (days[days.length - 1]?.mode ?? ''),
      baseOnly: baseOnly.toNumber(),
      holdBtc: start.div(firstBtc).mul(row.btcPrice).toNumber(),
    });
  }
  await ballast.snapshots.settled();
  const final = (await load()).treasury;
  let outcomes = decisionOutcomes.initial;
  for await (const e of store.readAll()) outcomes = await decisionOutcomes.evolve(outcomes, e);

  const last = days[days.length - 1]!;
  return {
    venues: Object.entries(final.venues ?? {}).map(([venueId, v]) => ({
      venueId,
      kind: v.kind,
      apy: v.apy.toFixed(),
      deposited: v.deposited.toFixed(2),
      earned: v.earned.toFixed(2),
      value: v.value.toFixed(2),
    })),
    yieldEarned: yieldEarned.toFixed(2),
    decisions: summarizeOutcomes(outcomes, TREASURY),
    // Only with an outside advisor, so a run without one writes the summary it always has.
    ...(advisor === undefined
      ? {}
      : {
          advisor: {
            name: advisor.name,
            ...advice,
            firstFailure: advice.firstFailure ?? null,
          },
        }),
    treasuryId: TREASURY,
    days,
    trades,
    turns,
    signals,
    swaps,
    approvals,
    refusals: Object.fromEntries(Object.entries(refusals).sort()),
    start: start.toFixed(2),
    end: equity(final).toFixed(2),
    baseOnlyEnd: last.baseOnly.toFixed(2),
    holdBtcEnd: last.holdBtc.toFixed(2),
  };
};
