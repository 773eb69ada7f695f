import {
  Decimal,
  decodeTreasuryCommand,
  defiPreset,
  equity,
  pendingRequests,
  requestOf,
  type CommandOf,
  type TreasuryAccount,
  type TreasuryCommand,
  treasuryDecider,
  TreasuryConfigCodec,
  type TreasuryEvent,
  type TreasuryState,
} from '@ballast/domain';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { T0 } from '../support/treasury-fixtures';

/**
 * Issue 16's risk rules for the DeFi sleeve, as properties over random command sequences on a
 * `defi` preset treasury: OpenTreasury, Deposit, a first reading, then a random mix of market
 * readings moving forward in time (some stale, some out of order), swaps both ways with fills on
 * either side of the slippage cap, gas on either side of 100 gwei and gas fees on either side of
 * 1%, approvals and denials of pending requests, emergency stops and lifts, rebalances, deposits
 * into the sleeve, operator resumes and time passing. Pure: `treasuryDecider` is driven directly and
 * every append (accepted events, or a refusal's `recorded` events, as the engine appends them) is
 * folded. Each property checks its invariant on every Swapped event, against the state folded just
 * before and after it, with values re-derived here (exact decimals), not with the decider's checks.
 *
 * Runs: BALLAST_DEFI_RUNS (default 40, fixed seed, a few seconds) sets the runs per property and
 * draws a fresh seed; BALLAST_DEFI_SEED fixes the seed. Long mode: BALLAST_DEFI_RUNS=2000.
 */
const RUNS = Number(process.env.BALLAST_DEFI_RUNS ?? 40);
const SEED = process.env.BALLAST_DEFI_SEED
  ? { seed: Number(process.env.BALLAST_DEFI_SEED) }
  : process.env.BALLAST_DEFI_RUNS
    ? {}
    : { seed: 20261216 };

const HOUR = 3_600_000;
const ZERO = new Decimal(0);
const ASSETS = ['BTC', 'ETH'] as const;
type Asset = (typeof ASSETS)[number];
const OPERATORS = ['alice', 'bob', 'carol'] as const;

// The defi preset's numbers (seed 002), written out so a changed preset shows here, not silently.
const PRESET = defiPreset();
const VOLATILE_CAP = new Decimal('0.40');
const POSITION_CAP = new Decimal('0.25');
const THRESHOLD = new Decimal('50000');
const MAX_GAS_GWEI = new Decimal('100');
const MAX_SLIPPAGE = new Decimal('0.005');

type Action =
  | {
      readonly kind: 'market';
      readonly lagMs: number;
      readonly btcPct: number;
      readonly ethPct: number;
      /** At or above 0: both prices jump to that pair of ROUND_PRICES instead of moving. */
      readonly round: number;
      readonly mvrvZ: number;
      readonly funding: number;
      readonly fearGreed: number;
    }
  | {
      readonly kind: 'buy' | 'sell';
      readonly asset: Asset;
      /**
       * A buy: basis points of equity in USDC (0: all the sleeve has; below 0: cents under the threshold).
       * A sale: per mille of the holding (above 1000: more than is held).
       */
      readonly size: number;
      /** Basis points of the quote the fill gives up (negative: a better fill). */
      readonly slipBps: number;
      readonly roundUp: boolean;
      readonly gasMilliGwei: number;
      /** Gas fee in basis points of the USDC swapped. */
      readonly gasFeeBps: number;
    }
  | { readonly kind: 'approve' | 'deny'; readonly who: string; readonly pick: number }
  | { readonly kind: 'stop' | 'lift'; readonly who: string }
  | { readonly kind: 'resume'; readonly what: 'ResumeRisk' | 'ResumeTrading'; readonly who: string }
  | { readonly kind: 'deposit'; readonly cents: number }
  | { readonly kind: 'rebalance' }
  | { readonly kind: 'wait'; readonly ms: number };

const who = fc.constantFrom(...OPERATORS);
/**
 * Round prices, where a fill exactly at the cap is a finite decimal (99,500 = 199 × 500 and 0.995 =
 * 199 / 200: 1,000 USDC at −0.5% is exactly 0.01 BTC), so the boundary itself is reached, not just near it.
 */
