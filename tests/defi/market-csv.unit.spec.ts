import { parseMarketCsv } from '@ballast/domain';
import * as E from 'fp-ts/Either';

const HEADER = 'date,btc_price,eth_price,mvrv_z,funding_rate,fear_greed';

describe('market files: one row per observation, a bad row refuses the whole file by line number', () => {
  it('reads rows in time order; the source defaults to the file name', () => {
    const csv = `${HEADER}\n2026-01-01,98000,3500,2.1,0.0001,55\n2026-01-02T12:00Z,97000.5,3400,2.0,-0.0002,20\n`;
    const rows = parseMarketCsv(csv, 'market.csv');
    expect(E.isRight(rows)).toBe(true);
    if (E.isRight(rows)) {
      expect(rows.right.map((r) => [r.observedAt, r.btcPrice.toFixed(), r.source])).toEqual([
        [Date.UTC(2026, 0, 1), '98000', 'market.csv'],
        [Date.UTC(2026, 0, 2, 12), '97000.5', 'market.csv'],
      ]);
    }
  });

  it('names every bad row and imports nothing', () => {
    const csv = [
      HEADER,
      '2026-01-01,98000,3500,2.1,0.0001,55',
      '2026-02-30,98000,3500,2.1,0.0001,55',
      '2026-01-03,98000,3500,2.1,0.0001,101',
      '2026-01-04,98000,3500,2.1',
      '2026-01-01,98000,3500,2.1,0.0001,50',
    ].join('\n');
    const rows = parseMarketCsv(csv, 'm.csv');
    expect(rows).toEqual(
      E.left([
        { line: 3, message: 'date "2026-02-30" is not a UTC date like 2026-01-31 or 2026-01-31T12:00Z' },
        { line: 4, message: expect.stringMatching(/^fearGreed: fear & greed must be/) },
        { line: 5, message: 'expected 6 columns, got 4' },
        { line: 6, message: 'date 2026-01-01 is not after the row before it' },
      ]),
    );
  });

  it('a wrong header or an empty file is refused', () => {
    expect(parseMarketCsv('date,price\n2026-01-01,1', 'm.csv')).toMatchObject(E.left([{ line: 1 }]));
    expect(parseMarketCsv(`${HEADER}\n`, 'm.csv')).toEqual(E.left([{ line: 2, message: 'the file has no rows' }]));
    expect(parseMarketCsv('', 'm.csv')).toMatchObject(E.left([{ line: 1 }]));
  });
});
