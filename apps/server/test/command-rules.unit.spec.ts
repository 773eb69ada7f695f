import { jsonSchemaOf } from '@ballast/domain';
import { AGGREGATE_KINDS } from '@ballast/engine';
import { COMMAND_RULES } from '../src';

/** The command types of a kind, from the JSON Schema of its command codec (a `oneOf` of members with a `type` const). */
const commandTypesOf = (codec: Parameters<typeof jsonSchemaOf>[0]): string[] => {
  const schema = jsonSchemaOf(codec) as { oneOf?: { properties?: { type?: { const?: unknown } } }[] };
  expect(Array.isArray(schema.oneOf)).toBe(true);
  return schema.oneOf!.map((member) => {
    const type = member.properties?.type?.const;
    expect(typeof type).toBe('string');
    return type as string;
  });
};

/** Every kind the command route serves: all but `access`, whose keys have routes of their own. */
const SERVED = Object.entries(AGGREGATE_KINDS).filter(([name]) => name !== 'access');

describe('COMMAND_RULES', () => {
  it('covers exactly the served kinds', () => {
    expect(Object.keys(COMMAND_RULES).sort()).toEqual(SERVED.map(([name]) => name).sort());
  });

  it.each(SERVED)('has a rule for every %s command type, and none for a type that does not exist', (name, kind) => {
    const types = commandTypesOf(kind.commandCodec);
    expect(types.length).toBeGreaterThan(0);
    const rules = Object.keys(COMMAND_RULES[name] ?? {});
    expect({ withoutRule: types.filter((t) => !rules.includes(t)) }).toEqual({ withoutRule: [] });
    expect({ noSuchType: rules.filter((t) => !types.includes(t)) }).toEqual({ noSuchType: [] });
  });

  it('names only fields that the command has, for self and party rules', () => {
    for (const [name, kind] of SERVED) {
      const schema = jsonSchemaOf(kind.commandCodec) as {
        oneOf: { properties: Record<string, unknown> & { type: { const: string } } }[];
      };
      for (const member of schema.oneOf) {
        const rule = COMMAND_RULES[name]?.[member.properties.type.const];
        const fields = [
          rule !== undefined && 'field' in rule ? rule.field : undefined,
          rule !== undefined && 'self' in rule ? rule.self : undefined,
        ].filter((f): f is string => f !== undefined);
        for (const field of fields)
          expect({ command: member.properties.type.const, field, known: field in member.properties }).toEqual({
            command: member.properties.type.const,
            field,
            known: true,
          });
      }
    }
  });
});