const ROUND_PRICES = [
  ['100000', '4000'],
  ['99500', '3980'],
  ['199000', '1990'],
  ['50000', '2500'],
] as const;
const pct = fc.oneof({ weight: 8, arbitrary: fc.integer({ min: -4, max: 4 }) }, fc.integer({ min: -25, max: 25 }));
const slipBps = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -50, max: 50 }) },
  { weight: 2, arbitrary: fc.integer({ min: -80, max: 80 }) },
  // Exactly at the cap, both ways: the rounding of the fill decides which side it lands on.
  { weight: 2, arbitrary: fc.constantFrom(-50, 50) },
);
const gasMilliGwei = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 0, max: 100_000 }) },
  { weight: 1, arbitrary: fc.constantFrom(100_000, 100_001) },
  { weight: 1, arbitrary: fc.integer({ min: 100_001, max: 400_000 }) },
);
const gasFeeBps = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 100 }) },
  { weight: 1, arbitrary: fc.integer({ min: 101, max: 150 }) },
);
const swapFields = {
  asset: fc.constantFrom(...ASSETS),
  slipBps,
  roundUp: fc.boolean(),
  gasMilliGwei,
  gasFeeBps,
};

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('market' as const),
      // Mostly fresh; sometimes older than the policy's 36 hours (stale), sometimes older than the last one.
      lagMs: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 0, max: HOUR }) },
        fc.integer({ min: 30 * HOUR, max: 40 * HOUR }),
      ),
      btcPct: pct,
      ethPct: pct,
      round: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, fc.integer({ min: 0, max: ROUND_PRICES.length - 1 })),
      mvrvZ: fc.integer({ min: -200, max: 1200 }),
      funding: fc.integer({ min: -500, max: 500 }),
      fearGreed: fc.integer({ min: 0, max: 10_000 }),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('buy' as const),
      // 0.1% to 30% of equity: across the 50,000 threshold, the 25% position cap and the 40% volatile cap.
      // 0: all the sleeve's USDC (what its gas leaves): with a fill better than the quote, the only way past 40%
      // volatile, since the base-yield floor (60%, its target) keeps the sleeve at 40% of equity.
      size: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 10, max: 1_000 }) },
        { weight: 2, arbitrary: fc.integer({ min: 1_000, max: 3_000 }) },
        { weight: 1, arbitrary: fc.constant(0) },
        // Negative: that many cents under the 50,000 threshold, so gas decides whether it needs approval.
        { weight: 1, arbitrary: fc.integer({ min: -60_000, max: -1 }) },
      ),
      ...swapFields,
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('sell' as const),
      size: fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) },
        { weight: 1, arbitrary: fc.constantFrom(1000, 1010) },
      ),
      ...swapFields,
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      // Mostly approvals: a denial closes a request for good. A negative pick names no request.
      kind: fc.constantFrom('approve' as const, 'approve' as const, 'approve' as const, 'deny' as const),
      who,
      pick: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 3 }) }, fc.constant(-1)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constantFrom('stop' as const, 'lift' as const, 'lift' as const), who }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('resume' as const),
      what: fc.constantFrom('ResumeRisk' as const, 'ResumeTrading' as const),
      who,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('deposit' as const), cents: fc.integer({ min: 100, max: 20_000_000 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rebalance' as const) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 0, max: 6 * HOUR }) }, fc.constant(25 * HOUR)),
    }),
  },
);
const history = fc.record({
  depositCents: fc.integer({ min: 10_000_000, max: 100_000_000 }),
  actions: fc.array(fc.tuple(fc.integer({ min: 0, max: 2 * HOUR }), action), { minLength: 10, maxLength: 80 }),
});

type History = typeof history extends fc.Arbitrary<infer H> ? H : never;

/** One event of an append, with the account folded just before and just after it. */
interface Applied {
  readonly event: TreasuryEvent;
  readonly before: TreasuryAccount;
  readonly after: TreasuryAccount;
}
/** One command and the append it made (accepted events, or the events its refusal records). */
interface Step {
  readonly command: TreasuryCommand;
  readonly code?: string;
  readonly applied: readonly Applied[];
}
interface Trace {
  readonly steps: readonly Step[];
  /** Every Swap command sent, by swap id (ids are never reused here). */
  readonly swaps: ReadonlyMap<string, CommandOf<'Swap'>>;
}

