import { jsonSchemaOf } from '@ballast/domain';
import { AGGREGATE_KINDS } from '@ballast/engine';
import { COMMAND_RULES } from '../src';
import { authorizeCommand } from '../src/authorize';
import { commandTypesOf } from '../src/command-types';

/** Every kind the command route serves: all but `access`, whose keys have routes of their own. */
const SERVED = Object.entries(AGGREGATE_KINDS).filter(([name]) => name !== 'access');

describe('COMMAND_RULES', () => {
  it('covers exactly the served kinds', () => {
    expect(Object.keys(COMMAND_RULES).sort()).toEqual(SERVED.map(([name]) => name).sort());
  });

  it.each(SERVED)('has a rule for every %s command type, and none for a type that does not exist', (name, kind) => {
    const types = [...commandTypesOf(name)];
    expect(kind.commandCodec).toBeDefined();
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

describe('authorizeCommand fails closed', () => {
  it('refuses a known command type that has no rule to every key, operators included', () => {
    const rules = COMMAND_RULES.treasury as Record<string, unknown>;
    const kept = rules.Swap;
    delete rules.Swap;
    try {
      for (const role of ['operator', 'agent', 'service'] as const) {
        const refusal = authorizeCommand({ keyId: 'k', id: 'a', role }, 'treasury', 'a', { type: 'Swap' });
        expect(refusal).toBeDefined();
      }
    } finally {
      rules.Swap = kept;
    }
    expect(authorizeCommand({ keyId: 'k', id: 'ops', role: 'operator' }, 'treasury', 'a', { type: 'Swap' })).toBe(
      undefined,
    );
    // An unknown type is left to the codec (400 naming the known types), not answered 403.
    expect(authorizeCommand({ keyId: 'k', id: 'a', role: 'agent' }, 'treasury', 'a', { type: 'NoSuch' })).toBe(
      undefined,
    );
  });
});
