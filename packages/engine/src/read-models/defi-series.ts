import {
  type AllocationMode,
  Decimal,
  type MarketPolicy,
  type Money,
  priceOf,
  roundMoney,
  roleBucket,
  symbolOf,
  treasuryDecider,
  type TreasuryAccount,
  type TreasuryEvent,
} from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { evolveShared } from './aggregate-states';
import { decodeDomain } from './decode-domain';

/*
 * The DeFi charts' history (issue 17): per DeFi treasury (one opened with a market policy), one point
 * per market reading with the indicators, the mode in force and the allocation in USD, and the last
 * signals and advice with their reasons. The log holds the same history, but a dashboard cannot page
 * through months of every treasury's events to draw a chart; this keeps the few hundred points it draws.
 *
 * A point's allocation is the treasury's after it acted on that reading: the last point is refreshed
 * by every later event of the treasury until the next reading starts a new one. Values are the
 * domain's own (the treasury folded by its decider, holdings at the last reading's prices), so the
 * chart never disagrees with the treasury. A treasury opened without a market policy is not tracked.
 *
 * Bounded: the last SERIES_POINTS_LIMIT points and SERIES_SIGNALS_LIMIT signals per treasury.
 * Linear: `evolve` copies the point list only when a reading closes a point (not per event); the
 * in-place fold pushes and cuts at twice the limit.
 */

/** Points kept per treasury: more than a year of daily readings. */
export const SERIES_POINTS_LIMIT = 400;
/** Signals and advice kept per treasury, newest last. */
export const SERIES_SIGNALS_LIMIT = 50;

export interface DefiPoint {
  /** The reading's `observedAt`. */
  readonly at: number;
  readonly mvrvZ: Decimal;
  readonly fearGreed: Decimal;
  readonly fundingRate: Decimal;
  readonly btcPrice: Decimal;
  readonly ethPrice: Decimal;
  /** The last signal's mode (absent before the first signal). */
  readonly mode?: AllocationMode;
  /** The reserve bucket (venues and idle cash), the trading bucket's cash, its BTC and ETH (every chain), the rest. */
  readonly baseYield: Money;
  readonly usdc: Money;
  readonly btc: Money;
  readonly eth: Money;
  readonly other: Money;
}

export interface DefiSignal {
  readonly position: number;
  readonly at: number;
  /** `rules` for a SignalIssued, the advisor's name for advice. */
  readonly advisor: string;
  readonly phase?: string;
  readonly mode?: AllocationMode;
  readonly sell?: Decimal;
  readonly target: {
    readonly baseYield: Decimal;
    readonly BTC: Decimal;
    readonly ETH: Decimal;
    readonly USDC: Decimal;
  };
  readonly confidence: Decimal;
  readonly reasons: readonly string[];
}

export interface DefiTrack {
  readonly account: TreasuryAccount;
  readonly mode?: AllocationMode;
  /** Closed points, oldest first; `last` is the reading being acted on. */
  readonly points: readonly DefiPoint[];
  readonly last?: DefiPoint;
  readonly signals: readonly DefiSignal[];
}

export type DefiSeriesState = Readonly<Record<string, DefiTrack>>;

const ZERO = new Decimal(0);

/** The allocation in USD now: what a point shows. */
const allocation = (a: TreasuryAccount): Pick<DefiPoint, 'baseYield' | 'usdc' | 'btc' | 'eth' | 'other'> => {
  const t = a.treasury;
  const bucket = (role: 'reserve' | 'trading') => {
    const name = roleBucket(t, role);
    return (name === undefined ? undefined : t.buckets[name]) ?? ZERO;
  };
  const held: Record<string, Decimal> = { BTC: ZERO, ETH: ZERO, other: ZERO };
  for (const asset in t.holdings) {
    const h = t.holdings[asset]!;
    const price = priceOf(t, asset)?.price;
    const symbol = symbolOf(asset);
    const key = symbol === 'BTC' || symbol === 'ETH' ? symbol : 'other';
    held[key] = held[key]!.plus(price === undefined ? h.cost : roundMoney(h.quantity.mul(price), 'down'));
  }
  return { baseYield: bucket('reserve'), usdc: bucket('trading'), btc: held.BTC!, eth: held.ETH!, other: held.other! };
};

/** What one event does to a tracked treasury, without the point list: the draft's next `last`, `mode`, signal. */
interface Step {
  readonly account: TreasuryAccount;
  readonly mode?: AllocationMode;
  /** A point a reading closed, to append. */
  readonly closed?: DefiPoint;
  readonly last?: DefiPoint;
  readonly signal?: DefiSignal;
}