const fixed = (d: Decimal, places: number, up = false) =>
  d.toDecimalPlaces(places, up ? Decimal.ROUND_UP : Decimal.ROUND_DOWN).toFixed();

/** The wire command an action makes against the treasury as it stands (prices, holdings, pending requests). */
const commandOf = (a: Action, s: TreasuryAccount, at: number, id: number): Record<string, unknown> => {
  const t = s.treasury;
  const prices = t.market?.prices ?? { BTC: new Decimal(100_000), ETH: new Decimal(4_000), USDC: new Decimal(1) };
  switch (a.kind) {
    case 'market': {
      const move = (p: Decimal, by: number) =>
        Decimal.max(1, p.mul(100 + by).div(100))
          .toDecimalPlaces(2)
          .toFixed();
      return {
        type: 'RecordMarket',
        at,
        snapshot: {
          observedAt: Math.max(0, at - a.lagMs),
          btcPrice: a.round >= 0 ? ROUND_PRICES[a.round]![0] : move(prices.BTC, a.btcPct),
          ethPrice: a.round >= 0 ? ROUND_PRICES[a.round]![1] : move(prices.ETH, a.ethPct),
          mvrvZ: new Decimal(a.mvrvZ).div(100).toFixed(),
          fundingRate: new Decimal(a.funding).div(100_000).toFixed(),
          fearGreed: new Decimal(a.fearGreed).div(100).toFixed(),
          source: 'property',
        },
      };
    }
    case 'buy':
    case 'sell': {
      const buying = a.kind === 'buy';
      const held = t.holdings?.[a.asset]?.quantity ?? ZERO;
      const sleeve = t.buckets[PRESET.roles.trading!] ?? ZERO;
      const usd =
        a.size === 0
          ? sleeve.mul(10_000).div(10_000 + a.gasFeeBps)
          : a.size < 0
            ? THRESHOLD.plus(new Decimal(a.size).div(100))
            : equity(t).mul(a.size).div(10_000);
      const amount = buying
        ? Decimal.max('0.01', usd.toDecimalPlaces(2, Decimal.ROUND_DOWN))
        : held.isZero()
          ? new Decimal('0.01')
          : Decimal.max('0.000000000001', held.mul(a.size).div(1000).toDecimalPlaces(12, Decimal.ROUND_DOWN));
      const [sell, buy] = buying ? ['USDC' as const, a.asset] : [a.asset, 'USDC' as const];
      const expected = amount.mul(prices[sell]).div(prices[buy]);
      const filled = Decimal.max('0.000000000001', expected.mul(10_000 - a.slipBps).div(10_000)).toDecimalPlaces(
        buying ? 12 : 6,
        a.roundUp ? Decimal.ROUND_UP : Decimal.ROUND_DOWN,
      );
      const usdc = buying ? amount : filled;
      return {
        type: 'Swap',
        at,
        swapId: `s${id}`,
        sell,
        buy,
        amount: amount.toFixed(),
        filled: filled.toFixed(),
        gasGwei: new Decimal(a.gasMilliGwei).div(1000).toFixed(),
        gasFee: fixed(usdc.mul(a.gasFeeBps).div(10_000), 6),
      };
    }
    case 'approve':
    case 'deny': {
      const pending = pendingRequests(t.controls);
      const requestId = a.pick < 0 || pending.length === 0 ? 'req-999' : pending[a.pick % pending.length]!.requestId;
      return a.kind === 'approve'
        ? { type: 'ApproveRequest', at, requestId, approver: a.who }
        : { type: 'DenyRequest', at, requestId, by: a.who };
    }
    case 'stop':
      return { type: 'EmergencyStop', at, by: a.who };
    case 'lift':
      return { type: 'LiftEmergencyStop', at, by: a.who };
    case 'resume':
      return { type: a.what, at, operator: a.who };
    case 'deposit':
      return { type: 'Deposit', at, bucket: 'tactical', amount: new Decimal(a.cents).div(100).toFixed() };
    case 'rebalance':
      return { type: 'Rebalance', at };
    case 'wait':
      return { type: 'Tick', at };
  }
};

const decode = (json: Record<string, unknown>): TreasuryCommand => {
  const decoded = decodeTreasuryCommand(json);
  if (E.isLeft(decoded)) throw new Error(`the generator made a bad command: ${decoded.left.message}`);
  return decoded.right;
};

