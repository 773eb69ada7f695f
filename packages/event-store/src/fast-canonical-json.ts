import { Decimal, MAX_JSON_DEPTH } from '@ballast/domain';

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

// Same walk as the domain's canonicalJson, minus the error paths it builds for every value: a
// string is concatenated directly and anything canonicalJson would refuse (or a sparse array, which
// it encodes in a way not worth copying) returns undefined, so the caller falls back to the
// original for the error. A property test pins the two to identical bytes.
const encode = (value: unknown, depth: number): string | undefined => {
  if (depth > MAX_JSON_DEPTH) return undefined;
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      return Number.isSafeInteger(value) ? (Object.is(value, -0) ? '0' : String(value)) : undefined;
    case 'object': {
      if (value instanceof Decimal) return value.isFinite() ? JSON.stringify(value.isZero() ? '0' : value.toFixed()) : undefined;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined;
          const item: unknown = value[i];
          if (item === undefined) return undefined;
          const encoded = encode(item, depth + 1);
          if (encoded === undefined) return undefined;
          out += i > 0 ? `,${encoded}` : encoded;
        }
        return `${out}]`;
      }
      if (!isPlainObject(value)) return undefined;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue;
        const encoded = encode(item, depth + 1);
        if (encoded === undefined) return undefined;
        out += `${first ? '' : ','}${JSON.stringify(key)}:${encoded}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
};

/**
 * canonicalJson(value), or undefined where canonicalJson would throw (or where this copy declines):
 * the append hot path, which calls canonicalJson for the error only when this gives up.
 */
export const fastCanonicalJson = (value: unknown): string | undefined => encode(value, 0);
