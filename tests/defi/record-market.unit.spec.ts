import {
  defaultMarketPolicy,
  rulesAdvisor,
  defiPreset,
  parseMarketCsv,
  treasuryDecider,
  TreasuryConfigCodec,
  MarketSnapshotCodec,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

const HOUR = 3_600_000;
const reading = (hoursAgo: number, over: Record<string, unknown> = {}) => ({
  observedAt: T0 + 10 * HOUR - hoursAgo * HOUR,
  btcPrice: '98000',
  ethPrice: '3500',
  mvrvZ: '5.2',
  fundingRate: '0.0025',
  fearGreed: '80',
  source: 'test feed',
  ...over,
});
const record = (snapshot: Record<string, unknown>, at = T0 + 10 * HOUR) => ({ type: 'RecordMarket', at, snapshot });

describe('market readings on a treasury: every input and every reason recorded', () => {
  it('a reading is recorded with the signal seed 002’s rules give for it', () => {
    treasurySpec
      .given(funded())
      .when(record(reading(1)))
      .then([
        { type: 'MarketObserved', snapshot: { mvrvZ: '5.2', source: 'test feed' } },
        {
          type: 'SignalIssued',
          advisor: 'rules',
          phase: 'euphoria',
          mode: 'hedge',
          sell: '0.5',
          target: { baseYield: '0.6', BTC: '0.03', ETH: '0.02', USDC: '0.35' },
          reasons: [
            'phase euphoria (MVRV Z-score 5.2)',
            'MVRV 5.2 reached the ladder: sell 50% of the tactical holdings',
            'funding 0.25% above 0.2%: crowded longs',
            'fear & greed 80 above 75: extreme greed, sell',
            'mode hedge',
          ],
        },
      ]);
  });

  it('a stale reading is recorded with no signal', () => {
    treasurySpec
      .given(funded())
      .when(record(reading(37)))
      .then([{ type: 'MarketObserved' }, { type: 'SignalSkipped', reason: 'STALE', ageMs: 37 * HOUR }]);
  });

  it('a reading from the future, or not newer than the last, is refused and appends nothing', () => {
    treasurySpec
      .given(funded())
      .when(record(reading(-1)))
      .thenRejects('MARKET_DATA_INVALID', { observedAt: T0 + 11 * HOUR });
    treasurySpec
      .given([...funded(), record(reading(1))])
      .when(record(reading(1), T0 + 11 * HOUR))
      .thenRejects('MARKET_OUT_OF_ORDER', { lastObservedAt: T0 + 9 * HOUR });
  });

  it('bad data is refused at the boundary naming the field', () => {
    const bad = MarketSnapshotCodec.decode(reading(1, { fearGreed: '-1' }));
    expect(E.isLeft(bad)).toBe(true);
    expect(() => treasurySpec.given(funded()).when(record(reading(1, { fearGreed: '-1' })))).toThrow(/fear & greed/);
  });

  it('the shipped synthetic market drives a DeFi treasury through every phase, two thirds sold at the top', () => {
    const rows = parseMarketCsv(
      readFileSync(join(__dirname, '..', '..', 'examples', 'market-synthetic.csv'), 'utf8'),
      'market-synthetic.csv',
    );
    if (E.isLeft(rows)) throw new Error('the shipped file does not parse');
    const config = TreasuryConfigCodec.decode(TreasuryConfigCodec.encode(defiPreset()));
    if (E.isLeft(config)) throw new Error('preset');
    let state = treasuryDecider.initialState;
    const apply = (c: Parameters<typeof treasuryDecider.decide>[0]) => {
      const out = treasuryDecider.decide(c, state);
      if (E.isLeft(out)) throw new Error(out.left.message);
      state = out.right.reduce(treasuryDecider.evolve, state);
      return out.right;
    };
    apply({ type: 'OpenTreasury', at: rows.right[0]!.observedAt as never, config: config.right });
    const modes = new Map<string, Set<string>>();
    const tops: number[] = [];
    for (const snapshot of rows.right) {
      const signal = apply({ type: 'RecordMarket', at: (snapshot.observedAt + HOUR) as never, snapshot }).find(
        (e) => e.type === 'SignalIssued',
      );
      if (signal?.type !== 'SignalIssued') throw new Error('no signal');
      modes.set(signal.phase, new Set([...(modes.get(signal.phase) ?? []), signal.mode]));
      if (signal.phase === 'top') tops.push(signal.sell.toNumber());
    }
    expect([...modes.keys()].sort()).toEqual(['accumulation', 'bear', 'euphoria', 'top']);
    // At the top the ladder has sold at least two thirds, whatever the mode.
    expect(tops.every((sell) => sell >= 0.67)).toBe(true);
    expect(state.treasury.market?.signals).toBe(360);
  });
});

describe('the advisor port: advice from outside is recorded, and judged by the risk rules', () => {
  const advice = (over: Record<string, unknown> = {}) => ({
    type: 'RecordAdvice',
    at: T0 + 10 * HOUR,
    advisor: 'llm:claude',
    observedAt: T0 + 9 * HOUR,
    target: { baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' },
    confidence: '0.7',
    reasons: ['funding cooled, fear rising: add BTC'],
    ...over,
  });
  const seen = [...funded(), record(reading(1))];

  it('advice on the last reading, within the rules, is recorded as it came', () => {
    treasurySpec
      .given(seen)
      .when(advice())
      .then([
        {
          type: 'AdviceRecorded',
          advisor: 'llm:claude',
          target: { BTC: '0.2' },
          reasons: ['funding cooled, fear rising: add BTC'],
        },
      ]);
  });

  it('advice outside the caps is refused with what it broke, and recorded', () => {
    const { recorded } = treasurySpec
      .given(seen)
      .when(advice({ target: { baseYield: '0.6', BTC: '0.3', ETH: '0.1', USDC: '0' } }))
      .thenRejects('ADVICE_OUT_OF_BOUNDS', { advisor: 'llm:claude', problems: 'BTC 0.3 is above the cap of 0.25' });
    expect(recorded).toMatchObject([{ type: 'CommandRejected', subject: 'advice:llm:claude' }]);
  });

  it('advice on an older reading is refused', () => {
    treasurySpec
      .given(seen)
      .when(advice({ observedAt: T0 }))
      .thenRejects('ADVICE_STALE', { lastObservedAt: T0 + 9 * HOUR });
  });

  it('the rules are an advisor behind the same port, giving the signal RecordMarket records', async () => {
    const decoded = MarketSnapshotCodec.decode(reading(1));
    if (E.isLeft(decoded)) throw new Error('reading');
    const out = await rulesAdvisor.advise({
      snapshot: decoded.right,
      previous: undefined,
      policy: defaultMarketPolicy(),
      now: T0 + 10 * HOUR,
    });
    expect(out?.target.BTC.toFixed()).toBe('0.03');
  });
});