/** Sends every command to the decider and folds each append, as the engine would. */
const run = ({ depositCents, actions }: History): Trace => {
  let state = treasuryDecider.initialState;
  const steps: Step[] = [];
  const swaps = new Map<string, CommandOf<'Swap'>>();
  const send = (json: Record<string, unknown>) => {
    const command = decode(json);
    if (command.type === 'Swap') swaps.set(command.swapId, command);
    const result = treasuryDecider.decide(command, state);
    const events = E.isRight(result) ? result.right : result.left.recorded;
    const applied = events.map((event) => {
      const before = state;
      state = treasuryDecider.evolve(state, event);
      return { event, before, after: state };
    });
    steps.push({ command, applied, ...(E.isLeft(result) ? { code: result.left.code } : {}) });
    return result;
  };
  const setup = [
    { type: 'OpenTreasury', at: T0, config: TreasuryConfigCodec.encode(PRESET) },
    { type: 'Deposit', at: T0, amount: new Decimal(depositCents).div(100).toFixed() },
    commandOf(
      { kind: 'market', lagMs: 0, btcPct: 0, ethPct: 0, round: 0, mvrvZ: 200, funding: 10, fearGreed: 5000 },
      state,
      T0,
      0,
    ),
  ];
  for (const json of setup) {
    const r = send(json);
    if (E.isLeft(r)) throw new Error(`setup refused: ${r.left.code} ${r.left.message}`);
  }
  let now = T0;
  actions.forEach(([stepMs, a], i) => {
    now += stepMs + (a.kind === 'wait' ? a.ms : 0);
    send(commandOf(a, state, now, i + 1));
  });
  return { steps, swaps };
};

type Swapped = Extract<TreasuryEvent, { type: 'Swapped' }>;
interface SwapSeen extends Applied {
  readonly event: Swapped;
  readonly step: Step;
}
const swappedIn = (trace: Trace): SwapSeen[] =>
  trace.steps.flatMap((step) =>
    step.applied.flatMap((a) => (a.event.type === 'Swapped' ? [{ ...a, event: a.event, step }] : [])),
  );

type Prices = NonNullable<TreasuryState['market']>['prices'];
const pricesAt = (s: TreasuryAccount): Prices => {
  const p = s.treasury.market?.prices;
  if (p === undefined) throw new Error('a swap executed with no market reading at all');
  return p;
};
const holdingValue = (t: TreasuryState, asset: Asset, prices: Prices): Decimal =>
  (t.holdings?.[asset]?.quantity ?? ZERO).mul(prices[asset]);
/**
 * The treasury's value at a reading's prices, exactly (no rounding): its free USDC and its holdings.
 * No command here locks escrow, bets or margin, so there is nothing else to count (checked).
 */
const exactEquity = (t: TreasuryState, prices: Prices): Decimal => {
  const locks = Object.keys(t.escrows).length + Object.keys(t.bets).length + Object.keys(t.positions).length;
  if (locks > 0) throw new Error('this property treasury never locks anything; it did');
  const free = Object.values(t.buckets).reduce((n, b) => n.plus(b), ZERO);
  return ASSETS.reduce((n, asset) => n.plus(holdingValue(t, asset, prices)), free);
};
/** A swap's size as the approval threshold counts it (outflows.ts): the USDC side, plus gas. */
const usdSize = (e: Swapped): Decimal => (e.sell === 'USDC' ? e.sold : e.bought).plus(e.gasFee);
const describeSwap = (s: SwapSeen) =>
  `Swapped ${s.event.swapId} at ${s.event.at - T0}ms (sold ${s.event.sold.toFixed()} ${s.event.sell}, bought ` +
  `${s.event.bought.toFixed()} ${s.event.buy}, gas ${s.event.gasGwei.toFixed()} gwei / ${s.event.gasFee.toFixed()}, ` +
  `slippage ${s.event.slippage.toFixed()}) by ${s.step.command.type}`;

