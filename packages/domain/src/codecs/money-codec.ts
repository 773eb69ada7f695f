import * as t from 'io-ts';
import { describeMoneyParseFailure, type Money, parseMoney, Decimal, MAX_ABS_MONEY, USDC_DECIMALS } from '../money';
import { decimalPattern } from './decimal-pattern';
import { describeValue } from './report';
import { describeSchema } from './schema-meta';

type Sign = 'any' | 'non-negative' | 'positive';

const SIGN_WORDS: Record<Sign, string> = {
  any: 'signed',
  'non-negative': 'zero or more',
  positive: 'greater than 0',
};

const moneyCodec = (name: string, sign: Sign): t.Type<Money, string, unknown> =>
  withMoneySchema(name, sign, moneyType(name, sign));

// The wire form: a plain decimal string, at most 6 decimals, |amount| ≤ 10^15.
const withMoneySchema = (name: string, sign: Sign, codec: t.Type<Money, string, unknown>) =>
  describeSchema(codec, () => ({
    title: name,
    description:
      `An amount in USDC as a plain decimal string (no exponent, no plus sign), ${SIGN_WORDS[sign]}, ` +
      `at most ${USDC_DECIMALS} decimal places, at most ${MAX_ABS_MONEY.toFixed()} in absolute value.`,
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: decimalPattern({
      min: { value: sign === 'any' ? MAX_ABS_MONEY.neg().toFixed() : '0', exclusive: sign === 'positive' },
      max: { value: MAX_ABS_MONEY.toFixed() },
      maxDecimals: USDC_DECIMALS,
    }).pattern,
    examples: [sign === 'any' ? '-12.5' : '12.5'],
  }));

const moneyType = (name: string, sign: Sign): t.Type<Money, string, unknown> =>
  new t.Type<Money, string, unknown>(
    name,
    (u): u is Money =>
      u instanceof Decimal && u.isFinite() && (sign === 'any' || (sign === 'positive' ? u.gt(0) : u.gte(0))),
    (u, c) => {
      // Amounts travel as decimal strings only: a JSON number has already been through a float.
      if (typeof u !== 'string')
        return t.failure(u, c, `expected an amount as a decimal string such as "12.50", got ${describeValue(u)}`);
      const parsed = parseMoney(u);
      if (!parsed.ok) return t.failure(u, c, describeMoneyParseFailure(parsed.failure));
      // isZero/isNeg read the sign and digits; gt(0) would build a Decimal for the 0 on every amount.
      if (sign === 'positive' && (parsed.value.isZero() || parsed.value.isNeg()))
        return t.failure(u, c, `must be greater than 0, got ${JSON.stringify(u)}`);
      if (sign === 'non-negative' && parsed.value.isNeg())
        return t.failure(u, c, `must not be negative, got ${JSON.stringify(u)}`);
      return t.success(parsed.value);
    },
    (m) => m.toFixed(),
  );

/** A signed amount (P&L, a price move). */
export const MoneyFromString = moneyCodec('Money', 'any');
/** A balance, a floor, a fee: zero allowed, negative refused. */
export const NonNegativeMoneyFromString = moneyCodec('NonNegativeMoney', 'non-negative');
/** An amount that moves: a deposit, a stake, an escrow. */
export const PositiveMoneyFromString = moneyCodec('PositiveMoney', 'positive');
