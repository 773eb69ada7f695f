import * as t from 'io-ts';
import { describeValue } from './report';
import { describeSchema, JsonSchemaError } from './schema-meta';

/** A string codec with a pattern and a length range, whose error says what a valid value looks like. */
export const patternString = <B>(
  name: string,
  pattern: RegExp,
  maxLength: number,
  describe: string,
): t.Type<t.Branded<string, B>, string, unknown> => {
  const codec = new t.Type<t.Branded<string, B>, string, unknown>(
    name,
    (u): u is t.Branded<string, B> => typeof u === 'string' && u.length <= maxLength && pattern.test(u),
    (u, c) => {
      if (typeof u !== 'string') return t.failure(u, c, `expected a ${name} string, got ${describeValue(u)}`);
      if (u.length === 0) return t.failure(u, c, `${name} must not be empty`);
      if (u.length > maxLength)
        return t.failure(u, c, `${name} is ${u.length} characters; at most ${maxLength} are allowed`);
      if (!pattern.test(u)) return t.failure(u, c, `${name} ${describeValue(u)} is not valid: ${describe}`);
      return t.success(u as t.Branded<string, B>);
    },
    (a) => a,
  );
  return describeSchema(codec, () => {
    // JSON Schema patterns are ECMA-262 without flags (validators add `u`): a flag such as `i` cannot travel.
    if (pattern.flags !== '' && pattern.flags !== 'u')
      throw new JsonSchemaError(`no JSON Schema for ${name}: its pattern ${String(pattern)} has flags`);
    return { title: name, description: describe, type: 'string', minLength: 1, maxLength, pattern: pattern.source };
  });
};

/** An integer codec with bounds; refuses NaN, ±Infinity, fractions and numeric strings. */
export const boundedInt = (name: string, min: number, max: number): t.Type<number, number, unknown> => {
  const codec = new t.Type<number, number, unknown>(
    name,
    (u): u is number => Number.isSafeInteger(u) && (u as number) >= min && (u as number) <= max,
    (u, c) => {
      if (typeof u !== 'number') return t.failure(u, c, `expected an integer (${name}), got ${describeValue(u)}`);
      if (!Number.isSafeInteger(u)) return t.failure(u, c, `expected an integer (${name}), got ${describeValue(u)}`);
      if (u < min || u > max) return t.failure(u, c, `${name} must be between ${min} and ${max}, got ${u}`);
      return t.success(u);
    },
    (a) => a,
  );
  return describeSchema(codec, { title: name, type: 'integer', minimum: min, maximum: max });
};

/**
 * Any safe integer: the only JSON number the canonical form (and so the hash chain) holds. A codec that took any
 * number would decode a value no store can append (0.5, 5e-324, NaN).
 */
export const SafeIntegerCodec = boundedInt('safe integer', Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);

/** An array codec with a bounded length, so no single input can make us allocate without limit. */
export const boundedArray = <C extends t.Mixed>(item: C, minLength: number, maxLength: number, name: string) => {
  const inner = t.array(item);
  const codec = new t.Type<t.TypeOf<C>[], t.OutputOf<C>[], unknown>(
    name,
    (u): u is t.TypeOf<C>[] => inner.is(u) && u.length >= minLength && u.length <= maxLength,
    (u, c) => {
      if (!Array.isArray(u)) return t.failure(u, c, `expected an array (${name}), got ${describeValue(u)}`);
      if (u.length < minLength) return t.failure(u, c, `${name} needs at least ${minLength} item(s), got ${u.length}`);
      if (u.length > maxLength)
        return t.failure(u, c, `${name} holds ${u.length} items; at most ${maxLength} are allowed`);
      return inner.validate(u, c);
    },
    (a) => inner.encode(a),
  );
  return describeSchema(codec, ({ schemaOf, at }) => ({
    title: name,
    type: 'array',
    items: schemaOf(item, `${at}[]`),
    minItems: minLength,
    maxItems: maxLength,
  }));
};