/** A tally of what the runs reached, so a property that never met its rule fails instead of passing vacuously. */
const tally = () => {
  const counts: Record<string, number> = {};
  return {
    counts,
    add: (trace: Trace) => {
      for (const step of trace.steps) {
        const key = step.code === undefined ? `${step.command.type}:ok` : `${step.command.type}:${step.code}`;
        counts[key] = (counts[key] ?? 0) + 1;
        for (const { event } of step.applied) counts[event.type] = (counts[event.type] ?? 0) + 1;
      }
      for (const s of swappedIn(trace)) {
        const kind = `${s.event.buy === 'USDC' ? 'sell' : 'buy'}${usdSize(s.event).gt(THRESHOLD) ? ' above threshold' : ''}`;
        counts[`executed ${kind}`] = (counts[`executed ${kind}`] ?? 0) + 1;
        if (slippageCost(s.event).abs().eq(s.event.sold.mul(s.event.priceSell).mul(MAX_SLIPPAGE)))
          counts['executed exactly at the cap'] = (counts['executed exactly at the cap'] ?? 0) + 1;
        if (s.event.slippage.isNegative())
          counts['executed better than quote'] = (counts['executed better than quote'] ?? 0) + 1;
      }
    },
    reached: (keys: readonly string[]) => {
      if (process.env.BALLAST_DEFI_REPORT) console.log(JSON.stringify(counts, null, 1));
      const missing = keys.filter((k) => (counts[k] ?? 0) === 0);
      expect(missing).toEqual([]);
    },
  };
};

/** Runs one invariant over every generated history; returns the tally for the coverage check. */
const holds = (check: (trace: Trace) => string | undefined) => {
  const seen = tally();
  fc.assert(
    fc.property(history, (h) => {
      const trace = run(h);
      seen.add(trace);
      const problem = check(trace);
      if (problem !== undefined) throw new Error(problem);
    }),
    { numRuns: RUNS, ...SEED },
  );
  return seen;
};

/**
 * RISK CAPS: right after every executed buy, volatile holdings are at most volatileCap of equity and
 * the asset bought at most positionCap of it, both valued at the prices of the reading the buy was
 * judged against (the last one folded before it). A price move can push holdings above a cap with no
 * trade at all (BTC doubles); that is not a violation, and the next buy of anything volatile is refused
 * instead, so the check is only ever made just after a buy. Sales reduce risk and are always allowed.
 */
const riskCapViolation = (trace: Trace): string | undefined => {
  for (const s of swappedIn(trace)) {
    if (s.event.buy === 'USDC') continue;
    const prices = pricesAt(s.before);
    const total = exactEquity(s.after.treasury, prices);
    const volatile = holdingValue(s.after.treasury, 'BTC', prices).plus(holdingValue(s.after.treasury, 'ETH', prices));
    const asset = holdingValue(s.after.treasury, s.event.buy as Asset, prices);
    if (volatile.gt(total.mul(VOLATILE_CAP)))
      return `${describeSwap(s)}: volatile ${volatile.toFixed()} above ${VOLATILE_CAP.toFixed()} of ${total.toFixed()}`;
    if (asset.gt(total.mul(POSITION_CAP)))
      return `${describeSwap(s)}: ${s.event.buy} ${asset.toFixed()} above ${POSITION_CAP.toFixed()} of ${total.toFixed()}`;
  }
  return undefined;
};

/**
 * APPROVAL: a swap whose size (its USDC side plus gas) is above the threshold executes only in the
 * append of the last ApproveRequest its request needed: that command's request holds this very swap,
 * the append approves it with enough approvals and executes it, and the distinct approvers of the
 * request across the whole trace are at least its `required`.
 */
const approvalViolation = (trace: Trace): string | undefined => {
  const approvers = new Map<string, Set<string>>();
  const required = new Map<string, number>();
  for (const step of trace.steps) {
    for (const { event, before } of step.applied) {
      if (event.type === 'ApprovalRequested') required.set(event.requestId, event.required);
      if (event.type === 'RequestApproved')
        approvers.set(event.requestId, new Set([...(approvers.get(event.requestId) ?? []), event.approver]));
      if (event.type !== 'Swapped' || usdSize(event).lte(THRESHOLD)) continue;
      const s = describeSwap({ event, before, after: before, step });
      const c = step.command;
      if (c.type !== 'ApproveRequest')
        return `${s}: size ${usdSize(event).toFixed()} above the threshold, not approved`;
      const request = requestOf(step.applied[0]!.before.treasury.controls, c.requestId);
      if (request?.command.type !== 'Swap' || request.command.swapId !== event.swapId)
        return `${s}: executed by approving ${c.requestId}, which is not this swap's request`;
      const executed = step.applied.some(
        (a) => a.event.type === 'RequestExecuted' && a.event.requestId === c.requestId,
      );
      const needed = required.get(c.requestId) ?? Infinity;
      const last = step.applied.some(
        (a) => a.event.type === 'RequestApproved' && a.event.requestId === c.requestId && a.event.approvals >= needed,
      );
      if (!executed || !last) return `${s}: the append has no last approval and execution of ${c.requestId}`;
      const distinct = approvers.get(c.requestId)?.size ?? 0;
      if (distinct < needed) return `${s}: ${c.requestId} has ${distinct} distinct approvers of ${needed} required`;
    }
  }
  return undefined;
};

