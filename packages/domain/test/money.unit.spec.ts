import fc from 'fast-check';
import {
  Decimal,
  money,
  parseMoney,
  roundMoney,
  toMoneyString,
  PositiveMoneyFromString,
  NonNegativeMoneyFromString,
  MoneyFromString,
  decodeInput,
} from '../src';
import * as E from 'fp-ts/Either';

const issuesOf = (codec: typeof MoneyFromString, input: unknown) => {
  const result = decodeInput(codec, 'amount')(input);
  if (E.isRight(result)) throw new Error(`expected ${String(input)} to be refused`);
  return result.left.issues;
};

describe('money parsing', () => {
  it.each([
    ['NaN', 'plain decimal'],
    ['Infinity', 'plain decimal'],
    ['-Infinity', 'plain decimal'],
    ['1e999', 'plain decimal'],
    ['1e3', 'plain decimal'],
    ['', 'plain decimal'],
    [' 1', 'plain decimal'],
    ['+1', 'plain decimal'],
    ['.5', 'plain decimal'],
    ['5.', 'plain decimal'],
    ['0x10', 'plain decimal'],
    ['1.1234567', '7 decimal places'],
    ['1000000000000001', 'exceeds the limit'],
  ])('refuses %j with a reason', (input, reason) => {
    const [issue] = issuesOf(MoneyFromString, input);
    expect(issue?.message).toContain(reason);
  });

  it.each([NaN, Infinity, -Infinity, 1.5, 0, null, undefined, {}, [], true])(
    'refuses the non-string %p: amounts are decimal strings',
    (input) => {
      const [issue] = issuesOf(MoneyFromString, input);
      expect(issue?.message).toMatch(/decimal string/);
    },
  );

  it('refuses negatives and zero where the sign matters', () => {
    expect(issuesOf(NonNegativeMoneyFromString, '-0.01')[0]?.message).toContain('must not be negative');
    expect(issuesOf(PositiveMoneyFromString, '0')[0]?.message).toContain('greater than 0');
    expect(issuesOf(PositiveMoneyFromString, '-3')[0]?.message).toContain('greater than 0');
  });

  it('accepts 6 decimals exactly and keeps every digit', () => {
    const parsed = parseMoney('123456789.123456');
    expect(parsed.ok && parsed.value.toFixed()).toBe('123456789.123456');
    expect(toMoneyString(money('1.50'))).toBe('1.5');
    expect(toMoneyString(money('-0.000'))).toBe('0');
  });

  it('round-trips any 6-decimal amount through its string form exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 21n), max: 10n ** 21n }), (micros) => {
        const m = new Decimal(micros.toString()).div(1_000_000);
        expect(money(toMoneyString(m)).eq(m)).toBe(true);
      }),
    );
  });
});

describe('rounding is explicit and directional', () => {
  it('down never rounds up, up never rounds down, half-even splits ties to even', () => {
    expect(roundMoney(new Decimal('1.0000019'), 'down').toFixed()).toBe('1.000001');
    expect(roundMoney(new Decimal('-1.0000011'), 'down').toFixed()).toBe('-1.000002');
    expect(roundMoney(new Decimal('1.0000011'), 'up').toFixed()).toBe('1.000002');
    expect(roundMoney(new Decimal('0.0000025'), 'half-even').toFixed()).toBe('0.000002');
    expect(roundMoney(new Decimal('0.0000035'), 'half-even').toFixed()).toBe('0.000004');
  });

  it('bounds a rounded amount within one micro-unit of the exact value, on the named side', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 1, max: 10_000 }), (n, d) => {
        const exact = new Decimal(n.toString()).div(d * 1_000_000);
        const down = roundMoney(exact, 'down');
        const up = roundMoney(exact, 'up');
        expect(down.lte(exact) && exact.minus(down).lt('0.000001')).toBe(true);
        expect(up.gte(exact) && up.minus(exact).lt('0.000001')).toBe(true);
      }),
    );
  });

  it('refuses to serialise an amount that was never rounded', () => {
    expect(() => toMoneyString(new Decimal(1).div(3))).toThrow(/round it explicitly/);
  });
});
