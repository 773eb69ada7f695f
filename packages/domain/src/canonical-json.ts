import * as t from 'io-ts';
import { describeSchema } from './codecs/schema-meta';
import { Decimal } from './money';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** Nesting beyond this is refused: no event needs it, and unbounded recursion is a denial of service. */
export const MAX_JSON_DEPTH = 32;

export class CanonicalJsonError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = 'CanonicalJsonError';
  }
}

const childPath = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

const isPlainObject = (v: object): boolean => {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

// The same walk as encode() below, minus the error paths (a child path string built for every
// value): strings are concatenated directly, and anything encode() would refuse (or a sparse array,
// which it encodes in a way not worth copying) gives undefined, so canonicalJson falls back to
// encode() for the error and its path. A property test pins the two to identical bytes.
const encodeFast = (value: unknown, depth: number): string | undefined => {
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
      if (value instanceof Decimal)
        return value.isFinite() ? JSON.stringify(value.isZero() ? '0' : value.toFixed()) : undefined;
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) return undefined;
          const item: unknown = value[i];
          if (item === undefined) return undefined;
          const encoded = encodeFast(item, depth + 1);
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
        const encoded = encodeFast(item, depth + 1);
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

// Object keys sort by UTF-16 code units (the default sort), which every JSON library can reproduce.
const encode = (value: unknown, path: string, depth: number, out: string[]): void => {
  if (depth > MAX_JSON_DEPTH) throw new CanonicalJsonError(path, `nesting deeper than ${MAX_JSON_DEPTH} levels`);
  if (value === null) return void out.push('null');
  switch (typeof value) {
    case 'string':
      return void out.push(JSON.stringify(value));
    case 'boolean':
      return void out.push(value ? 'true' : 'false');
    case 'number':
      // Only safe integers: a fraction in an event is a float that has lost a cent somewhere, and
      // floats print differently across languages, which would break the hash chain for auditors.
      if (!Number.isSafeInteger(value)) {
        throw new CanonicalJsonError(
          path,
          `${String(value)} is not a safe integer; write decimals and amounts as strings`,
        );
      }
      return void out.push(Object.is(value, -0) ? '0' : String(value));
    case 'object': {
      if (value instanceof Decimal) {
        if (!value.isFinite()) throw new CanonicalJsonError(path, `${value.toString()} is not a finite decimal`);
        return void out.push(JSON.stringify(value.isZero() ? '0' : value.toFixed()));
      }
      if (Array.isArray(value)) {
        out.push('[');
        value.forEach((item, i) => {
          if (i > 0) out.push(',');
          if (item === undefined) throw new CanonicalJsonError(childPath(path, i), 'undefined is not JSON');
          encode(item, childPath(path, i), depth + 1, out);
        });
        return void out.push(']');
      }
      if (!isPlainObject(value)) {
        throw new CanonicalJsonError(path, `${Object.prototype.toString.call(value)} is not a plain JSON object`);
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined)
        .sort();
      out.push('{');
      keys.forEach((key, i) => {
        if (i > 0) out.push(',');
        out.push(JSON.stringify(key), ':');
        encode(record[key], childPath(path, key), depth + 1, out);
      });
      return void out.push('}');
    }
    default:
      throw new CanonicalJsonError(path, `${typeof value} is not JSON`);
  }
};

/**
 * The one byte form of a value that hashes and fingerprints are computed over: sorted keys, no
 * whitespace, integers only, decimals as strings, undefined object fields dropped. Throws
 * CanonicalJsonError (with the path) for anything that has no single JSON form.
 */
export const canonicalJson = (value: unknown): string => tryCanonicalJson(value) ?? canonicalJsonReference(value);

/**
 * canonicalJson(value), or undefined where canonicalJson would throw (or, rarely, where the fast
 * walk declines): for hot paths that fall back to canonicalJson only to report the error.
 */
export const tryCanonicalJson = (value: unknown): string | undefined => encodeFast(value, 0);

/** The walk that names the path of what has no canonical form: the reference the fast walk is tested against. */
export const canonicalJsonReference = (value: unknown): string => {
  const out: string[] = [];
  encode(value, '', 0, out);
  return out.join('');
};

/** A JSON object that has a canonical form (validated by encoding it once). */
export const JsonObjectCodec = new t.Type<JsonObject, JsonObject, unknown>(
  'JsonObject',
  (u): u is JsonObject => {
    try {
      return typeof u === 'object' && u !== null && !Array.isArray(u) && (canonicalJson(u), true);
    } catch {
      return false;
    }
  },
  (u, c) => {
    if (typeof u !== 'object' || u === null || Array.isArray(u)) return t.failure(u, c, 'expected a JSON object');
    try {
      canonicalJson(u);
      return t.success(u as JsonObject);
    } catch (error) {
      if (!(error instanceof CanonicalJsonError)) throw error;
      const keys = error.path.split(/[.[\]]+/).filter((k) => k !== '');
      const context = keys.reduce<t.Context>((ctx, key) => t.appendContext(ctx, key, t.unknown, undefined), c);
      return t.failure(u, context, error.reason);
    }
  },
  (a) => a,
);
// JSON Schema cannot bound the nesting without unrolling it, so the rules below the top level are in words.
describeSchema(JsonObjectCodec, {
  title: 'JsonObject',
  description:
    `Any JSON object, nested at most ${MAX_JSON_DEPTH} levels, whose numbers are all safe integers ` +
    '(write decimals and amounts as strings).',
  type: 'object',
});