/**
 * GAS AND STOP: no swap executes with gas above the limit (the gas recorded, and the gas of the Swap
 * command asked, which an approval executes as asked), and none while an emergency stop is in force:
 * neither as the controls fold it (treasury.controls.stopped) nor as the log says (a stop not yet lifted).
 */
const gasOrStopViolation = (trace: Trace): string | undefined => {
  let stopped = false;
  for (const step of trace.steps) {
    for (const { event, before, after } of step.applied) {
      if (event.type === 'EmergencyStopped') stopped = true;
      if (event.type === 'EmergencyStopLifted') stopped = false;
      if (event.type !== 'Swapped') continue;
      const s = describeSwap({ event, before, after, step });
      const asked = trace.swaps.get(event.swapId);
      if (asked === undefined) return `${s}: no Swap command asked for it`;
      if (event.gasGwei.gt(MAX_GAS_GWEI) || asked.gasGwei.gt(MAX_GAS_GWEI) || !asked.gasGwei.eq(event.gasGwei))
        return `${s}: gas ${event.gasGwei.toFixed()} gwei (asked ${asked.gasGwei.toFixed()}), limit ${MAX_GAS_GWEI.toFixed()}`;
      if (before.treasury.controls?.stopped !== undefined || stopped) return `${s}: executed during an emergency stop`;
    }
  }
  return undefined;
};

/** What a swap's fill gave up against its quote, in USD, exactly: sold × priceSell − bought × priceBuy. */
const slippageCost = (e: Swapped): Decimal => e.sold.mul(e.priceSell).minus(e.bought.mul(e.priceBuy));

/**
 * SLIPPAGE: every executed fill keeps the cap both ways (swap-rules.ts: slippage = (expected − filled)
 * / expected, positive for a worse fill; a fill worse than the cap is SLIPPAGE_EXCEEDED, one better
 * than it FILL_IMPLAUSIBLE, one exactly at it passes). Checked exactly on the event's own fields, the
 * division cleared: |sold × priceSell − bought × priceBuy| ≤ cap × sold × priceSell; the prices are
 * the reading's; the recorded slippage is that one to 8 places, rounded away from zero (never shown
 * smaller than it is), so at most 10^−8 from it.
 */
const slippageViolation = (trace: Trace): string | undefined => {
  for (const s of swappedIn(trace)) {
    const e = s.event;
    const prices = pricesAt(s.before);
    if (!e.priceSell.eq(prices[e.sell as keyof Prices]) || !e.priceBuy.eq(prices[e.buy as keyof Prices]))
      return `${describeSwap(s)}: prices ${e.priceSell.toFixed()}/${e.priceBuy.toFixed()} are not the reading's`;
    const quoted = e.sold.mul(e.priceSell);
    const lost = slippageCost(e);
    if (lost.abs().gt(quoted.mul(MAX_SLIPPAGE)))
      return `${describeSwap(s)}: the fill is beyond the cap of ${MAX_SLIPPAGE.toFixed()} (USD lost ${lost.toFixed()})`;
    const exact = lost.div(quoted);
    if (e.slippage.abs().lt(exact.abs()) || e.slippage.minus(exact).abs().gt('0.00000001'))
      return `${describeSwap(s)}: slippage recorded ${e.slippage.toFixed()}, is ${exact.toFixed()}`;
  }
  return undefined;
};

/**
 * SLIPPAGE AS RECORDED: every Swapped event's own `slippage` field is within the cap, |slippage| ≤ 0.005.
 *
 * Found by this property: checkSwap divided (expectedOut = amountIn × priceIn / priceOut at 40
 * digits), so a fill exactly at the cap could be recorded as 0.00500001 (defi preset, BTC at 99,500,
 * Swap 100 USDC filled 0.001 BTC) or refused. It now compares products exactly and records at most the cap.
 */
