import { Decimal, money, type RecordedEvent } from '@ballast/domain';
import {
  CLOSED_DECISIONS_LIMIT,
  type DecisionOutcomes,
  decisionOutcomes,
  memoryCheckpoints,
  openBallast,
  OPEN_DECISIONS_LIMIT,
  runProjection,
  ADVISORS_LIMIT,
  stateDigest,
  summarizeOutcomes,
  toStored,
  TREASURY,
} from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { defiConfigWithoutApprovals } from '../support/defi-fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);
const config = defiConfigWithoutApprovals();

/** Neutral: accumulation, tactical, nothing sold. Greedy: extreme greed and crowded longs, so hedge. */
const NEUTRAL = { mvrvZ: '2', fundingRate: '0', fearGreed: '50' };
const GREEDY = { mvrvZ: '2', fundingRate: '0.003', fearGreed: '80' };

const scripted = async () => {
  const store = openMemoryStore();
  let now = T0;
  const ballast = openBallast({ store, clock: { now: () => now } });
  let id = 0;
  const send = async (treasury: string, at: number, command: Record<string, unknown>) => {
    now = at;
    const r = await ballast.treasuries.execute(treasury, command as never, { commandId: `c${++id}` });
    if (E.isLeft(r)) throw new Error(`${String(command.type)}: ${r.left.message}`);
    return r.right.events.map((e) => e.type);
  };
  const reading = (at: number, btc: number, eth: number, mood = GREEDY) =>
    send('d', at, {
      type: 'RecordMarket',
      snapshot: { observedAt: at, btcPrice: String(btc), ethPrice: String(eth), ...mood, source: 'script' },
    });
  const run = async (upTo: 'before-7d' | 'all') => {
    await send('d', T0, { type: 'OpenTreasury', config });
    await send('d', T0, { type: 'Deposit', amount: '400000' });
    // A treasury with no market events: nothing to measure, so no entry.
    await send('quiet', T0, { type: 'OpenTreasury', config });
    await send('quiet', T0, { type: 'Deposit', amount: '1000' });
    // The first signal is tactical with nothing sold: the rules' neutral stance, a baseline.
    expect(await reading(T0 + HOUR, 100_000, 4_000, NEUTRAL)).toContain('SignalIssued');
    // Decision 1: buy BTC (risk-on) at 100,000.
    const buy = { type: 'Swap', sell: 'USDC', buy: 'BTC', amount: '1000', filled: '0.01', gasGwei: '20', gasFee: '1' };
    expect(await send('d', T0 + 2 * HOUR, { ...buy, swapId: 'buy1' })).toContain('Swapped');
    // Decision 2: the signal turns to hedge (de-risk).
    expect(await reading(T0 + 3 * HOUR, 100_000, 4_000)).toContain('SignalIssued');
    // Decision 3: advice for more volatile than the rules hold (risk-on).
    await send('d', T0 + 3 * HOUR + HOUR / 2, {
      type: 'RecordAdvice',
      advisor: 'llm:claude',
      observedAt: T0 + 3 * HOUR,
      target: { baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' },
      confidence: '0.7',
      reasons: ['momentum'],
    });
    // Decision 4: sell BTC (de-risk).
    const sell = { type: 'Swap', sell: 'BTC', buy: 'USDC', amount: '0.005', filled: '500', gasGwei: '20', gasFee: '1' };
    expect(await send('d', T0 + 4 * HOUR, { ...sell, swapId: 'sell1' })).toContain('Swapped');
    // Still hedge from here on: no more signal decisions.
    await reading(T0 + DAY + 3 * HOUR, 101_000, 4_040); // 1 d for decisions 1 and 2 (due at or before), not 3, 4
    await reading(T0 + 2 * DAY + 3 * HOUR, 99_000, 3_960); // 1 d for decisions 3 and 4
    if (upTo === 'before-7d') return;
    await reading(T0 + 7 * DAY + 2 * HOUR, 90_000, 3_600); // exactly 7 d after the buy; 1 h short for the rest
    await reading(T0 + 7 * DAY + 5 * HOUR, 90_000, 3_600); // 7 d for the rest
  };
  return { store, run };
};

const foldStore = async (upTo: 'before-7d' | 'all') => {
  const { store, run } = await scripted();
  await run(upTo);
  const checkpoints = memoryCheckpoints();
  const running = await runProjection(store, checkpoints, decisionOutcomes);
  await running.whenProcessed(await store.headPosition());
  const live = running.state$.value;
  const log: RecordedEvent[] = [];
  for await (const e of store.readAll()) log.push(e);
  await running.stop();
  await store.close();
  return { live, log };
};

const inPlace = (from: DecisionOutcomes, log: readonly RecordedEvent[]) => {
  const fold = decisionOutcomes.inPlace!(from);
  for (const e of log) fold.step(e);
  return fold.finish();
};

describe('decision outcomes: what each decision was followed by', () => {
  it('judges a sell and a hedge before a drop right, a buy and risk-on advice wrong, at 7 days', async () => {
    const { live, log } = await foldStore('all');
    expect(Object.keys(live)).toEqual(['d']);
    const d = live.d!;
    expect(d.decisions).toBe(4);
    const all = [...d.closed, ...d.open];
    expect(all.map((x) => [x.key, x.direction])).toEqual([
      ['swap:buy:BTC', 'risk-on'],
      ['signal:hedge', 'de-risk'],
      ['advice:llm:claude', 'risk-on'],
      ['swap:sell:BTC', 'de-risk'],
    ]);
    expect(all.map((x) => x.outcomes['7d']?.verdict)).toEqual(['wrong', 'right', 'wrong', 'right']);
    // The first reading at or after decision + 7 d: the buy's at exactly 7 d, the rest's 3 h later.
    expect(all.map((x) => x.outcomes['7d']?.observedAt)).toEqual([
      T0 + 7 * DAY + 2 * HOUR,
      T0 + 7 * DAY + 5 * HOUR,
      T0 + 7 * DAY + 5 * HOUR,
      T0 + 7 * DAY + 5 * HOUR,
    ]);
    expect(all[0]!.prices.BTC.toFixed()).toBe('100000');
    expect(all[0]!.outcomes['7d']!.move.toFixed()).toBe('-0.1');
    expect(all[1]!.decision).toMatchObject({ kind: 'signal', phase: 'accumulation', mode: 'hedge' });
    expect(all[3]!.decision).toEqual({ kind: 'swap', side: 'sell', asset: 'BTC', swapId: 'sell1' });
    // 1 d: the buy and the hedge were measured with day 1's reading (up 1%), the advice (half an hour
    // after the day-0 reading) and the sell with day 2's (down 1% from the decision's prices).
    expect(all.map((x) => x.outcomes['1d']?.verdict)).toEqual(['right', 'wrong', 'wrong', 'right']);
    expect(all.map((x) => x.outcomes['1d']?.observedAt)).toEqual([
      T0 + DAY + 3 * HOUR,
      T0 + DAY + 3 * HOUR,
      T0 + 2 * DAY + 3 * HOUR,
      T0 + 2 * DAY + 3 * HOUR,
    ]);
    // 30 d: no reading yet, so every decision stays open.
    expect(d.open).toHaveLength(4);
    expect(all.every((x) => x.outcomes['30d'] === null)).toBe(true);
    expect(d.tally['signal:hedge']!.horizons).toEqual({
      '1d': { right: 0, wrong: 1, flat: 0, pending: 0, dropped: 0 },
      '7d': { right: 1, wrong: 0, flat: 0, pending: 0, dropped: 0 },
      '30d': { right: 0, wrong: 0, flat: 0, pending: 1, dropped: 0 },
    });
    expect(summarizeOutcomes(live)).toEqual([
      { kind: 'advice:llm:claude', decisions: 1, right: 0, wrong: 1, flat: 0, pending: 0, dropped: 0, hitRate7d: '0' },
      { kind: 'signal:hedge', decisions: 1, right: 1, wrong: 0, flat: 0, pending: 0, dropped: 0, hitRate7d: '1' },
      { kind: 'swap:buy:BTC', decisions: 1, right: 0, wrong: 1, flat: 0, pending: 0, dropped: 0, hitRate7d: '0' },
      { kind: 'swap:sell:BTC', decisions: 1, right: 1, wrong: 0, flat: 0, pending: 0, dropped: 0, hitRate7d: '1' },
    ]);
    expect(summarizeOutcomes(live, 'quiet')).toEqual([]);
    // The in-place fold (an audit's) gives the live projection's state.
    expect(stateDigest(inPlace(decisionOutcomes.initial, log))).toBe(stateDigest(live));
  });

  it('keeps a decision pending until a reading past its horizon arrives', async () => {
    const { live } = await foldStore('before-7d');
    const all = [...live.d!.closed, ...live.d!.open];
    expect(all.map((x) => x.outcomes['1d']?.verdict)).toEqual(['right', 'wrong', 'wrong', 'right']);
    expect(all.every((x) => x.outcomes['7d'] === null)).toBe(true);
    expect(summarizeOutcomes(live).map((r) => [r.kind, r.pending, r.hitRate7d])).toEqual([
      ['advice:llm:claude', 1, null],
      ['signal:hedge', 1, null],
      ['swap:buy:BTC', 1, null],
      ['swap:sell:BTC', 1, null],
    ]);
  });

  it('stays bounded: open decisions past the cap are given up as dropped, closed ones cut to their limit', async () => {
    const store = openMemoryStore();
    const ok = async (p: Promise<E.Either<{ message: string }, unknown>>) => {
      const r = await p;
      if (E.isLeft(r)) throw new Error(r.left.message);
    };
    const meta = { commandId: 'bulk', actor: 'script' };
    const observed = (at: number, btc: string) =>
      toStored(
        TREASURY,
        {
          type: 'MarketObserved',
          at,
          snapshot: {
            observedAt: at,
            btcPrice: new Decimal(btc),
            ethPrice: new Decimal('4000'),
            mvrvZ: new Decimal(2),
            fundingRate: new Decimal(0),
            fearGreed: new Decimal(50),
            source: 'bulk',
          },
        } as never,
        meta,
      );
    const swapped = (at: number, i: number) =>
      toStored(
        TREASURY,
        {
          type: 'Swapped',
          at,
          swapId: `s${i}`,
          sell: 'BTC',
          buy: 'USDC',
          sold: new Decimal('0.001'),
          bought: new Decimal('100'),
          priceSell: new Decimal('100000'),
          priceBuy: new Decimal(1),
          slippage: new Decimal(0),
          gasGwei: new Decimal(20),
          gasFee: money('0'),
          cost: money('100'),
          realized: money('0'),
        } as never,
        meta,
      );
    // A reading, more sales in one hour than the open cap, then readings 31 days on.
    const sales = OPEN_DECISIONS_LIMIT + 2 * CLOSED_DECISIONS_LIMIT + 3;
    const events = [
      observed(T0, '100000'),
      ...Array.from({ length: sales }, (_, i) => swapped(T0 + 1 + i, i)),
      observed(T0 + 31 * DAY, '90000'),
    ];
    await ok(store.append('treasury-t', events, { expectedRevision: 'no_stream', commandId: 'bulk' }));
    const log: RecordedEvent[] = [];
    for await (const e of store.readAll()) log.push(e);
    const byEvolve = log.reduce((s, e) => decisionOutcomes.evolve(s, e) as DecisionOutcomes, decisionOutcomes.initial);
    const folded = inPlace(decisionOutcomes.initial, log);
    expect(stateDigest(folded)).toBe(stateDigest(byEvolve));
    const t = folded.t!;
    expect(t.decisions).toBe(sales);
    expect(t.open).toHaveLength(0);
    expect(t.closed).toHaveLength(CLOSED_DECISIONS_LIMIT);
    expect(t.closed.at(-1)!.seq).toBe(sales);
    expect(t.tally['swap:sell:BTC']!.horizons['7d']).toEqual({
      right: OPEN_DECISIONS_LIMIT,
      wrong: 0,
      flat: 0,
      pending: 0,
      dropped: sales - OPEN_DECISIONS_LIMIT,
    });
    // From a midway state, which stays untouched.
    const cut = Math.floor(log.length / 2);
    const midway = log.slice(0, cut).reduce((s, e) => decisionOutcomes.evolve(s, e) as DecisionOutcomes, {});
    const before = stateDigest(midway);
    expect(stateDigest(inPlace(midway, log.slice(cut)))).toBe(stateDigest(byEvolve));
    expect(stateDigest(midway)).toBe(before);
    await store.close();
  });
});

describe('decision outcomes: advisors per treasury are capped', () => {
  /** A treasury, a greedy reading (a hedge signal), then `advisors` each advising the same target twice, then a reading 8 days on. */
  const adviceLog = async (advisors: readonly string[]) => {
    const store = openMemoryStore();
    let now = T0;
    const ballast = openBallast({ store, clock: { now: () => now } });
    let id = 0;
    const send = async (at: number, command: Record<string, unknown>) => {
      now = at;
      const r = await ballast.treasuries.execute('a', command as never, { commandId: `c${++id}` });
      if (E.isLeft(r)) throw new Error(`${String(command.type)}: ${r.left.message}`);
    };
    const reading = (at: number, btc: number) =>
      send(at, {
        type: 'RecordMarket',
        snapshot: { observedAt: at, btcPrice: String(btc), ethPrice: '4000', ...GREEDY, source: 'script' },
      });
    await send(T0, { type: 'OpenTreasury', config });
    await send(T0, { type: 'Deposit', amount: '400000' });
    await reading(T0 + HOUR, 100_000);
    for (const [i, advisor] of advisors.entries())
      for (const twice of [0, 1])
        await send(T0 + HOUR + 2 * i + twice + 1, {
          type: 'RecordAdvice',
          advisor,
          observedAt: T0 + HOUR,
          target: { baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' },
          confidence: '0.5',
          reasons: ['again'],
        });
    await reading(T0 + 8 * DAY, 90_000);
    const log: RecordedEvent[] = [];
    for await (const e of store.readAll()) log.push(e);
    await store.close();
    return log;
  };

  it('remembers at most ADVISORS_LIMIT advisors; the rest are tallied under advice:other against the last signal', async () => {
    const advisors = Array.from({ length: 40 }, (_, i) => `spam-${i + 1}`);
    const log = await adviceLog(advisors);
    const byEvolve = log.reduce((s, e) => decisionOutcomes.evolve(s, e) as DecisionOutcomes, decisionOutcomes.initial);
    const folded = inPlace(decisionOutcomes.initial, log);
    expect(stateDigest(folded)).toBe(stateDigest(byEvolve));
    const cut = Math.floor(log.length / 2);
    const midway = log.slice(0, cut).reduce((s, e) => decisionOutcomes.evolve(s, e) as DecisionOutcomes, {});
    expect(stateDigest(inPlace(midway, log.slice(cut)))).toBe(stateDigest(byEvolve));
    const a = folded.a!;
    const adviceKeys = Object.keys(a.tally).filter((k) => k.startsWith('advice:'));
    expect(adviceKeys.length).toBeLessThanOrEqual(ADVISORS_LIMIT + 1);
    expect(Object.keys(a.advice).length).toBeLessThanOrEqual(ADVISORS_LIMIT);
    // The first ADVISORS_LIMIT by name, in the order they came.
    expect(Object.keys(a.advice)).toEqual(advisors.slice(0, ADVISORS_LIMIT));
    expect(adviceKeys.sort()).toEqual(
      [...advisors.slice(0, ADVISORS_LIMIT).map((n) => `advice:${n}`), 'advice:other'].sort(),
    );
    // A remembered advisor's repeat is no decision (the same as its last advice); past the cap each
    // advice is compared with the (hedge) signal, so both count.
    expect(a.tally['advice:spam-1']!.decisions).toBe(1);
    const others = advisors.length - ADVISORS_LIMIT;
    expect(a.tally['advice:other']!.decisions).toBe(2 * others);
    expect(a.tally['advice:other']!.horizons['7d']).toEqual({
      right: 0,
      wrong: 2 * others,
      flat: 0,
      pending: 0,
      dropped: 0,
    });
    const other = [...a.closed, ...a.open].find((d) => d.key === 'advice:other')!;
    expect(other.decision).toMatchObject({ kind: 'advice', advisor: `spam-${ADVISORS_LIMIT + 1}` });
    expect(other.direction).toBe('risk-on');
  });

  it('takes an advisor named like an Object property for a new advisor', async () => {
    const log = await adviceLog(['constructor']);
    const folded = inPlace(decisionOutcomes.initial, log);
    expect(stateDigest(folded)).toBe(
      stateDigest(log.reduce((s, e) => decisionOutcomes.evolve(s, e) as DecisionOutcomes, decisionOutcomes.initial)),
    );
    expect(folded.a!.tally['advice:constructor']!.decisions).toBe(1);
  });
});
