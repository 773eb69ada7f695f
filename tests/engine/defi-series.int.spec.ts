import { Decimal, defiPreset, type RecordedEvent } from '@ballast/domain';
import {
  type DefiSeriesRow,
  defiSeries,
  defiSeriesRows,
  memoryCheckpoints,
  openBallast,
  runProjection,
  SERIES_POINTS_LIMIT,
  stateDigest,
  stateToJson,
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
const { market: _noMarket, ...plainConfig } = config;

type State = typeof defiSeries.initial;
const foldByEvolve = (from: State, log: readonly RecordedEvent[]) =>
  log.reduce((s, e) => defiSeries.evolve(s, e) as State, from);
const foldInPlace = (from: State, log: readonly RecordedEvent[]) => {
  const fold = defiSeries.inPlace!(from);
  for (const e of log) fold.step(e);
  return fold.finish();
};

/** A DeFi treasury over three daily readings (calm, calm, greedy: hedge) with a swap and advice; and one without a market policy. */
const scriptedLog = async (): Promise<{ log: RecordedEvent[]; live: State }> => {
  const store = openMemoryStore();
  let now = T0;
  const ballast = openBallast({ store, clock: { now: () => now } });
  let id = 0;
  const send = async (treasury: string, at: number, command: Record<string, unknown>) => {
    now = at;
    const r = await ballast.treasuries.execute(treasury, command as never, { commandId: `c${++id}` });
    if (E.isLeft(r)) throw new Error(`${String(command.type)}: ${r.left.message}`);
  };
  const reading = (at: number, btc: number, fearGreed: string, fundingRate: string) =>
    send('d', at, {
      type: 'RecordMarket',
      snapshot: {
        observedAt: at,
        btcPrice: String(btc),
        ethPrice: '4000',
        mvrvZ: '2',
        fundingRate,
        fearGreed,
        source: 'script',
      },
    });
  await send('d', T0, { type: 'OpenTreasury', config });
  await send('d', T0, { type: 'Deposit', amount: '400000' });
  await send('plain', T0, { type: 'OpenTreasury', config: plainConfig });
  await send('plain', T0, { type: 'Deposit', amount: '1000' });
  await reading(T0 + HOUR, 100_000, '50', '0');
  const buy = { type: 'Swap', sell: 'USDC', buy: 'BTC', amount: '1000', filled: '0.01', gasGwei: '20', gasFee: '1' };
  await send('d', T0 + 2 * HOUR, { ...buy, swapId: 'buy1' });
  await reading(T0 + DAY + HOUR, 110_000, '50', '0');
  await send('d', T0 + DAY + 2 * HOUR, {
    type: 'RecordAdvice',
    advisor: 'llm:claude',
    observedAt: T0 + DAY + HOUR,
    target: { baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' },
    confidence: '0.7',
    reasons: ['momentum'],
  });
  await reading(T0 + 2 * DAY + HOUR, 120_000, '80', '0.003');
  const running = await runProjection(store, memoryCheckpoints(), defiSeries);
  await running.whenProcessed(await store.headPosition());
  const live = running.state$.value;
  await running.stop();
  const log: RecordedEvent[] = [];
  for await (const e of store.readAll()) log.push(e);
  await store.close();
  return { log, live };
};

describe('defi-series: the DeFi charts history', () => {
  let log: RecordedEvent[];
  let live: State;
  beforeAll(async () => {
    ({ log, live } = await scriptedLog());
  });

  it('has one point per reading with the mode and the allocation after acting on it, and the signals with reasons', () => {
    const rows = stateToJson(defiSeriesRows(live)) as DefiSeriesRow[];
    expect(rows.map((r) => r.treasuryId)).toEqual(['d']);
    const d = rows[0]!;
    expect(d.points.map((p) => p.at)).toEqual([T0 + HOUR, T0 + DAY + HOUR, T0 + 2 * DAY + HOUR]);
    expect(d.points.map((p) => String(p.fearGreed))).toEqual(['50', '50', '80']);
    expect(d.points.at(-1)!.mode).toBe('hedge');
    // The first point shows the BTC bought after its reading: 0.01 BTC at 100,000.
    expect(String(d.points[0]!.btc)).toBe('1000');
    expect(String(d.points[1]!.btc)).toBe('1100');
    expect(d.signals.map((s) => s.advisor)).toEqual(['rules', 'rules', 'llm:claude', 'rules']);
    expect(d.signals.at(-1)!.reasons.length).toBeGreaterThan(0);
    expect(d.policy?.ladder.map((s) => String(s.mvrvAtLeast))).toEqual(['3.5', '5', '7', '9']);
  });

  it('folds in place (an audit) to the live state, from the start and from a midway state left untouched', () => {
    expect(stateDigest(foldInPlace(defiSeries.initial, log))).toBe(stateDigest(live));
    expect(stateDigest(foldByEvolve(defiSeries.initial, log))).toBe(stateDigest(live));
    const cut = Math.floor(log.length / 2);
    const midway = foldByEvolve(defiSeries.initial, log.slice(0, cut));
    const before = stateDigest(midway);
    expect(stateDigest(foldInPlace(midway, log.slice(cut)))).toBe(stateDigest(live));
    expect(stateDigest(midway)).toBe(before);
  });

  it('keeps the last SERIES_POINTS_LIMIT points, both folds alike', async () => {
    const store = openMemoryStore();
    const meta = { commandId: 'bulk', actor: 'script' };
    const observed = (at: number) =>
      toStored(
        TREASURY,
        {
          type: 'MarketObserved',
          at,
          snapshot: {
            observedAt: at,
            btcPrice: new Decimal(100_000),
            ethPrice: new Decimal(4000),
            mvrvZ: new Decimal(2),
            fundingRate: new Decimal(0),
            fearGreed: new Decimal(50),
            source: 'bulk',
          },
        } as never,
        meta,
      );
    const readings = 2 * SERIES_POINTS_LIMIT + 7;
    const events = [
      toStored(TREASURY, { type: 'TreasuryOpened', at: T0, config: defiPreset() } as never, meta),
      ...Array.from({ length: readings }, (_, i) => observed(T0 + i * HOUR)),
    ];
    const r = await store.append('treasury-t', events, { expectedRevision: 'no_stream', commandId: 'bulk' });
    if (E.isLeft(r)) throw new Error(r.left.message);
    const bulk: RecordedEvent[] = [];
    for await (const e of store.readAll()) bulk.push(e);
    await store.close();
    const folded = foldInPlace(defiSeries.initial, bulk);
    expect(stateDigest(folded)).toBe(stateDigest(foldByEvolve(defiSeries.initial, bulk)));
    const points = defiSeriesRows(folded)[0]!.points;
    expect(points).toHaveLength(SERIES_POINTS_LIMIT + 1);
    expect(points.at(-1)!.at).toBe(T0 + (readings - 1) * HOUR);
  });
});