const stepOf = (track: DefiTrack, e: TreasuryEvent, position: number): Step => {
  const account = evolveShared(treasuryDecider.evolve, track.account, e);
  let { mode, last } = track;
  let closed: DefiPoint | undefined;
  let signal: DefiSignal | undefined;
  if (e.type === 'MarketObserved') {
    const s = e.snapshot;
    closed = last;
    last = {
      at: s.observedAt,
      mvrvZ: s.mvrvZ,
      fearGreed: s.fearGreed,
      fundingRate: s.fundingRate,
      btcPrice: s.btcPrice,
      ethPrice: s.ethPrice,
      ...allocation(account),
    };
  } else if (e.type === 'SignalIssued') {
    mode = e.mode;
    const { advisor, phase, sell, target, confidence, reasons } = e;
    signal = { position, at: e.at, advisor, phase, mode: e.mode, sell, target, confidence, reasons };
  } else if (e.type === 'AdviceRecorded') {
    const { advisor, target, confidence, reasons } = e;
    signal = { position, at: e.at, advisor, target, confidence, reasons };
  }
  if (last !== undefined) last = { ...last, ...(mode === undefined ? {} : { mode }), ...allocation(account) };
  return {
    account,
    ...(mode === undefined ? {} : { mode }),
    ...(closed === undefined ? {} : { closed }),
    ...(last === undefined ? {} : { last }),
    ...(signal === undefined ? {} : { signal }),
  };
};

const trackOf = (step: Step, points: readonly DefiPoint[], signals: readonly DefiSignal[]): DefiTrack => ({
  account: step.account,
  ...(step.mode === undefined ? {} : { mode: step.mode }),
  points,
  ...(step.last === undefined ? {} : { last: step.last }),
  signals,
});

/** A treasury's first event starts a track when it opens the treasury with a market policy. */
const freshTrack = (e: TreasuryEvent): DefiTrack | undefined =>
  e.type === 'TreasuryOpened' && e.config.market !== undefined
    ? { account: treasuryDecider.initialState, points: [], signals: [] }
    : undefined;

export const defiSeries: Projection<DefiSeriesState> = {
  name: 'defi-series',
  version: 1,
  initial: {},
  evolve: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (d?.kind !== 'treasury') return state;
    const track = state[d.id] ?? freshTrack(d.event);
    if (track === undefined) return state;
    const step = stepOf(track, d.event, recorded.position);
    const points =
      step.closed === undefined ? track.points : [...track.points, step.closed].slice(-SERIES_POINTS_LIMIT);
    const signals =
      step.signal === undefined ? track.signals : [...track.signals, step.signal].slice(-SERIES_SIGNALS_LIMIT);
    return { ...state, [d.id]: trackOf(step, points, signals) };
  },
  inPlace: (from) => {
    // Lists are the draft's own copies, cut at twice their limit (each entry copied O(1) times).
    type Draft = DefiTrack & { points: DefiPoint[]; signals: DefiSignal[] };
    const drafts = new Map<string, Draft>(
      Object.entries(from).map(([id, t]) => [id, { ...t, points: [...t.points], signals: [...t.signals] }]),
    );
    const push = <T>(list: T[], entry: T, limit: number) => {
      list.push(entry);
      if (list.length >= 2 * limit) list.splice(0, list.length - limit);
    };
    return {
      step: (recorded) => {
        const d = decodeDomain(recorded);
        if (d?.kind !== 'treasury') return;
        const fresh = drafts.has(d.id) ? undefined : freshTrack(d.event);
        const draft = drafts.get(d.id) ?? (fresh && { ...fresh, points: [], signals: [] });
        if (draft === undefined) return;
        // Computed before any list changes, so an event that throws leaves the draft as it was.
        const step = stepOf(draft, d.event, recorded.position);
        const { points, signals } = draft;
        if (step.closed !== undefined) push(points, step.closed, SERIES_POINTS_LIMIT);
        if (step.signal !== undefined) push(signals, step.signal, SERIES_SIGNALS_LIMIT);
        drafts.set(d.id, { ...trackOf(step, points, signals), points, signals });
      },
      finish: () =>
        Object.fromEntries(
          [...drafts].map(([id, t]) => [
            id,
            { ...t, points: t.points.slice(-SERIES_POINTS_LIMIT), signals: t.signals.slice(-SERIES_SIGNALS_LIMIT) },
          ]),
        ),
    };
  },
};

export interface DefiSeriesRow {
  readonly treasuryId: string;
  /** The thresholds the charts draw: the MVRV ladder, fear and greed, crowded funding. */
  readonly policy?: Pick<MarketPolicy, 'ladder' | 'extremeFear' | 'extremeGreed' | 'crowdedFunding'>;
  readonly points: readonly DefiPoint[];
  readonly signals: readonly DefiSignal[];
}

/** The served view: per DeFi treasury in id order, its points (the open one last), signals and thresholds. */
export const defiSeriesRows = (state: DefiSeriesState): DefiSeriesRow[] =>
  Object.entries(state)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([treasuryId, t]) => {
      const market = t.account.treasury.config?.market;
      return {
        treasuryId,
        ...(market === undefined
          ? {}
          : {
              policy: {
                ladder: market.ladder,
                extremeFear: market.extremeFear,
                extremeGreed: market.extremeGreed,
                crowdedFunding: market.crowdedFunding,
              },
            }),
        points: t.last === undefined ? t.points : [...t.points, t.last],
        signals: t.signals,
      };
    });
