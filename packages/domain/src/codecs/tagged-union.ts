import * as t from 'io-ts';
import { describeValue } from './report';
import { describeSchema } from './schema-meta';

/**
 * A union discriminated by `type` that decodes with the one member the tag names, so an error
 * says what is wrong with *that* command or event rather than listing every member's complaints
 * (which is what a plain io-ts union reports).
 */
/** Each member's io-ts name must be its `type` tag (as `timedRecord` names them). */
export const taggedUnion = <CS extends readonly [t.Mixed, t.Mixed, ...t.Mixed[]]>(name: string, all: CS) => {
  const members: Record<string, t.Mixed> = Object.fromEntries(all.map((codec) => [codec.name, codec]));
  const tags = Object.keys(members);
  const memberOf = new Map<string, t.Mixed>(Object.entries(members));
  type A = t.TypeOf<CS[number]>;
  // The wire form of whichever member the tag names: what a typed caller may pass before decoding.
  type W = t.OutputOf<CS[number]>;
  const codec = new t.Type<A, W, unknown>(
    name,
    (u): u is A =>
      typeof u === 'object' &&
      u !== null &&
      typeof (u as { type?: unknown }).type === 'string' &&
      // By the map, not the record: a tag such as `__proto__` or `toString` must not find Object.prototype's members.
      (memberOf.get((u as { type: string }).type)?.is(u) ?? false),
    (u, c) => {
      const tag = typeof u === 'object' && u !== null ? (u as { type?: unknown }).type : undefined;
      if (typeof tag !== 'string')
        return t.failure(u, c, `expected a ${name} object with a "type" field, got ${describeValue(u)}`);
      const member = memberOf.get(tag);
      if (member === undefined) {
        return t.failure(
          tag,
          t.appendContext(c, 'type', t.string, tag),
          `unknown ${name} type ${describeValue(tag)} (known: ${tags.join(', ')})`,
        );
      }
      return member.validate(u, c) as t.Validation<A>;
    },
    (a) => {
      const member = memberOf.get((a as { type: string }).type);
      if (member === undefined) throw new Error(`${name}: cannot encode unknown type ${(a as { type: string }).type}`);
      return member.encode(a) as W;
    },
  );
  // One member per `type` tag, so exactly one matches: `oneOf`, each member's `type` a const.
  return describeSchema(codec, ({ schemaOf, omit, at, memberDescriptions }) => ({
    title: name,
    oneOf: all.map((member) => {
      const { title, ...schema } = schemaOf(member, `${at} > ${member.name}`, omit);
      const description = memberDescriptions[member.name];
      return {
        ...(title === undefined ? {} : { title }),
        ...(description === undefined ? {} : { description }),
        ...schema,
      };
    }),
  }));
};
