import * as t from 'io-ts';
import { COMMAND_DESCRIPTIONS } from './command-descriptions';
import { type JsonSchema, JsonSchemaError, schemaDescriberOf } from './schema-meta';

/** The JSON Schema dialect of every schema here: draft 2020-12, the one OpenAPI 3.1 uses. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

export interface JsonSchemaOptions {
  /**
   * Fields left out of the root object, or of every member of a root tagged union: `['at']` gives commands as a client
   * sends them (the engine stamps `at`). Naming a field the object does not have throws.
   */
  readonly omit?: readonly string[];
  /** Descriptions of the root tagged union's members, by `type` tag. */
  readonly descriptions?: Readonly<Record<string, string>>;
  /** `$schema` (the 2020-12 dialect) at the root; true unless false. Leave it out for an OpenAPI 3.1 component. */
  readonly dialect?: boolean;
}

const NOTHING: ReadonlySet<string> = new Set();

const tagOf = (codec: t.Any): string | undefined => (codec as { _tag?: unknown })._tag as string | undefined;

// io-ts names a combinator it was not given a name for after its structure (`{ a: string }`, `("x" | "y")`): no title.
const titled = (codec: t.Any, schema: JsonSchema): JsonSchema =>
  /[{}<>|"()[\]]/.test(codec.name) || /^(string|number|boolean|null|unknown)$/.test(codec.name)
    ? schema
    : { title: codec.name, ...schema };

/** JSON has no undefined: a union member that is undefined only makes an interface's field optional. */
const isUndefinedCodec = (codec: t.Any): boolean => tagOf(codec) === 'UndefinedType' || tagOf(codec) === 'VoidType';

const walk = (
  codec: t.Any,
  at: string,
  omit: ReadonlySet<string>,
  memberDescriptions: Readonly<Record<string, string>>,
): JsonSchema => {
  const describer = schemaDescriberOf(codec);
  if (describer !== undefined) {
    if (typeof describer !== 'function') return describer;
    return describer({
      schemaOf: (inner, where, innerOmit) => walk(inner, where, innerOmit ?? NOTHING, {}),
      omit,
      at,
      memberDescriptions,
    });
  }
  if (omit.size > 0)
    throw new JsonSchemaError(
      `cannot omit ${[...omit].join(', ')} from ${codec.name} (at ${at}): omit applies to strict objects and tagged unions of them`,
    );
  const inner = (c: t.Any, where: string) => walk(c, where, NOTHING, {});
  const tag = tagOf(codec);
  switch (tag) {
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    case 'NullType':
      return { type: 'null' };
    case 'UnknownType':
    case 'AnyType':
      return {};
    case 'LiteralType':
      return { const: (codec as unknown as t.LiteralType<string | number | boolean>).value };
    case 'KeyofType':
      return titled(codec, {
        type: 'string',
        enum: Object.keys((codec as unknown as t.KeyofType<Record<string, unknown>>).keys),
      });
    case 'UnionType': {
      const members = (codec as unknown as t.UnionType<t.Mixed[]>).types.filter((m) => !isUndefinedCodec(m));
      if (members.length === 0) throw new JsonSchemaError(`no JSON Schema for ${codec.name} (at ${at}): no JSON form`);
      if (members.every((m) => tagOf(m) === 'LiteralType')) {
        const values = members.map((m) => (m as unknown as t.LiteralType<string | number | boolean>).value);
        return titled(codec, {
          ...(values.every((v) => typeof v === 'string') ? { type: 'string' } : {}),
          enum: values,
        });
      }
      return titled(codec, { anyOf: members.map((m, i) => inner(m, `${at} | ${i}`)) });
    }
    case 'InterfaceType':
    case 'PartialType': {
      const props = (codec as unknown as t.InterfaceType<t.Props>).props;
      const required =
        tag === 'PartialType' ? [] : Object.keys(props).filter((key) => !(props[key] as t.Mixed).is(undefined));
      return titled(codec, {
        type: 'object',
        properties: Object.fromEntries(Object.entries(props).map(([key, c]) => [key, inner(c, `${at} > ${key}`)])),
        ...(required.length > 0 ? { required } : {}),
      });
    }
    // `exact` strips unknown fields rather than refusing them, so a schema of what it accepts allows them.
    case 'ExactType':
    case 'StrictType':
    case 'ReadonlyType':
      return inner((codec as unknown as t.ExactType<t.Mixed>).type, at);
    case 'IntersectionType':
      return titled(codec, {
        allOf: (codec as unknown as t.IntersectionType<t.Mixed[]>).types.map((m, i) => inner(m, `${at} & ${i}`)),
      });
    case 'ArrayType':
    case 'ReadonlyArrayType':
      return titled(codec, { type: 'array', items: inner((codec as unknown as t.ArrayType<t.Mixed>).type, `${at}[]`) });
    case 'TupleType': {
      // io-ts tuples drop extra components rather than refusing them.
      const types = (codec as unknown as t.TupleType<t.Mixed[]>).types;
      return titled(codec, {
        type: 'array',
        prefixItems: types.map((m, i) => inner(m, `${at}[${i}]`)),
        minItems: types.length,
      });
    }
    case 'DictionaryType': {
      // t.record; over t.keyof keys it is io-ts's `type` of those keys.
      const { domain, codomain } = codec as unknown as t.DictionaryType<t.Mixed, t.Mixed>;
      const values = inner(codomain, `${at}{}`);
      if (tagOf(domain) === 'StringType') return titled(codec, { type: 'object', additionalProperties: values });
      if (tagOf(domain) === 'KeyofType') {
        // Each key required, other keys let through.
        const keys = Object.keys((domain as unknown as t.KeyofType<Record<string, unknown>>).keys);
        return titled(codec, {
          type: 'object',
          properties: Object.fromEntries(keys.map((key) => [key, values])),
          required: keys,
        });
      }
      throw new JsonSchemaError(
        `no JSON Schema for ${codec.name} (at ${at}): only records keyed by t.string or t.keyof are supported`,
      );
    }
    case 'RefinementType':
      if (codec === (t.Int as t.Any)) return { type: 'integer' };
      throw new JsonSchemaError(
        `no JSON Schema for the refinement ${codec.name} (at ${at}): its predicate cannot be read; ` +
          'register its schema with describeSchema(codec, schema) where it is created',
      );
    default:
      throw new JsonSchemaError(
        tag === undefined
          ? `no JSON Schema for codec ${codec.name} (at ${at}): a hand-built t.Type needs ` +
              'describeSchema(codec, schema) where it is created'
          : `no JSON Schema for codec ${codec.name} (at ${at}): io-ts ${tag} has no JSON form here`,
      );
  }
};

/**
 * The JSON Schema (draft 2020-12) of a codec's wire form: the JSON a client sends and `encode` writes (amounts and
 * decimals as decimal strings, times as epoch milliseconds). Strict objects refuse unknown fields
 * (`additionalProperties: false`), tagged unions are a `oneOf` of members with a `type` const. Throws JsonSchemaError
 * naming the codec (and where it sits) when some part has no schema, rather than answering `{}`.
 */
export const jsonSchemaOf = (codec: t.Any, options: JsonSchemaOptions = {}): JsonSchema => {
  const schema = walk(codec, codec.name, new Set(options.omit ?? []), options.descriptions ?? {});
  return options.dialect === false ? schema : { $schema: JSON_SCHEMA_DIALECT, ...schema };
};

/**
 * The schema of commands as an API client sends them: without `at` (the engine stamps it and refuses it from a client),
 * each member described from COMMAND_DESCRIPTIONS when the codec is a command union named there.
 */
export const commandInputSchema = (codec: t.Any, options: Omit<JsonSchemaOptions, 'omit'> = {}): JsonSchema =>
  jsonSchemaOf(codec, {
    ...options,
    omit: ['at'],
    descriptions: options.descriptions ?? COMMAND_DESCRIPTIONS[codec.name as keyof typeof COMMAND_DESCRIPTIONS],
  });
