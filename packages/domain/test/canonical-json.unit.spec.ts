import fc from 'fast-check';
import { canonicalJson, CanonicalJsonError, Decimal, JsonObjectCodec, decodeInput } from '../src';
import * as E from 'fp-ts/Either';

const shuffleKeys = (value: unknown, seed: number): unknown => {
  if (Array.isArray(value)) return value.map((v, i) => shuffleKeys(v, seed + i));
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    entries.sort((a, b) => ((a[0].length * 31 + seed) % 7) - ((b[0].length * 31 + seed) % 7) || (seed % 2 ? 1 : -1));
    return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, seed + 1)]));
  }
  return value;
};

const jsonValue = fc
  .jsonValue()
  .map((v) =>
    JSON.parse(JSON.stringify(v, (_k, x) => (typeof x === 'number' && !Number.isSafeInteger(x) ? String(x) : x))),
  );

describe('canonical JSON', () => {
  it('is the same bytes whatever the key order', () => {
    fc.assert(
      fc.property(jsonValue, fc.nat(), (value, seed) => {
        expect(canonicalJson(shuffleKeys(value, seed))).toBe(canonicalJson(value));
      }),
    );
  });

  it('parses back to an equal value and re-encodes to the same bytes', () => {
    fc.assert(
      fc.property(jsonValue, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it('sorts keys, drops undefined fields, writes decimals as strings and -0 as 0', () => {
    expect(canonicalJson({ b: 1, a: { d: [true, null], c: 'x' }, u: undefined, m: new Decimal('1.50'), z: -0 })).toBe(
      '{"a":{"c":"x","d":[true,null]},"b":1,"m":"1.5","z":0}',
    );
  });

  it.each([
    [{ amount: 1.5 }, 'amount', 'not a safe integer'],
    [{ amount: NaN }, 'amount', 'not a safe integer'],
    [{ amount: Infinity }, 'amount', 'not a safe integer'],
    [{ big: 2 ** 60 }, 'big', 'not a safe integer'],
    [{ list: [1, undefined] }, 'list[1]', 'undefined is not JSON'],
    [{ at: new Date(0) }, 'at', 'not a plain JSON object'],
    [{ n: 10n }, 'n', 'bigint is not JSON'],
    [{ d: new Decimal(NaN) }, 'd', 'not a finite decimal'],
  ])('refuses %p at %s', (value, path, reason) => {
    expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    try {
      canonicalJson(value);
    } catch (error) {
      expect((error as CanonicalJsonError).path).toBe(path);
      expect((error as CanonicalJsonError).reason).toContain(reason);
    }
  });

  it('refuses nesting deeper than the limit', () => {
    let deep: unknown = {};
    for (let i = 0; i < 40; i++) deep = { x: deep };
    expect(() => canonicalJson(deep)).toThrow(/nesting deeper/);
  });

  it('names the failing path when decoding an event payload', () => {
    const result = decodeInput(JsonObjectCodec, 'data')({ legs: [{ amount: 0.1 }] });
    expect(E.isLeft(result) && result.left.issues).toEqual([
      { path: 'legs[0].amount', message: expect.stringContaining('write decimals and amounts as strings') },
    ]);
  });
});
