import {
  decodeMarketSnapshot,
  defaultMarketPolicy,
  ladderSell,
  marketSignal,
  phaseOf,
  type MarketSnapshot,
} from '@ballast/domain';
import { Decimal } from '@ballast/domain';
import * as E from 'fp-ts/Either';

const T = Date.UTC(2026, 0, 1);
const policy = defaultMarketPolicy();
const RAW = {
  observedAt: T,
  btcPrice: '98000',
  ethPrice: '3500',
  mvrvZ: '2',
  fundingRate: '0.0001',
  fearGreed: '50',
  source: 'test',
};
const snapshot = (over: Record<string, unknown> = {}): MarketSnapshot => {
  const decoded = decodeMarketSnapshot({ ...RAW, ...over });
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  return decoded.right;
};
const signal = (over: Record<string, unknown> = {}, previous?: Parameters<typeof phaseOf>[2], peak = '0') => {
  const out = marketSignal(
    policy,
    snapshot(over),
    T,
    previous === undefined ? undefined : { phase: previous, peakSell: new Decimal(peak) },
  );
  if (!out.ok) throw new Error(out.message);
  return out.signal;
};

describe('the MVRV sell ladder of seed 002: 3.5 → 25%, 5.0 → 50%, 7.0 → 67%, 9.0 → exit', () => {
  it.each([
    ['3.49', '0'],
    ['3.5', '0.25'],
    ['4.99', '0.25'],
    ['5', '0.5'],
    ['7', '0.67'],
    ['8.99', '0.67'],
    ['9', '1'],
    ['12', '1'],
  ])('MVRV %s sells %s of the tactical holdings', (z, sell) => {
    expect(ladderSell(policy, new Decimal(z)).toFixed()).toBe(new Decimal(sell).toFixed());
  });

  it('at 9.0 the sleeve holds no volatile asset at all: exit', () => {
    const s = signal({ mvrvZ: '9' }, 'top');
    expect([s.target.BTC.toFixed(), s.target.ETH.toFixed(), s.target.USDC.toFixed()]).toEqual(['0', '0', '0.4']);
  });
});

describe('the ladder applies once, and holds until the cycle is back in accumulation', () => {
  it('at MVRV 3.5 a quarter of the tactical volatile allocation is sold: 0.30 becomes 0.225, no more', () => {
    const { target, mode } = signal({ mvrvZ: '3.5' }, 'accumulation');
    expect(mode).toBe('tactical');
    expect(target.BTC.plus(target.ETH).toFixed()).toBe('0.225');
  });

  it('after the exit at 9, a falling MVRV in the bear market buys nothing back', () => {
    const s = signal({ mvrvZ: '6' }, 'top', '1');
    expect(s.phase).toBe('bear');
    expect(s.sell.toFixed()).toBe('1');
    expect(s.target.BTC.plus(s.target.ETH).toFixed()).toBe('0');
    expect(s.reasons).toContain('the ladder reached 100% this cycle: that much stays sold until accumulation');
  });

  it('back in accumulation the ladder starts again', () => {
    const s = signal({ mvrvZ: '0.8' }, 'bear', '1');
    expect(s.phase).toBe('accumulation');
    expect(s.sell.toFixed()).toBe('0');
  });
});

describe('phases: top at 7, bear after a top until MVRV < 1, else euphoria from 3.5 or accumulation', () => {
  it.each([
    ['0.5', undefined, 'accumulation'],
    ['3.5', 'accumulation', 'euphoria'],
    ['7', 'euphoria', 'top'],
    ['6', 'top', 'bear'],
    ['2', 'bear', 'bear'],
    ['0.9', 'bear', 'accumulation'],
    ['3', 'euphoria', 'accumulation'],
  ] as const)('MVRV %s after %s is %s', (z, previous, phase) => {
    expect(phaseOf(policy, new Decimal(z), previous)).toBe(phase);
  });
});

describe('signals: funding above 0.2% is crowded longs, fear & greed below 25 buys and above 75 sells', () => {
  it('extreme fear in accumulation is aggressive: the whole sleeve volatile, within the caps', () => {
    const s = signal({ mvrvZ: '0.5', fearGreed: '24' });
    expect(s.mode).toBe('aggressive');
    expect(s.target.BTC.toFixed()).toBe('0.24');
    expect(s.target.ETH.toFixed()).toBe('0.16');
    expect(s.reasons).toContain('fear & greed 24 below 25: extreme fear, buy');
  });

  it('25 is not extreme fear, 75 not extreme greed: the thresholds are strict', () => {
    expect(signal({ mvrvZ: '0.5', fearGreed: '25' }).mode).toBe('tactical');
    expect(signal({ fearGreed: '75' }).mode).toBe('tactical');
    expect(signal({ fearGreed: '75.01' }).mode).toBe('conservative');
  });

  it('funding of 0.2% is not crowded; above it is, and the mode turns conservative', () => {
    expect(signal({ fundingRate: '0.002' }).mode).toBe('tactical');
    const s = signal({ fundingRate: '0.0021' });
    expect(s.mode).toBe('conservative');
    expect(s.reasons).toContain('funding 0.21% above 0.2%: crowded longs');
  });

  it('extreme greed with crowded longs hedges', () => {
    expect(signal({ fundingRate: '0.003', fearGreed: '80' }).mode).toBe('hedge');
  });

  it('targets always sum to 1 with base yield at 60%, volatile ≤ 40% and any one asset ≤ 25%', () => {
    for (const z of ['-1', '0.5', '3.5', '5', '7', '9'])
      for (const fg of ['10', '50', '90'])
        for (const funding of ['-0.001', '0.001', '0.005']) {
          const { target } = signal({ mvrvZ: z, fearGreed: fg, fundingRate: funding });
          expect(target.baseYield.plus(target.BTC).plus(target.ETH).plus(target.USDC).toFixed()).toBe('1');
          expect(target.baseYield.toFixed()).toBe('0.6');
          expect(target.BTC.plus(target.ETH).lte('0.4')).toBe(true);
          expect(target.BTC.lte('0.25') && target.ETH.lte('0.25')).toBe(true);
        }
  });
});

describe('stale and bad data', () => {
  it('a snapshot older than the maximum age gives no signal', () => {
    const out = marketSignal(policy, snapshot(), T + policy.maxAgeMs + 1, undefined);
    expect(out).toMatchObject({ ok: false, reason: 'STALE', ageMs: policy.maxAgeMs + 1 });
  });

  it.each([
    [{ fearGreed: '101' }, 'fearGreed'],
    [{ btcPrice: '-1' }, 'btcPrice'],
    [{ mvrvZ: 'NaN' }, 'mvrvZ'],
    [{ fundingRate: '1e-3' }, 'fundingRate'],
    [{ source: '' }, 'source'],
  ])('%j is refused naming %s', (over, field) => {
    const decoded = decodeMarketSnapshot({ ...RAW, ...over });
    expect(E.isLeft(decoded) && decoded.left.issues.map((i) => i.path)).toEqual([field]);
  });
});
