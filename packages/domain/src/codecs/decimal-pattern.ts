import { Decimal } from '../money';

/** A bound of a decimal range, as a decimal string; `exclusive` is supported for a bound of 0 only. */
export interface DecimalBound {
  readonly value: string;
  readonly exclusive?: boolean;
}

export interface DecimalPatternSpec {
  readonly min?: DecimalBound | undefined;
  readonly max?: DecimalBound | undefined;
  readonly maxDecimals: number;
}

export interface DecimalPattern {
  /** An ECMA-262 pattern (anchored) for the plain decimal strings the codec accepts. */
  readonly pattern: string;
  /** False when a bound is neither 0 nor ±10^k: the pattern then checks form and precision but not that bound. */
  readonly exact: boolean;
}

/** k when |value| is 10^k (k may be negative), undefined otherwise (0 included). */
const powerOfTen = (value: Decimal): number | undefined => {
  const digits = value.abs().toFixed();
  if (/^10*$/.test(digits)) return digits.length - 1;
  if (/^0\.0*1$/.test(digits)) return -(digits.length - 2);
  return undefined;
};

// The magnitude regexes below read an unsigned, well-formed decimal string (form and precision are checked apart).

/** |x| ≥ 10^k. */
const atLeast = (k: number): string =>
  k >= 0 ? `0*[1-9][0-9]{${k},}(?:\\.[0-9]+)?` : `0*[1-9][0-9]*(?:\\.[0-9]+)?|0+\\.0{0,${-k - 1}}[1-9][0-9]*`;

/** |x| ≤ 10^k. */
const atMost = (k: number): string => {
  if (k > 0) return `0*[0-9]{1,${k}}(?:\\.[0-9]+)?|0*1${'0'.repeat(k)}(?:\\.0+)?`;
  if (k === 0) return `0+(?:\\.[0-9]+)?|0*1(?:\\.0+)?`;
  const i = -k;
  return `0+(?:\\.0{${i}}[0-9]*|\\.${'0'.repeat(i - 1)}10*)?`;
};

const NON_ZERO = '(?=[0-9.]*[1-9])';

/** A non-zero magnitude within [lower, upper] (each 10^k or unbounded); undefined when the bound is not a power of ten. */
const magnitude = (lower: Decimal | undefined, upper: Decimal | undefined): string | undefined => {
  const lo = lower === undefined ? undefined : powerOfTen(lower);
  const hi = upper === undefined ? undefined : powerOfTen(upper);
  if ((lower !== undefined && lo === undefined) || (upper !== undefined && hi === undefined)) return undefined;
  const low = lo === undefined ? '' : `(?=(?:${atLeast(lo)})$)`;
  const high = hi === undefined ? '[0-9.]+' : `(?:${atMost(hi)})`;
  return `${NON_ZERO}${low}${high}`;
};

/**
 * The pattern of the plain decimal strings (`-?digits(.digits)?`) with at most `maxDecimals` places within
 * [min, max]: exact when each bound is 0 or ±10^k (every bound the domain uses), else form and precision only. "-0"
 * and "0.00" are zero, as the codecs read them.
 */
export const decimalPattern = ({ min, max, maxDecimals }: DecimalPatternSpec): DecimalPattern => {
  const lo = min === undefined ? undefined : new Decimal(min.value);
  const hi = max === undefined ? undefined : new Decimal(max.value);
  if ((min?.exclusive && !lo?.isZero()) || (max?.exclusive && !hi?.isZero()))
    throw new Error('decimalPattern: only a bound of 0 may be exclusive');
  const form = `-?[0-9]+${maxDecimals > 0 ? `(?:\\.[0-9]{1,${maxDecimals}})?` : ''}`;
  const branches: string[] = [];
  let exact = true;
  const zeroAllowed =
    (lo === undefined || lo.lt(0) || (lo.isZero() && !min?.exclusive)) &&
    (hi === undefined || hi.gt(0) || (hi.isZero() && !max?.exclusive));
  if (zeroAllowed) branches.push('-?0+(?:\\.0+)?');
  if (hi === undefined || hi.gt(0)) {
    const positive = magnitude(lo !== undefined && lo.gt(0) ? lo : undefined, hi);
    exact &&= positive !== undefined;
    branches.push(positive ?? `${NON_ZERO}[0-9.]+`);
  }
  if (lo === undefined || lo.lt(0)) {
    const negative = magnitude(hi !== undefined && hi.lt(0) ? hi.neg() : undefined, lo?.neg());
    exact &&= negative !== undefined;
    branches.push(`-${negative ?? `${NON_ZERO}[0-9.]+`}`);
  }
  if (branches.length === 0) throw new Error(`decimalPattern: the range [${min?.value}, ${max?.value}] is empty`);
  return { pattern: `^(?=${form}$)(?:${branches.join('|')})$`, exact };
};
