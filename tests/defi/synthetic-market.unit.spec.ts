import { defaultMarketPolicy, ladderSell, type MarketPhase, marketSignal, parseMarketCsv } from '@ballast/domain';
import { cycleMarket, marketCsv, mulberry32 } from '@ballast/sim';
import * as E from 'fp-ts/Either';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FILE = join(__dirname, '..', '..', 'examples', 'market-synthetic.csv');
const SOURCE = 'synthetic: ballast sim cycleMarket seed 7';
const generated = () => marketCsv(cycleMarket(mulberry32(7), 360, Date.UTC(2025, 0, 1)), SOURCE);

describe('the shipped synthetic market file (examples/market-synthetic.csv)', () => {
  it('is exactly what the simulator writes for seed 7, labelled synthetic in every row', () => {
    expect(readFileSync(FILE, 'utf8')).toBe(generated());
  });

  it('parses, and passes through every phase and every step of the MVRV ladder', () => {
    const rows = parseMarketCsv(readFileSync(FILE, 'utf8'), 'market-synthetic.csv');
    if (E.isLeft(rows)) throw new Error(JSON.stringify(rows.left.slice(0, 3)));
    expect(rows.right).toHaveLength(360);
    expect(new Set(rows.right.map((r) => r.source))).toEqual(new Set([SOURCE]));
    const policy = defaultMarketPolicy();
    const phases = new Set<MarketPhase>();
    const sells = new Set<string>();
    let previous: Parameters<typeof marketSignal>[3];
    for (const r of rows.right) {
      const out = marketSignal(policy, r, r.observedAt, previous);
      if (!out.ok) throw new Error(out.message);
      previous = { phase: out.signal.phase, peakSell: out.signal.sell };
      phases.add(previous.phase);
      sells.add(ladderSell(policy, r.mvrvZ).toFixed());
    }
    expect([...phases].sort()).toEqual(['accumulation', 'bear', 'euphoria', 'top']);
    expect([...sells].sort()).toEqual(['0', '0.25', '0.5', '0.67', '1']);
  });
});
