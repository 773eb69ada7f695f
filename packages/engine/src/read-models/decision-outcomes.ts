import { type AllocationMode, Decimal, type MarketPhase, type RecordedEvent, symbolOf } from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { decodeDomain, type DomainEvent } from './decode-domain';

/*
 * Performance tracking (issue 16): every decision a treasury's advisors and desk made, and what the
 * market did after it, so a report can say which kinds of decision worked.
 *
 * A decision is
 *   - a SignalIssued whose mode or ladder sell fraction differs from the treasury's last signal (the
 *     first signal is compared with the rules' neutral stance, tactical with nothing sold, so a first
 *     signal of tactical/0 is a baseline, not a decision);
 *   - an AdviceRecorded whose volatile target (BTC + ETH) differs from the same advisor's last advice
 *     (its first advice: from the last signal's target; with neither, it is the baseline). Only the
 *     first ADVISORS_LIMIT advisors of a treasury are remembered: advice from any advisor past them
 *     (however many names) is compared with the last signal's target, never with that advisor's own
 *     last advice, and tallied under the one key `advice:other` (shared with an advisor named `other`);
 *   - every Swapped (always through USDC: selling BTC or ETH, or buying one).
 * Decisions before a treasury's first MarketObserved are not tracked: there is no price to measure from.
 *
 * Its outcome at 1, 7 and 30 days of event time is measured with the first MarketObserved reading of
 * the same treasury whose `observedAt` is at or after the decision's `at` plus the horizon, against
 * the prices of the last reading before the decision. Until such a reading arrives it is pending.
 *
 * How each decision is judged: each has a direction, de-risk or risk-on, and a judged move.
 *   - Swap: selling an asset is de-risk, buying one risk-on; the move is that asset's price change.
 *   - Signal: the direction is the sign of the change of the target's volatile share (BTC + ETH): a
 *     smaller share is de-risk, a larger one risk-on; where the caps leave the share unchanged, a mode
 *     further down aggressive > tactical > conservative > hedge is de-risk (up: risk-on), and failing
 *     that a higher ladder sell fraction is de-risk (lower: risk-on).
 *   - Advice: a smaller volatile target than the reference is de-risk, a larger one risk-on.
 *   For signals and advice the move is the volatile sleeve's: the mean of BTC's and ETH's price
 *   changes (equal weights).
 * A de-risk decision is right when the move is below zero (it got out before a fall) and wrong above
 * zero; a risk-on decision is right above zero (it got in before a rise) and wrong below. A move of
 * exactly zero is `flat`: neither right nor wrong, and it counts as judged but not as a hit.
 *
 * Bounded by constants per treasury, whatever the input: at most OPEN_DECISIONS_LIMIT decisions wait
 * for an outcome (past that the oldest is given up: its pending horizons count as `dropped`), the last
 * CLOSED_DECISIONS_LIMIT finished ones are kept, at most ADVISORS_LIMIT advisors' last advice is
 * remembered, and the tallies (which count every decision ever made) have at most ADVISORS_LIMIT + 1
 * advice keys beside the signal and swap ones. Linear: a reading looks only at the decisions it
 * resolves (each horizon keeps the index of its first pending decision; a treasury's events come in
 * time order), an advice counts at most ADVISORS_LIMIT names, and the in-place fold changes its draft
 * without copies.
 */