const recordedSlippageViolation = (trace: Trace): string | undefined => {
  for (const s of swappedIn(trace))
    if (s.event.slippage.abs().gt(MAX_SLIPPAGE))
      return `${describeSwap(s)}: recorded slippage above the cap of ${MAX_SLIPPAGE.toFixed()}`;
  return undefined;
};

/**
 * CONSERVATION: a swap changes the treasury's value (at the reading's prices, exactly) by its gas fee
 * and its slippage cost only: equity after = equity before − gasFee − (sold × priceSell − bought ×
 * priceBuy), each from the event. The domain's `equity` (each holding rounded down to 6 places) is
 * the exact value less under 10^−6 per holding, before and after.
 */
const conservationViolation = (trace: Trace): string | undefined => {
  for (const s of swappedIn(trace)) {
    const e = s.event;
    const prices = pricesAt(s.before);
    const before = exactEquity(s.before.treasury, prices);
    const after = exactEquity(s.after.treasury, prices);
    const cost = slippageCost(e);
    const expected = before.minus(e.gasFee).minus(cost);
    if (!after.eq(expected))
      return (
        `${describeSwap(s)}: equity ${before.toFixed()} → ${after.toFixed()}, expected ${expected.toFixed()} ` +
        `(gas ${e.gasFee.toFixed()}, slippage cost ${cost.toFixed()})`
      );
    for (const [when, state, exact] of [
      ['before', s.before.treasury, before],
      ['after', s.after.treasury, after],
    ] as const) {
      const gap = exact.minus(equity(state));
      if (gap.isNegative() || gap.gte(new Decimal('0.000001').mul(ASSETS.length)))
        return `${describeSwap(s)}: domain equity ${equity(state).toFixed()} ${when} it, exact ${exact.toFixed()}`;
    }
  }
  return undefined;
};

describe(`DeFi risk rules on random command sequences (${RUNS} runs each; BALLAST_DEFI_RUNS for more)`, () => {
  it('the preset is the one these properties state', () => {
    expect(PRESET.market?.volatileCap.toFixed()).toBe(VOLATILE_CAP.toFixed());
    expect(PRESET.market?.positionCap.toFixed()).toBe(POSITION_CAP.toFixed());
    expect(PRESET.policy?.approvals?.threshold.toFixed()).toBe(THRESHOLD.toFixed());
  });

  it('RISK CAPS: every executed buy leaves volatile ≤ 40% and the asset ≤ 25% of equity, at its reading', () => {
    holds(riskCapViolation).reached(['executed buy', 'Swap:ASSET_CAP_EXCEEDED', 'Swap:VOLATILE_CAP_EXCEEDED']);
  }, 120_000);

  it('APPROVAL: no swap above 50,000 executes outside the append of its request’s last approval', () => {
    holds(approvalViolation).reached(['ApprovalRequested', 'executed buy above threshold', 'RequestDenied']);
  }, 120_000);

  it('GAS AND STOP: no swap executes with gas above 100 gwei or during an emergency stop', () => {
    holds(gasOrStopViolation).reached(['Swap:GAS_TOO_HIGH', 'Swap:EMERGENCY_STOP', 'EmergencyStopLifted']);
  }, 120_000);

  it('SLIPPAGE: every executed fill is within 0.5% of its quote, both ways (exact, from the event)', () => {
    holds(slippageViolation).reached([
      'Swap:SLIPPAGE_EXCEEDED',
      'Swap:FILL_IMPLAUSIBLE',
      'executed better than quote',
      'executed exactly at the cap',
      'executed sell',
    ]);
  }, 120_000);

  it('SLIPPAGE AS RECORDED: every Swapped event has |slippage| ≤ 0.5%', () => {
    holds(recordedSlippageViolation).reached(['executed exactly at the cap']);
  }, 120_000);

  it('CONSERVATION: a swap changes equity by exactly its gas fee and its slippage cost', () => {
    holds(conservationViolation).reached(['executed buy', 'executed sell', 'Swap:GAS_FEE_TOO_HIGH']);
  }, 120_000);
});
