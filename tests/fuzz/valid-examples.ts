import {
  agentPreset,
  defaultPoolConfig,
  defiPreset,
  jsonSchemaOf,
  type JsonSchema,
  PoolConfigCodec,
  TreasuryConfigCodec,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';

/**
 * One valid example of each member of a codec, built from the codec's own JSON Schema (the wire form) and kept only
 * if the codec decodes it: the seeds that near-valid input mutates. Built from the schema, so a command or event
 * added later gets its example without anyone writing one; what a schema cannot say (targets that sum to 1) comes
 * from the domain's presets.
 */

export const T0 = Date.UTC(2026, 0, 1);

// Strings tried in order against a field's pattern and length; the first one that fits is the field's example.
const STRING_CANDIDATES = [
  '10',
  '1',
  '0.5',
  '0',
  '2026-03',
  'alpha',
  'BTC',
  'ETH-USD',
  'BTC@bitcoin',
  'SOL',
  'Alpha',
  'a1',
  'A',
  'x',
  'abcdefgh12',
  'a'.repeat(64),
  '2026-01-01T00:00:00Z',
];

/** Whole configs that only the presets can make valid (the schema cannot say targets sum to 1). */
const BY_TITLE: Readonly<Record<string, () => unknown>> = {
  TreasuryConfig: () => TreasuryConfigCodec.encode(agentPreset()),
  PoolConfig: () => PoolConfigCodec.encode(defaultPoolConfig()),
};

const stringExample = (schema: JsonSchema): string => {
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern, 'u') : undefined;
  const min = (schema.minLength as number | undefined) ?? 0;
  const max = (schema.maxLength as number | undefined) ?? Infinity;
  const fits = (s: string) => s.length >= min && s.length <= max && (pattern === undefined || pattern.test(s));
  return STRING_CANDIDATES.find(fits) ?? 'x';
};

const integerExample = (schema: JsonSchema, key: string | undefined): number => {
  const min = (schema.minimum as number | undefined) ?? 0;
  const max = (schema.maximum as number | undefined) ?? Number.MAX_SAFE_INTEGER;
  const wanted = key === 'at' || /At$/.test(key ?? '') ? T0 : key !== undefined && /Ms$/.test(key) ? 3_600_000 : 1;
  return Math.min(max, Math.max(min, wanted));
};

/** A value of the schema: required fields only (optional ones are added by `withOptionals` where they still decode). */
export const exampleOf = (schema: JsonSchema, key?: string): unknown => {
  const byTitle = typeof schema.title === 'string' ? BY_TITLE[schema.title] : undefined;
  if (byTitle !== undefined) return byTitle();
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const anyOf = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (anyOf !== undefined) return exampleOf(anyOf[0]!, key);
  switch (schema.type) {
    case 'string':
      return stringExample(schema);
    case 'integer':
      return integerExample(schema, key);
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'null':
      return null;
    case 'array': {
      const count = Math.min(
        (schema.maxItems as number | undefined) ?? 1,
        Math.max(1, (schema.minItems as number) ?? 0),
      );
      return Array.from({ length: count }, () => exampleOf(schema.items as JsonSchema, key));
    }
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = (schema.required ?? []) as string[];
      return Object.fromEntries(required.map((k) => [k, exampleOf(properties[k]!, k)]));
    }
    default:
      return {};
  }
};

/** Adds each optional field of the root object, one at a time, where the codec still decodes the result. */
const withOptionals = (codec: t.Mixed, schema: JsonSchema, example: Record<string, unknown>): unknown => {
  let out = example;
  for (const [k, field] of Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>)) {
    if (k in out) continue;
    const tried = { ...out, [k]: exampleOf(field, k) };
    if (E.isRight(codec.decode(tried))) out = tried;
  }
  return out;
};

export interface Examples {
  /** Valid wire-form values, one per member (or one for a plain object codec). */
  readonly valid: readonly unknown[];
  /** Members (by `type`) the schema could not make a valid example of. */
  readonly missing: readonly string[];
}

/** Valid examples of a codec, one per tagged-union member, plus `extra` ones written by hand. */
export const validExamples = (codec: t.Mixed, extra: readonly unknown[] = []): Examples => {
  const schema = jsonSchemaOf(codec, { dialect: false });
  const members = (schema.oneOf as JsonSchema[] | undefined) ?? [schema];
  const valid: unknown[] = [];
  const missing: string[] = [];
  for (const member of members) {
    const example = exampleOf(member);
    const full =
      typeof example === 'object' && example !== null && !Array.isArray(example)
        ? withOptionals(codec, member, example as Record<string, unknown>)
        : example;
    if (E.isRight(codec.decode(full))) valid.push(full);
    else if (E.isRight(codec.decode(example))) valid.push(example);
    else missing.push(String(member.title ?? codec.name));
  }
  for (const e of extra) if (E.isRight(codec.decode(e))) valid.push(e);
  return { valid, missing };
};

/** Presets as the wire form: more valid configs to mutate. */
export const CONFIG_EXAMPLES = {
  treasury: () => [TreasuryConfigCodec.encode(agentPreset()), TreasuryConfigCodec.encode(defiPreset())],
  pool: () => [PoolConfigCodec.encode(defaultPoolConfig()), PoolConfigCodec.encode(defaultPoolConfig('micro'))],
};
