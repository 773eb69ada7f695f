import { COMMAND_RULES, type CommandRule } from './command-rules';
import { commandTypesOf } from './command-types';
import type { Principal } from './principals';
import { own } from './own';

export interface Forbidden {
  readonly status: 403;
  readonly code: 'FORBIDDEN';
  readonly message: string;
  readonly details: Readonly<Record<string, string>>;
}

/** What `party` rules need of an escrow: its parties as recorded (undefined before it exists). */
export interface EscrowParties {
  readonly payer?: string;
  readonly payee?: string;
}

const forbidden = (p: Principal, kind: string, id: string, type: string, why: string): Forbidden => ({
  status: 403,
  code: 'FORBIDDEN',
  message: `${p.role} ${p.id} may not send ${type} to ${kind} ${id}: ${why}`,
  details: { principal: p.id, role: p.role, kind, id, command: type },
});

/** The rule for a command, or undefined for a kind or type the API does not take (the codec names those). */
export const ruleOf = (kind: string, type: string): CommandRule | undefined =>
  own(own(COMMAND_RULES, kind) ?? {}, type);

/**
 * Decides whether a principal may send one command, before it is decoded or executed. Pure: the
 * escrow's parties are looked up by the caller only for `party` rules. Services only read.
 */
export const authorizeCommand = (
  p: Principal,
  kind: string,
  id: string,
  command: Readonly<Record<string, unknown>>,
  parties?: EscrowParties,
): Forbidden | undefined => {
  const type = String(command.type);
  const rule = ruleOf(kind, type);
  const no = (why: string) => forbidden(p, kind, id, type, why);
  if (rule === undefined)
    // An unknown type is the codec's to name (400 with the known types), not a permission question; a
    // known type without a rule is refused to everyone (fail closed) until a rule is written for it.
    return commandTypesOf(kind).has(type) ? no('no permission rule is written for it yet') : undefined;
  if (p.role === 'service') return no('a service key only reads');
  const selfField = (field: string | undefined): Forbidden | undefined =>
    field !== undefined && command[field] !== undefined && command[field] !== p.id
      ? no(`${field} must be ${p.id}, the key's own principal, not ${JSON.stringify(command[field])}`)
      : undefined;
  switch (rule.who) {
    case 'internal':
      return no('only the server writes it, as one leg of a transfer or escrow it settles');
    case 'operator':
      return p.role === 'operator' ? selfField(rule.self) : no('it needs an operator key');
    case 'owner':
      return p.role === 'operator' || p.id === id ? undefined : no(`an agent acts only on its own treasury (${p.id})`);
    case 'self':
      if (p.role === 'operator' && !rule.strict) return undefined;
      return selfField(rule.field);
    case 'party': {
      if (p.role === 'operator') return selfField(rule.self);
      const allowed = rule.parties.filter((party) => parties?.[party] === p.id);
      if (allowed.length === 0) return no(`only the escrow's ${rule.parties.join(' or ')} may`);
      return selfField(rule.self);
    }
  }
};
