import { COMMAND_RULES, type CommandRule } from '../command-rules';

const selfClause = (field: string | undefined): string =>
  field === undefined ? '' : `; \`${field}\` must be the sender’s own principal`;

/** Who may send a command under its rule, in a sentence. */
export const whoMay = (rule: CommandRule): string => {
  switch (rule.who) {
    case 'internal':
      return 'nobody over the API: only the server’s process managers write it';
    case 'operator':
      return `an operator${selfClause(rule.self)}`;
    case 'owner':
      return 'the agent whose treasury it is (the `{id}` in the path), or an operator';
    case 'self':
      return rule.strict
        ? `only the principal named in \`${rule.field}\` (operators too)`
        : `an agent naming itself in \`${rule.field}\`, or an operator naming anyone`;
    case 'party':
      return `the escrow’s ${rule.parties.join(' or ')} as recorded, or an operator${selfClause(rule.self)}`;
  }
};

/** The Markdown list, from COMMAND_RULES, of who may send each command type of a kind. */
export const rolesDescription = (kind: string): string => {
  const rules = COMMAND_RULES[kind] ?? {};
  const lines = Object.entries(rules).map(([type, rule]) => `- \`${type}\`: ${whoMay(rule)}`);
  return [
    'Who may send each command type (a service key only reads; anything else is 403 FORBIDDEN, naming the rule):',
    '',
    ...lines,
  ].join('\n');
};
