import * as t from 'io-ts';
import { Decimal } from '../money';
import { decimalPattern } from './decimal-pattern';
import { describeValue } from './report';
import { describeSchema } from './schema-meta';

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/**
 * A non-money decimal (a rate, a ratio, a price, an odds figure) as a string with at most
 * `maxDecimals` places, within [min, max]. Like amounts, never a JSON number.
 */
export const decimalString = (
  name: string,
  { min, max, maxDecimals = 18 }: { min?: string; max?: string; maxDecimals?: number },
): t.Type<Decimal, string, unknown> => {
  const lo = min === undefined ? undefined : new Decimal(min);
  const hi = max === undefined ? undefined : new Decimal(max);
  const range = `${lo ? `≥ ${lo.toFixed()}` : ''}${lo && hi ? ' and ' : ''}${hi ? `≤ ${hi.toFixed()}` : ''}`;
  const codec = new t.Type<Decimal, string, unknown>(
    name,
    (u): u is Decimal => u instanceof Decimal && u.isFinite() && (!lo || u.gte(lo)) && (!hi || u.lte(hi)),
    (u, c) => {
      if (typeof u !== 'string')
        return t.failure(u, c, `expected ${name} as a decimal string such as "0.05", got ${describeValue(u)}`);
      if (u.length > 64 || !DECIMAL_PATTERN.test(u))
        return t.failure(u, c, `expected ${name} as a plain decimal string such as "0.05", got ${describeValue(u)}`);
      const decimals = u.includes('.') ? u.length - u.indexOf('.') - 1 : 0;
      if (decimals > maxDecimals)
        return t.failure(u, c, `${name} has ${decimals} decimal places; at most ${maxDecimals} are allowed`);
      const value = new Decimal(u);
      if ((lo && value.lt(lo)) || (hi && value.gt(hi))) return t.failure(u, c, `${name} must be ${range}, got ${u}`);
      return t.success(value);
    },
    (d) => d.toFixed(),
  );
  return describeSchema(codec, () => {
    const { pattern, exact } = decimalPattern({
      min: min === undefined ? undefined : { value: min },
      max: max === undefined ? undefined : { value: max },
      maxDecimals,
    });
    return {
      title: name,
      description:
        `${name} as a plain decimal string (no exponent, no plus sign), at most ${maxDecimals} decimal places` +
        `${range ? `, ${range}` : ''}.${exact ? '' : ' The pattern checks the form; the range is checked on decoding.'}`,
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern,
    };
  });
};

/** A fraction of something: [0, 1]. */
export const RatioFromString = decimalString('ratio', { min: '0', max: '1' });
/** A price: positive, at most 10^12, 12 decimals. */
export const PriceFromString = decimalString('price', { min: '0.000000000001', max: '1000000000000', maxDecimals: 12 });
