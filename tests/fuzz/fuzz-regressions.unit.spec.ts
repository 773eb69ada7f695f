import {
  EscrowCommandCodec,
  PoolEventCodec,
  TreasuryCommandCodec,
  TreasuryEventCodec,
  decodeInput,
  decodeTreasuryCommand,
  MARKET_CSV_COLUMNS,
  MAX_ISSUES,
  parseMarketCsv,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';

// Bugs the fuzzers found, each pinned by the input that showed it.

describe('fuzz regressions', () => {
  it.each(['__proto__', 'toString', 'constructor', 'hasOwnProperty', 'valueOf'])(
    "a tagged union's type guard answers false for a `type` named after Object.prototype's %s (it threw a TypeError)",
    (type) => {
      for (const codec of [TreasuryCommandCodec, TreasuryEventCodec, PoolEventCodec, EscrowCommandCodec])
        expect(codec.is({ type, bucket: 'alpha', amount: '10' })).toBe(false);
    },
  );

  it('an unknown command type of a megabyte is refused with a short message (it echoed the whole type)', () => {
    const result = decodeTreasuryCommand({ type: `Deposit${'x'.repeat(1_000_000)}`, at: 0, amount: '10' });
    expect(E.isLeft(result) && result.left.message.length < 2_000).toBe(true);
  });

  it('an amount of a megabyte is refused with a short message (it echoed the whole amount)', () => {
    const result = decodeTreasuryCommand({ type: 'Deposit', at: 0, amount: `10${'x'.repeat(1_000_000)}` });
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left.message.length).toBeLessThan(300);
      expect(result.left.issues).toEqual([
        {
          path: 'amount',
          message: expect.stringMatching(/^expected a plain decimal string such as "12.50", got "10x+…$/),
        },
      ]);
    }
  });

  it('an object of 10,000 unknown fields is refused with 50 issues and a line saying there are more (it listed all)', () => {
    const command: Record<string, unknown> = { type: 'Deposit', amount: '10' };
    for (let i = 0; i < 10_000; i++) command[`field${i}`] = 1;
    const result = decodeTreasuryCommand(command);
    expect(E.isLeft(result)).toBe(true);
    if (E.isLeft(result)) {
      expect(result.left.issues).toHaveLength(MAX_ISSUES + 1);
      expect(result.left.issues[MAX_ISSUES]).toEqual({ path: '', message: 'more problems not listed (50 are shown)' });
      expect(result.left.message.length).toBeLessThan(10_000);
    }
  });

  it('a market file whose header or date is a megabyte is refused with short problems (they echoed the whole line)', () => {
    const header = parseMarketCsv(`${'x'.repeat(1_000_000)}\n2026-01-01,1,1,1,0,1`, 'm.csv');
    const date = parseMarketCsv(`${MARKET_CSV_COLUMNS.join(',')}\n${'9'.repeat(1_000_000)},1,1,1,0,1,feed`, 'm.csv');
    for (const result of [header, date]) {
      expect(E.isLeft(result)).toBe(true);
      if (E.isLeft(result)) for (const problem of result.left) expect(problem.message.length).toBeLessThan(300);
    }
  });

  it.each([
    [
      TreasuryEventCodec.name,
      TreasuryEventCodec,
      { type: 'CommandRejected', at: 0, command: 'c', subject: 's', code: 'X', details: { type: 0.5 } },
    ],
    [
      PoolEventCodec.name,
      PoolEventCodec,
      JSON.parse(
        '{"type":"PoolCommandRejected","at":0,"command":"c","subject":"s","code":"X","details":{"__proto__":5e-324}}',
      ) as unknown,
    ],
    [
      'SignalSkipped',
      TreasuryEventCodec,
      { type: 'SignalSkipped', at: 0, reason: 'STALE', ageMs: Number.NaN, message: 'm' },
    ],
  ] as const)(
    '%s: numbers in events are integers only (a fraction or NaN decoded, then had no canonical form to store)',
    (_, codec, event) => {
      const result = decodeInput(codec as t.Mixed, 'event')(event);
      expect(E.isLeft(result)).toBe(true);
      if (E.isLeft(result)) expect(result.left.issues[0]?.path).toMatch(/^details\.|^ageMs$/);
    },
  );
});
