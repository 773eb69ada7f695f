import { jsonSchemaOf } from '@ballast/domain';
import { AGGREGATE_KINDS } from '@ballast/engine';

const cache = new Map<string, ReadonlySet<string>>();

/**
 * The command types a kind's codec takes, from its JSON Schema (a `oneOf` of members with a `type`
 * const), computed once per kind. Empty for a kind that is not served.
 */
export const commandTypesOf = (kind: string): ReadonlySet<string> => {
  const known = cache.get(kind);
  if (known !== undefined) return known;
  const entry = Object.entries(AGGREGATE_KINDS).find(([name]) => name === kind)?.[1];
  const schema = (entry === undefined ? {} : jsonSchemaOf(entry.commandCodec)) as {
    oneOf?: readonly { properties?: { type?: { const?: unknown } } }[];
  };
  const types = new Set(
    (schema.oneOf ?? []).map((m) => m.properties?.type?.const).filter((t): t is string => typeof t === 'string'),
  );
  cache.set(kind, types);
  return types;
};
