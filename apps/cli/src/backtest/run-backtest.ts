import {
  accrueYield,
  Decimal,
  defiPreset,
  equity,
  type MarketSnapshot,
  MarketSnapshotCodec,
  planAllocation,
  type SleeveAsset,
  TreasuryConfigCodec,
  type TreasuryAccount,
  type TreasuryEvent,
} from '@ballast/domain';
import { type Ballast, openBallast } from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';

/** How the backtest trades: the simulated venues' terms. */
export interface BacktestOptions {
  /** The treasury's starting USDC (seed 002: 400,000). */
  readonly start: string;
  /** The base-yield venue's APY (seed 002: 6.5%). */
  readonly apy: string;
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
  apy: '0.065',
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

export interface BacktestResult {
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
 * reading: the base-yield venue reports its value (APY accrued in event time), the reading is
 * recorded with its signal, and the sleeve is swapped toward the signal's target at the simulated
 * venue's fill. A swap above the approval threshold is held and approved by the backtest's operator,
 * so every approval is on the record. Deterministic: the clock is the file's dates.
 */
export const runBacktest = async (
  store: EventStore,
  rows: readonly MarketSnapshot[],
  options: BacktestOptions = DEFAULT_BACKTEST,
): Promise<BacktestResult> => {
  let now: number = rows[0]!.observedAt;
  const ballast: Ballast = openBallast({ store, clock: { now: () => now } });
  let seq = 0;
  const refusals: Record<string, number> = {};
  let swaps = 0;
  let approvals = 0;
  let signals = 0;
  const send = async (command: Record<string, unknown>) => {
    const result = await ballast.treasuries.execute(TREASURY, command as never, {
      commandId: `backtest-${seq++}`,
      actor: command.type === 'ApproveRequest' ? OPERATOR : TREASURY,
    });
    // A rebalance with nothing to do is the daily check finding the split fine, not a refusal worth a count.
    if (E.isLeft(result) && result.left.code !== 'REBALANCE_NOT_NEEDED')
      refusals[result.left.code] = (refusals[result.left.code] ?? 0) + 1;
    return E.isRight(result) ? (result.right.events as readonly TreasuryEvent[]) : undefined;
  };
  const load = async (): Promise<TreasuryAccount> => (await ballast.treasuries.load(TREASURY)).state;

  await send({ type: 'OpenTreasury', config: TreasuryConfigCodec.encode(defiPreset()) });
  await send({ type: 'Deposit', amount: options.start });
  const start = new Decimal(options.start);
  const firstBtc = rows[0]!.btcPrice;
  const apy = new Decimal(options.apy);
  const fill = new Decimal(1).minus(options.venueSlippage);
  const days: BacktestDay[] = [];
  const trades: BacktestTrade[] = [];
  const turns: BacktestTurn[] = [];
  let lastAccrual = now;

  for (const row of rows) {
    now = row.observedAt + HOUR;
    const before = await load();
    const base = before.treasury.buckets.baseYield ?? new Decimal(0);
    const earned = accrueYield(base, apy, lastAccrual, now);
    lastAccrual = now;
    if (earned.gt(0)) await send({ type: 'RecordValuation', bucket: 'baseYield', value: base.plus(earned).toFixed() });
    // Back to 60/40 when gains or losses moved the split past the drift threshold (both ways: the base-yield
    // floor alone only ever pulls money out of the sleeve).
    await send({ type: 'Rebalance' });
    const recorded = await send({ type: 'RecordMarket', snapshot: MarketSnapshotCodec.encode(row) });
    const signal = recorded?.find((e) => e.type === 'SignalIssued');
    if (signal?.type === 'SignalIssued') {
      signals += 1;
      const date = new Date(row.observedAt).toISOString().slice(0, 10);
      const last = turns[turns.length - 1];
      if (last === undefined || last.mode !== signal.mode || last.sell !== signal.sell.toFixed())
        turns.push({
          date,
          phase: signal.phase,
          mode: signal.mode,
          sell: signal.sell.toFixed(),
          reasons: signal.reasons,
        });
      const account = await load();
      const prices: Record<SleeveAsset, Decimal> = { BTC: row.btcPrice, ETH: row.ethPrice, USDC: new Decimal(1) };
      const held = (asset: 'BTC' | 'ETH') => account.treasury.holdings?.[asset]?.quantity ?? new Decimal(0);
      const value = {
        BTC: held('BTC').mul(prices.BTC),
        ETH: held('ETH').mul(prices.ETH),
        // What the swaps' gas will take is not there to buy with.
        USDC: Decimal.max(
          0,
          (account.treasury.buckets.tactical ?? new Decimal(0)).minus(new Decimal(options.gasFee).mul(4)),
        ),
      };
      const plan = planAllocation(value, equity(account.treasury), signal.target, new Decimal(options.minMove));
      for (const step of plan) {
        const asset = step.sell === 'USDC' ? step.buy : step.sell;
        const quantity = Decimal.min(
          step.usd.div(prices[asset]).toDecimalPlaces(8, Decimal.ROUND_DOWN),
          step.sell === 'USDC' ? step.usd : held(asset as 'BTC' | 'ETH'),
        );
        if (quantity.isZero()) continue;
        const swap =
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
              };
        const events = await send({
          type: 'Swap',
          swapId: `s${seq}`,
          gasGwei: options.gasGwei,
          gasFee: options.gasFee,
          ...swap,
        });
        const held4 = events?.find((e) => e.type === 'ApprovalRequested');
        if (held4?.type === 'ApprovalRequested') {
          approvals += 1;
          const approved = await send({ type: 'ApproveRequest', requestId: held4.requestId, approver: OPERATOR });
          if (approved?.some((e) => e.type === 'Swapped')) {
            swaps += 1;
            trades.push({ date, ...swap, approved: true });
          }
        } else if (events?.some((e) => e.type === 'Swapped')) {
          swaps += 1;
          trades.push({ date, ...swap, approved: false });
        }
      }
    }
    const after = await load();
    const t = after.treasury;
    const years = new Decimal(now - rows[0]!.observedAt).div(365 * 24 * HOUR);
    days.push({
      date: new Date(row.observedAt).toISOString().slice(0, 10),
      equity: equity(t).toNumber(),
      baseYield: (t.buckets.baseYield ?? new Decimal(0)).toNumber(),
      btc: (t.holdings?.BTC?.quantity ?? new Decimal(0)).mul(row.btcPrice).toNumber(),
      eth: (t.holdings?.ETH?.quantity ?? new Decimal(0)).mul(row.ethPrice).toNumber(),
      usdc: (t.buckets.tactical ?? new Decimal(0)).toNumber(),
      phase: t.market?.lastPhase ?? '',
      mode: signal?.type === 'SignalIssued' ? signal.mode : (days[days.length - 1]?.mode ?? ''),
      baseOnly: start.mul(new Decimal(1).plus(apy).pow(years)).toNumber(),
      holdBtc: start.div(firstBtc).mul(row.btcPrice).toNumber(),
    });
  }
  await ballast.snapshots.settled();
  const final = (await load()).treasury;
  const last = days[days.length - 1]!;
  return {
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
