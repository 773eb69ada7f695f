import DecimalJs from 'decimal.js';
import { describeValue } from './codecs/report';

/**
 * Money is decimal.js end to end. One configured constructor so every amount shares the same
 * precision; 40 significant digits hold any amount up to 10^15 with 6 decimals and leave ample room
 * for intermediate products (rates × amounts) before an explicit rounding step.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -40,
  toExpPos: 40,
});
export type Decimal = DecimalJs;
export type Money = DecimalJs;

/** USDC carries 6 decimals on every chain we settle on; no stored amount has more. */
export const USDC_DECIMALS = 6;

/** |amount| above this is refused at the boundary: 10^15 USDC is far beyond any treasury, so a larger
 * number is a unit mistake (wei instead of USDC) rather than a real amount. */
export const MAX_ABS_MONEY = new Decimal('1e15');

/** Plain decimal notation only: no exponent, no sign other than a leading minus, no leading dot. */
const MONEY_PATTERN = /^-?\d+(\.\d+)?$/;

export type MoneyParseFailure =
  | { readonly reason: 'NOT_DECIMAL'; readonly input: string }
  | { readonly reason: 'TOO_PRECISE'; readonly input: string; readonly decimals: number }
  | { readonly reason: 'TOO_LARGE'; readonly input: string };

// The input is shown cut to a few dozen characters (describeValue): a megabyte sent as an amount must not come
// back as a megabyte of error.
export const describeMoneyParseFailure = (f: MoneyParseFailure): string => {
  switch (f.reason) {
    case 'NOT_DECIMAL':
      return `expected a plain decimal string such as "12.50", got ${describeValue(f.input)}`;
    case 'TOO_PRECISE':
      return `has ${f.decimals} decimal places; at most ${USDC_DECIMALS} are allowed (${describeValue(f.input)})`;
    case 'TOO_LARGE':
      return `exceeds the limit of ${MAX_ABS_MONEY.toFixed()} in absolute value (${describeValue(f.input)})`;
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
};

/**
 * False when a plain decimal string (already matched by MONEY_PATTERN) has at most 15 integer
 * digits after its leading zeros, so its magnitude is below 10^15 without comparing Decimals
 * (which allocates). True means "compare": the exact check still decides.
 */
const mayExceedMaxAbs = (input: string): boolean => {
  let start = input.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  const dot = input.indexOf('.');
  const end = dot === -1 ? input.length : dot;
  while (start < end - 1 && input.charCodeAt(start) === 48 /* 0 */) start += 1;
  return end - start > 15;
};

/** Parses a decimal string into Money, or says precisely why not. Never accepts floats or exponents. */
export const parseMoney = (input: string): { ok: true; value: Money } | { ok: false; failure: MoneyParseFailure } => {
  if (input.length > 64 || !MONEY_PATTERN.test(input)) return { ok: false, failure: { reason: 'NOT_DECIMAL', input } };
  const decimals = input.includes('.') ? input.length - input.indexOf('.') - 1 : 0;
  if (decimals > USDC_DECIMALS) return { ok: false, failure: { reason: 'TOO_PRECISE', input, decimals } };
  const value = new Decimal(input);
  if (mayExceedMaxAbs(input) && value.abs().gt(MAX_ABS_MONEY))
    return { ok: false, failure: { reason: 'TOO_LARGE', input } };
  return { ok: true, value: value.isZero() ? new Decimal(0) : value };
};

/** For literals in code and tests; throws on a bad literal because that is a bug, not input. */
export const money = (input: string): Money => {
  const parsed = parseMoney(input);
  if (!parsed.ok) throw new Error(`money(${JSON.stringify(input)}): ${describeMoneyParseFailure(parsed.failure)}`);
  return parsed.value;
};

/**
 * Rounding is always explicit and named for its direction, because the direction is a business
 * decision: payouts round `down` (toward −∞, the pool never pays a fraction it does not owe), fees
 * round `up` (toward +∞, a fee is never under-collected), neutral conversions round `half-even`.
 */
export type RoundingMode = 'down' | 'up' | 'half-even';

const DECIMAL_ROUNDING: Record<RoundingMode, DecimalJs.Rounding> = {
  down: DecimalJs.ROUND_FLOOR,
  up: DecimalJs.ROUND_CEIL,
  'half-even': DecimalJs.ROUND_HALF_EVEN,
};

export const roundMoney = (value: Decimal, mode: RoundingMode, decimals: number = USDC_DECIMALS): Money =>
  normalizeZero(value.toDecimalPlaces(decimals, DECIMAL_ROUNDING[mode]));

/** The one string form of an amount: plain notation, no trailing zeros, never "-0". Refuses amounts
 * that still carry more than 6 decimals, so an unrounded product can never reach an event. */
export const toMoneyString = (value: Money): string => {
  if (!value.isFinite()) throw new Error(`toMoneyString: ${value.toString()} is not a finite amount`);
  if (value.decimalPlaces() > USDC_DECIMALS) {
    throw new Error(
      `toMoneyString: ${value.toFixed()} has more than ${USDC_DECIMALS} decimals; round it explicitly first`,
    );
  }
  return normalizeZero(value).toFixed();
};

const normalizeZero = (value: Decimal): Decimal => (value.isZero() ? new Decimal(0) : value);

export const ZERO: Money = new Decimal(0);

/**
 * `a.plus(b)` without building a Decimal when exactly one side is zero. decimal.js answers `x + 0`
 * with x and `0 + y` with y, each rounded to the precision (40 digits); every
 * amount a state holds already fits it (results are rounded to it, parsed money has at most 22
 * digits), so the answer is the same value. Valuations run on every event a treasury folds
 * (the RiskGuard tracks peaks), where most buckets and locks are zero.
 */
export const addMoney = (a: Decimal, b: Decimal): Decimal => {
  // Two zeros give −0 only if both are −0 (decimal.js: −0 + 0 is 0): a, unless a is −0, then b.
  if (b.isZero()) return a.isZero() && a.isNeg() ? b : a;
  if (a.isZero()) return b;
  return a.plus(b);
};