export const DECISION_HORIZONS = ['1d', '7d', '30d'] as const;
export type DecisionHorizon = (typeof DECISION_HORIZONS)[number];
const DAY = 86_400_000;
const HORIZON_MS: Readonly<Record<DecisionHorizon, number>> = { '1d': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

/** Decisions per treasury still waiting for an outcome; past it the oldest is given up. */
export const OPEN_DECISIONS_LIMIT = 500;
/** Decisions per treasury kept after their last horizon; older ones stay in the event log. */
export const CLOSED_DECISIONS_LIMIT = 200;
/** Advisors per treasury whose last advice is remembered and tallied by name; the rest share `advice:other`. */
export const ADVISORS_LIMIT = 16;
/** The tally key of advice from advisors past ADVISORS_LIMIT. */
const OTHER_ADVICE = 'advice:other';

export type DecisionDirection = 'de-risk' | 'risk-on';
export type DecisionVerdict = 'right' | 'wrong' | 'flat';

export interface DecisionPrices {
  readonly BTC: Decimal;
  readonly ETH: Decimal;
}

/** What was decided: a signal's mode and ladder step, an advisor's volatile target, or a swap. */
export type DecisionDetail =
  | {
      readonly kind: 'signal';
      readonly phase: MarketPhase;
      readonly mode: AllocationMode;
      readonly sell: Decimal;
      readonly volatile: Decimal;
    }
  | { readonly kind: 'advice'; readonly advisor: string; readonly volatile: Decimal }
  | { readonly kind: 'swap'; readonly side: 'sell' | 'buy'; readonly asset: 'BTC' | 'ETH'; readonly swapId: string };

export interface DecisionOutcome {
  /** The reading it was measured with. */
  readonly observedAt: number;
  /** Price changes since the decision, as fractions (-0.1: down 10%). */
  readonly changes: DecisionPrices;
  /** The judged move: the asset's change for a swap, the sleeve's (mean of BTC and ETH) otherwise. */
  readonly move: Decimal;
  readonly verdict: DecisionVerdict;
}

export interface DecisionRecord {
  /** 1, 2, … per treasury. */
  readonly seq: number;
  /** The deciding event's position in the log. */
  readonly position: number;
  readonly at: number;
  /**
   * What it is tallied under: `signal:<mode>`, `advice:<advisor>` (`advice:other` past ADVISORS_LIMIT),
   * `swap:sell:<asset>`, `swap:buy:<asset>`.
   */
  readonly key: string;
  readonly direction: DecisionDirection;
  readonly decision: DecisionDetail;
  /** The last reading's prices at the decision. */
  readonly prices: DecisionPrices;
  /** null: pending (or, with `dropped`, given up). */
  readonly outcomes: Readonly<Record<DecisionHorizon, DecisionOutcome | null>>;
  /** Given up past OPEN_DECISIONS_LIMIT before every horizon had its reading. */
  readonly dropped?: true;
}

export interface OutcomeCounts {
  readonly right: number;
  readonly wrong: number;
  readonly flat: number;
  readonly pending: number;
  readonly dropped: number;
}

/** Every decision of one key ever made, and how each horizon judged them. */
export interface DecisionTally {
  readonly decisions: number;
  readonly horizons: Readonly<Record<DecisionHorizon, OutcomeCounts>>;
}

export interface TreasuryDecisionOutcomes {
  /** The last reading: its time and prices. */
  readonly lastObservedAt: number;
  readonly prices: DecisionPrices;
  /** The last signal, what a signal is compared with. */
  readonly signal?: { readonly mode: AllocationMode; readonly sell: Decimal; readonly volatile: Decimal };
  /** Each remembered advisor's last volatile target (the first ADVISORS_LIMIT advisors). */
  readonly advice: Readonly<Record<string, Decimal>>;
  /** Decisions made so far (the last one's `seq`). */
  readonly decisions: number;
  /** Decisions waiting for a horizon's reading, oldest first. */
  readonly open: readonly DecisionRecord[];
  /** Per horizon, the index in `open` of the first decision still pending there. */
  readonly next: Readonly<Record<DecisionHorizon, number>>;
  /** The last CLOSED_DECISIONS_LIMIT decisions done with (every horizon judged, or dropped), oldest first. */
  readonly closed: readonly DecisionRecord[];
  readonly tally: Readonly<Record<string, DecisionTally>>;
}

/** Per treasury with at least one market reading. */
export type DecisionOutcomes = Readonly<Record<string, TreasuryDecisionOutcomes>>;

const ZERO = new Decimal(0);
const MODE_RANK: Readonly<Record<AllocationMode, number>> = { hedge: 0, conservative: 1, tactical: 2, aggressive: 3 };
const NO_COUNTS: OutcomeCounts = { right: 0, wrong: 0, flat: 0, pending: 0, dropped: 0 };
const NO_TALLY: DecisionTally = { decisions: 0, horizons: { '1d': NO_COUNTS, '7d': NO_COUNTS, '30d': NO_COUNTS } };
const PENDING: Readonly<Record<DecisionHorizon, null>> = { '1d': null, '7d': null, '30d': null };

/** Down is de-risk, up risk-on, by the first of the differences that is not zero; undefined when all are. */
const directionOf = (...differences: readonly number[]): DecisionDirection | undefined => {
  const d = differences.find((x) => x !== 0);
  return d === undefined ? undefined : d < 0 ? 'de-risk' : 'risk-on';
};

const change = (from: Decimal, to: Decimal): Decimal => to.minus(from).div(from).toDecimalPlaces(8);

/** The judging rule (see the comment at the top). */
export const judgeDecision = (direction: DecisionDirection, move: Decimal): DecisionVerdict => {
  if (move.isZero()) return 'flat';
  return move.isNegative() === (direction === 'de-risk') ? 'right' : 'wrong';
};

const outcomeOf = (d: DecisionRecord, observedAt: number, prices: DecisionPrices): DecisionOutcome => {
  const changes = { BTC: change(d.prices.BTC, prices.BTC), ETH: change(d.prices.ETH, prices.ETH) };
  const move = d.decision.kind === 'swap' ? changes[d.decision.asset] : changes.BTC.plus(changes.ETH).div(2);
  return { observedAt, changes, move, verdict: judgeDecision(d.direction, move) };
};

const bump = (counts: OutcomeCounts, field: keyof OutcomeCounts, by: number): OutcomeCounts => ({
  ...counts,
  [field]: counts[field] + by,
});

/**
 * A treasury's outcomes being changed by one event. Everything it changes in place (the arrays and
 * records below) is the draft's own: the in-place fold owns them outright, `evolve` copies them first
 * (`closed` only when it is about to change). Decision records and tallies are replaced, never changed.
 */
interface Draft {
  lastObservedAt: number;
  prices: DecisionPrices;
  signal?: TreasuryDecisionOutcomes['signal'];
  advice: Record<string, Decimal>;
  decisions: number;
  open: DecisionRecord[];
  next: Record<DecisionHorizon, number>;
  closed: DecisionRecord[];
  tally: Record<string, DecisionTally>;
}

interface Closed {
  /** `closed`, the draft's own (evolve copies it on first use). */
  own(): DecisionRecord[];
  /** Cuts an owned list back to the limit (in place: only past twice the limit). */
  readonly cut: (list: DecisionRecord[]) => void;
}

const retally = (t: Draft, key: string, update: (tally: DecisionTally) => DecisionTally): void => {
  t.tally[key] = update(t.tally[key] ?? NO_TALLY);
};

/** Moves the done decisions at the head of `open` to `closed`. */
const closeDone = (t: Draft, closed: Closed): void => {
  let done = 0;
  while (done < t.open.length && DECISION_HORIZONS.every((h) => t.open[done]!.outcomes[h] !== null)) done += 1;
  if (done === 0) return;
  const list = closed.own();
  list.push(...t.open.splice(0, done));
  closed.cut(list);
  for (const h of DECISION_HORIZONS) t.next[h] = Math.max(0, t.next[h] - done);
};

const observe = (t: Draft, observedAt: number, prices: DecisionPrices, closed: Closed): void => {
  t.lastObservedAt = observedAt;
  t.prices = prices;
  for (const h of DECISION_HORIZONS) {
    let i = t.next[h];
    for (; i < t.open.length && t.open[i]!.at + HORIZON_MS[h] <= observedAt; i += 1) {
      const d = t.open[i]!;
      const outcome = outcomeOf(d, observedAt, prices);
      t.open[i] = { ...d, outcomes: { ...d.outcomes, [h]: outcome } };
      retally(t, d.key, (tally) => ({
        ...tally,
        horizons: {
          ...tally.horizons,
          [h]: bump(bump(tally.horizons[h], 'pending', -1), outcome.verdict, 1),
        },
      }));
    }
    t.next[h] = i;
  }
  closeDone(t, closed);
};

const decide = (
  t: Draft,
  recorded: RecordedEvent,
  at: number,
  key: string,
  direction: DecisionDirection,
  decision: DecisionDetail,
  closed: Closed,
): void => {
  t.decisions += 1;
  t.open.push({
    seq: t.decisions,
    position: recorded.position,
    at,
    key,
    direction,
    decision,
    prices: t.prices,
    outcomes: PENDING,
  });
  retally(t, key, (tally) => ({
    decisions: tally.decisions + 1,
    horizons: {
      '1d': bump(tally.horizons['1d'], 'pending', 1),
      '7d': bump(tally.horizons['7d'], 'pending', 1),
      '30d': bump(tally.horizons['30d'], 'pending', 1),
    },
  }));
  if (t.open.length <= OPEN_DECISIONS_LIMIT) return;
  // Given up: the oldest open decision goes to `closed` as it is, its pending horizons counted as dropped.
  const [oldest] = t.open.splice(0, 1);
  const gone = DECISION_HORIZONS.filter((h) => oldest!.outcomes[h] === null);
  retally(t, oldest!.key, (tally) => {
    const horizons = { ...tally.horizons };
    for (const h of gone) horizons[h] = bump(bump(horizons[h], 'pending', -1), 'dropped', 1);
    return { ...tally, horizons };
  });
  const list = closed.own();
  list.push({ ...oldest!, dropped: true });
  closed.cut(list);
  for (const h of DECISION_HORIZONS) t.next[h] = Math.max(0, t.next[h] - 1);
  closeDone(t, closed);
};

const volatileOf = (target: { readonly BTC: Decimal; readonly ETH: Decimal }): Decimal => target.BTC.plus(target.ETH);
const sign = (d: Decimal): number => (d.isZero() ? 0 : d.isNegative() ? -1 : 1);

/** One treasury event applied to a treasury's draft; `t` undefined: the treasury has no reading yet. */
const step = (
  t: Draft | undefined,
  event: Extract<DomainEvent, { kind: 'treasury' }>['event'],
  recorded: RecordedEvent,
  fresh: () => Draft,
  closed: () => Closed,
): Draft | undefined => {
  switch (event.type) {
    case 'MarketObserved': {
      const draft = t ?? fresh();
      observe(
        draft,
        event.snapshot.observedAt,
        { BTC: event.snapshot.btcPrice, ETH: event.snapshot.ethPrice },
        closed(),
      );
      return draft;
    }
    case 'SignalIssued': {
      if (t === undefined) return t;
      const previous = t.signal ?? { mode: 'tactical' as const, sell: ZERO, volatile: undefined };
      const volatile = volatileOf(event.target);
      t.signal = { mode: event.mode, sell: event.sell, volatile };
      if (previous.mode === event.mode && previous.sell.eq(event.sell)) return t;
      const direction = directionOf(
        previous.volatile === undefined ? 0 : sign(volatile.minus(previous.volatile)),
        MODE_RANK[event.mode] - MODE_RANK[previous.mode],
        -sign(event.sell.minus(previous.sell)),
      );
      if (direction !== undefined)
        decide(
          t,
          recorded,
          event.at,
          `signal:${event.mode}`,
          direction,
          { kind: 'signal', phase: event.phase, mode: event.mode, sell: event.sell, volatile },
          closed(),
        );
      return t;
    }
    case 'AdviceRecorded': {
      if (t === undefined) return t;
      // Own keys only: an advisor may be named `constructor`. Counting keys is bounded by the cap.
      const known = Object.hasOwn(t.advice, event.advisor);
      const remembered = known || Object.keys(t.advice).length < ADVISORS_LIMIT;
      const reference = (known ? t.advice[event.advisor] : undefined) ?? t.signal?.volatile;
      const volatile = volatileOf(event.target);
      if (remembered) t.advice[event.advisor] = volatile;
      const direction = reference === undefined ? undefined : directionOf(sign(volatile.minus(reference)));
      if (direction !== undefined)
        decide(
          t,
          recorded,
          event.at,
          remembered ? `advice:${event.advisor}` : OTHER_ADVICE,
          direction,
          { kind: 'advice', advisor: event.advisor, volatile },
          closed(),
        );
      return t;
    }
    case 'Swapped': {
      if (t === undefined) return t;
      const side = event.sell === 'USDC' ? 'buy' : 'sell';
      // Judged by the market reading's BTC and ETH, on whatever chain; a token priced by RecordPrices (SOL, …) is
      // not tracked here: its outcome would need its own price series.
      const symbol = symbolOf(side === 'buy' ? event.buy : event.sell);
      if (symbol !== 'BTC' && symbol !== 'ETH') return t;
      const asset: 'BTC' | 'ETH' = symbol;
      decide(
        t,
        recorded,
        event.at,
        `swap:${side}:${asset}`,
        side === 'sell' ? 'de-risk' : 'risk-on',
        { kind: 'swap', side, asset, swapId: event.swapId },
        closed(),
      );
      return t;
    }
    default:
      return t;
  }
};

const TRACKED = new Set(['MarketObserved', 'SignalIssued', 'AdviceRecorded', 'Swapped']);

const treasuryEvent = (recorded: RecordedEvent) => {
  if (!TRACKED.has(recorded.type)) return undefined;
  const d = decodeDomain(recorded);
  return d?.kind === 'treasury' ? d : undefined;
};

const freshDraft = (): Draft => ({
  lastObservedAt: 0,
  prices: { BTC: ZERO, ETH: ZERO },
  advice: {},
  decisions: 0,
  open: [],
  next: { '1d': 0, '7d': 0, '30d': 0 },
  closed: [],
  tally: {},
});

/** The draft as state, with the fields in one order whichever fold made it. */
const freeze = (t: Draft, closed: readonly DecisionRecord[]): TreasuryDecisionOutcomes => ({
  lastObservedAt: t.lastObservedAt,
  prices: t.prices,
  ...(t.signal === undefined ? {} : { signal: t.signal }),
  advice: t.advice,
  decisions: t.decisions,
  open: t.open,
  next: t.next,
  closed,
  tally: t.tally,
});

/**
 * The decision-outcomes read model: per treasury, every decision (a change of signal or advice, a
 * swap) with the market's move 1, 7 and 30 days after it, and per kind how many were right, wrong
 * and pending. Read it with `runProjection(store, checkpoints, decisionOutcomes)` and print it with
 * `summarizeOutcomes`.
 */
export const decisionOutcomes: Projection<DecisionOutcomes> = {
  name: 'decision-outcomes',
  // 2: advisors past ADVISORS_LIMIT are no longer remembered, so a checkpoint of version 1 rebuilds.
  version: 2,
  initial: {},
  evolve: (state, recorded) => {
    const d = treasuryEvent(recorded);
    if (d === undefined) return state;
    const current = state[d.id];
    // A copy of what this event may change; `closed` (up to its limit) only when it is about to.
    let draft: Draft | undefined =
      current === undefined
        ? undefined
        : {
            ...current,
            advice: { ...current.advice },
            open: [...current.open],
            next: { ...current.next },
            closed: current.closed as DecisionRecord[],
            tally: { ...current.tally },
          };
    let owned = false;
    const closed: Closed = {
      own: () => {
        if (!owned) draft!.closed = [...draft!.closed];
        owned = true;
        return draft!.closed;
      },
      cut: (list) => {
        if (list.length > CLOSED_DECISIONS_LIMIT) list.splice(0, list.length - CLOSED_DECISIONS_LIMIT);
      },
    };
    const fresh = (): Draft => {
      owned = true;
      return (draft = freshDraft());
    };
    const after = step(draft, d.event, recorded, fresh, () => closed);
    return after === undefined ? state : { ...state, [d.id]: freeze(after, after.closed) };
  },
  inPlace: (from) => {
    // Owned copies of every treasury's mutable parts; `closed` may hold up to twice its limit until `finish`.
    const drafts = new Map<string, Draft>(
      Object.entries(from).map(([id, t]) => [
        id,
        {
          ...t,
          advice: { ...t.advice },
          open: [...t.open],
          next: { ...t.next },
          closed: [...t.closed],
          tally: { ...t.tally },
        },
      ]),
    );
    const closedOf = (draft: () => Draft | undefined): Closed => ({
      own: () => draft()!.closed,
      cut: (list) => {
        if (list.length >= 2 * CLOSED_DECISIONS_LIMIT) list.splice(0, list.length - CLOSED_DECISIONS_LIMIT);
      },
    });
    return {
      step: (recorded) => {
        const d = treasuryEvent(recorded);
        if (d === undefined) return;
        let draft = drafts.get(d.id);
        const closed = closedOf(() => draft);
        const after = step(
          draft,
          d.event,
          recorded,
          () => (draft = freshDraft()),
          () => closed,
        );
        if (after !== undefined) drafts.set(d.id, after);
      },
      finish: () =>
        Object.fromEntries([...drafts].map(([id, t]) => [id, freeze(t, t.closed.slice(-CLOSED_DECISIONS_LIMIT))])),
    };
  },
};

export interface OutcomeSummaryRow {
  /** The tally key: `signal:<mode>`, `advice:<advisor>` or `advice:other`, `swap:sell:<asset>`, `swap:buy:<asset>`. */
  readonly kind: string;
  readonly decisions: number;
  /** At 7 days. */
  readonly right: number;
  readonly wrong: number;
  readonly flat: number;
  readonly pending: number;
  readonly dropped: number;
  /** Right over judged (right, wrong and flat) at 7 days, to 4 places; null before any was judged. */
  readonly hitRate7d: string | null;
}

/**
 * What a report prints: one row per decision kind, the 7-day counts and hit rate, summed over every
 * treasury (or one, by id), in kind order.
 */
export const summarizeOutcomes = (state: DecisionOutcomes, treasuryId?: string): OutcomeSummaryRow[] => {
  const sums = new Map<string, { decisions: number; counts: OutcomeCounts }>();
  const treasuries = treasuryId === undefined ? Object.values(state) : [state[treasuryId]];
  for (const t of treasuries)
    for (const [kind, tally] of Object.entries(t?.tally ?? {})) {
      const sum = sums.get(kind) ?? { decisions: 0, counts: NO_COUNTS };
      const c = tally.horizons['7d'];
      sums.set(kind, {
        decisions: sum.decisions + tally.decisions,
        counts: {
          right: sum.counts.right + c.right,
          wrong: sum.counts.wrong + c.wrong,
          flat: sum.counts.flat + c.flat,
          pending: sum.counts.pending + c.pending,
          dropped: sum.counts.dropped + c.dropped,
        },
      });
    }
  return [...sums]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([kind, { decisions, counts }]) => {
      const judged = counts.right + counts.wrong + counts.flat;
      return {
        kind,
        decisions,
        ...counts,
        hitRate7d: judged === 0 ? null : new Decimal(counts.right).div(judged).toDecimalPlaces(4).toFixed(),
      };
    });
};
