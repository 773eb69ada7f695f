import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { describeValue } from './report';
import { describeSchema, JsonSchemaError } from './schema-meta';

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u) && Object.getPrototypeOf(u) === Object.prototype;

type StrictOf<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.TypeOf<R[K]> } & {
  [K in keyof O]?: t.TypeOf<O[K]>;
};
/** The wire form: what `encode` writes and what a typed caller may pass before decoding. */
type StrictOutputOf<R extends t.Props, O extends t.Props> = { [K in keyof R]: t.OutputOf<R[K]> } & {
  [K in keyof O]?: t.OutputOf<O[K]>;
};

/**
 * An object codec that refuses unknown fields instead of stripping them (io-ts `exact` strips): a
 * misspelt field in a money command must be an error, not silently ignored. Every field's error is
 * reported under the field's own path.
 */
export const strict = <R extends t.Props, O extends t.Props = Record<never, never>>(
  required: R,
  optional: O = {} as O,
  name: string,
): t.Type<StrictOf<R, O>, StrictOutputOf<R, O>, unknown> => {
  const fields: [string, t.Mixed, boolean][] = [
    ...Object.entries(required).map(([k, c]): [string, t.Mixed, boolean] => [k, c, true]),
    ...Object.entries(optional).map(([k, c]): [string, t.Mixed, boolean] => [k, c, false]),
  ];
  const known = new Set(fields.map(([k]) => k));
  const allowed = [...known].join(', ');
  type A = StrictOf<R, O>;
  type W = StrictOutputOf<R, O>;

  const count = fields.length;
  const keys = fields.map(([k]) => k);
  const codecs = fields.map(([, c]) => c);
  const requiredAt = fields.map(([, , r]) => r);

  /**
   * The decoding of valid input without building an io-ts context per field (an array copy each)
   * or an error list: most of a decode's cost when every event of a log is read. Fields' own codecs
   * see the object's context, which only failures use, so on the first doubt this gives up
   * (undefined) and `validate` decodes again the long way to name every problem by its path.
   * Output is the same object, fields in the same order.
   */
  const validateValid = (u: Record<string, unknown>, c: t.Context): Record<string, unknown> | undefined => {
    for (const key in u) if (!known.has(key)) return undefined;
    const out: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const key = keys[i]!;
      const value = u[key];
      if (value === undefined) {
        if (requiredAt[i] || Object.prototype.hasOwnProperty.call(u, key)) return undefined;
        continue;
      }
      const result = codecs[i]!.validate(value, c);
      if (result._tag === 'Left') return undefined;
      out[key] = result.right;
    }
    return out;
  };

  const validate: t.Validate<unknown, A> = (u, c) => {
    if (!isPlainObject(u)) return t.failure(u, c, `expected an object, got ${describeValue(u)}`);
    const valid = validateValid(u, c);
    if (valid !== undefined) return t.success(valid as A);
    const errors: t.ValidationError[] = [];
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(u)) {
      if (!known.has(key))
        errors.push({
          value: u[key],
          context: t.appendContext(c, key, t.never, u[key]),
          message: `unknown field (allowed: ${allowed})`,
        });
    }
    for (const [key, codec, isRequired] of fields) {
      const present = Object.prototype.hasOwnProperty.call(u, key);
      if (!present && !isRequired) continue;
      const context = t.appendContext(c, key, codec, u[key]);
      if (!present) {
        errors.push({ value: undefined, context, message: 'is required' });
        continue;
      }
      if (u[key] === undefined) {
        errors.push({
          value: undefined,
          context,
          message: isRequired ? 'is required' : 'is present but undefined; omit it instead',
        });
        continue;
      }
      const result = codec.validate(u[key], context);
      if (E.isLeft(result)) errors.push(...result.left);
      else out[key] = result.right;
    }
    return errors.length > 0 ? t.failures(errors) : t.success(out as A);
  };

  const codec = new t.Type<A, W, unknown>(
    name,
    // `is` checks the decoded form (a Decimal where the wire has a string), as io-ts unions need.
    (u): u is A =>
      isPlainObject(u) &&
      Object.keys(u).every((k) => known.has(k)) &&
      fields.every(([k, codec, isRequired]) =>
        Object.prototype.hasOwnProperty.call(u, k) ? codec.is(u[k]) : !isRequired,
      ),
    validate,
    (a) =>
      Object.fromEntries(
        fields.filter(([k]) => k in a).map(([k, codec]) => [k, codec.encode((a as Record<string, unknown>)[k])]),
      ) as W,
  );
  // The wire form: a JSON object with exactly these fields, the required ones present.
  return describeSchema(codec, ({ schemaOf, omit, at }) => {
    for (const key of omit)
      if (!known.has(key))
        throw new JsonSchemaError(`cannot omit "${key}" from ${name} (at ${at}): its fields are ${allowed}`);
    const kept = fields.filter(([key]) => !omit.has(key));
    const required = kept.filter(([, , isRequired]) => isRequired).map(([key]) => key);
    return {
      title: name,
      type: 'object',
      properties: Object.fromEntries(kept.map(([key, field]) => [key, schemaOf(field, `${at} > ${key}`)])),
      ...(required.length > 0 ? { required } : {}),
      additionalProperties: false,
    };
  });
};
