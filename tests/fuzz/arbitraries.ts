import * as fc from 'fast-check';

/**
 * Input that a boundary must refuse without a crash: garbage of every JSON shape (and some that JSON cannot carry),
 * and near-valid input, a valid example with one thing wrong. Shared by every fuzz spec.
 */

/** Keys that reach Object.prototype (or shadow its methods) when code reads or writes them with plain `obj[key]`. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  '__defineGetter__',
  'toJSON',
] as const;

/** Numbers a float parser, a range check or an integer check can get wrong. */
export const trickyNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    -0,
    0,
    1,
    -1,
    Number('1e400'),
    -Number('1e400'),
    1e21,
    1e-7,
    0.1 + 0.2,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 1,
    Number.MIN_SAFE_INTEGER - 1,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    8.64e15 + 1,
    2 ** 31,
    2 ** 32,
    -(2 ** 31) - 1,
    65536,
  ),
  fc.double(),
  fc.integer(),
  fc.integer({ min: -2, max: 2 ** 53 }).map((n) => n + 0.5),
);

/** Strings that look like numbers to someone: exponents, signs, radix prefixes, spaces, other scripts' digits. */
export const NUMERIC_STRINGS = [
  '1e3',
  '1E+2',
  '1e-7',
  '1e400',
  '-1e400',
  '2.5e1',
  '-0',
  '-0.0',
  '+1',
  '+0',
  '0x10',
  '0b1',
  '0o7',
  '010',
  ' 1',
  '1 ',
  '\t1\n',
  '.5',
  '5.',
  '-.5',
  '1_000',
  '1,000',
  '1,5',
  'NaN',
  'Infinity',
  '-Infinity',
  'infinity',
  'null',
  'undefined',
  'true',
  '',
  ' ',
  '-',
  '--1',
  '1.2.3',
  '1..2',
  '١٢٣',
  '１２３',
  '²',
  '9'.repeat(40),
  `0.${'0'.repeat(70)}1`,
  '0.0000001',
  '12.3456789',
  '1000000000000000.000001',
  '1000000000000001',
  '9007199254740993',
  '-9007199254740993',
] as const;

/** Characters and strings that break naive text handling: lone surrogates, NUL, bidi overrides, zero-width. */
export const AWKWARD_STRINGS = [
  '\uD800',
  '\uDC00',
  'a\uD800b',
  '\uDFFF\uD800',
  '\u0000',
  'a\u0000b',
  '\u202Ereversed',
  '\u200B',
  '\uFEFF1',
  '𝟙𝟚𝟛',
  '👩‍👩‍👧',
  'é',
  'é',
  '\r\n',
  '"',
  "'",
  '\\',
  '${x}',
  '<script>',
  '%00',
  '../..',
  '$all',
  'treasury-',
  'a'.repeat(129),
  'a'.repeat(65),
] as const;

/** A long string: past every length limit (64, 128, 100,000), up to a megabyte. Rare, because each one costs. */
export const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1_000, max: 1_000_000 }), fc.constantFrom('x', '9', '\u00e9', '\uD83D\uDE00', ',', '{'))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

export const trickyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NUMERIC_STRINGS), weight: 4 },
  { arbitrary: fc.constantFrom(...AWKWARD_STRINGS), weight: 3 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 20 }), weight: 3 },
  { arbitrary: hugeString, weight: 1 },
);

/** An object whose keys are own properties even when they are `__proto__` (as JSON.parse makes them). */
export const ownObject = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
};

/** Sets one own key (defineProperty: `__proto__` becomes a key, never the prototype). */
export const setOwn = (target: Record<string, unknown> | unknown[], key: string | number, value: unknown): void => {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
};

const objectKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 3 },
  { arbitrary: fc.constantFrom('type', 'at', 'amount', 'id', 'config', 'data', 'version'), weight: 3 },
  { arbitrary: fc.string({ maxLength: 8 }), weight: 3 },
  { arbitrary: fc.constantFrom(...AWKWARD_STRINGS), weight: 1 },
);

const nest = (depth: number, asArray: boolean, leaf: unknown): unknown => {
  let value: unknown = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : ownObject([[i % 7 === 0 ? '__proto__' : 'a', value]]);
  return value;
};

// Built once: thousands of levels cost a millisecond each to build, and a decoder must not change its input anyway.
const VERY_DEEP: readonly unknown[] = [
  nest(1_000, true, 1),
  nest(1_000, false, '1'),
  nest(5_000, true, null),
  nest(5_000, false, {}),
  nest(100_000, true, 1),
];

/** Nesting past any limit: arrays or objects deeper than the JSON depth limit (32), up to 100,000 levels. */
export const deeplyNested: fc.Arbitrary<unknown> = fc.oneof(
  fc
    .tuple(fc.integer({ min: 30, max: 120 }), fc.boolean(), fc.constantFrom<unknown>(null, 1, '1', {}, []))
    .map(([depth, asArray, leaf]) => nest(depth, asArray, leaf)),
  fc.constantFrom(...VERY_DEEP),
);

const scalar: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: trickyNumber, weight: 3 },
  { arbitrary: trickyString, weight: 4 },
  { arbitrary: fc.constantFrom<unknown>(null, true, false), weight: 1 },
);

/** Any JSON-shaped value (and the numbers JSON cannot write), objects keyed by prototype names among others. */
export const garbageJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalar, weight: 5 },
    { arbitrary: fc.array(tie('value'), { maxLength: 5 }), weight: 2 },
    {
      arbitrary: fc.array(fc.tuple(objectKey, tie('value')), { maxLength: 6 }).map((entries) => ownObject(entries)),
      weight: 3,
    },
    { arbitrary: deeplyNested, weight: 1 },
  ),
})).value;

/** What a JavaScript caller (not JSON) can pass: undefined, functions, symbols, bigints, class instances, holes. */
export const notJson: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  undefined,
  () => 1,
  Symbol('fuzz'),
  10n,
  new Date(0),
  new Map([['type', 'Deposit']]),
  new Set([1]),
  /x/,
  new Uint8Array(3),
  Object.create(null),
  Object.assign(Object.create(null), { type: 'Deposit' }),
  // eslint-disable-next-line no-sparse-arrays -- a hole is what a JavaScript caller can pass
  [, 1],
  new (class Command {
    type = 'Deposit';
  })(),
  new Error('boom'),
  Promise.resolve(1),
);

export const garbage: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: garbageJson, weight: 8 },
  { arbitrary: notJson, weight: 1 },
);

/** A value as JSON text; what JSON.stringify cannot write (100,000 levels deep, a bigint) as `[]`. */
export const toJsonText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch {
    return '[]';
  }
};

/** JSON text as a client could send it, valid or not: truncated, with duplicate keys, NaN literals, comments. */
export const garbageJsonText: fc.Arbitrary<string> = fc.oneof(
  garbageJson.map(toJsonText),
  fc.constantFrom(
    '',
    '{',
    '}',
    '[',
    '{"type":',
    '{"type":"Deposit","amount":NaN}',
    '{"type":"Deposit","amount":Infinity}',
    '{"type":"Deposit","amount":1e400}',
    '{"type":"Deposit","type":"Withdraw"}',
    '{"__proto__":{"polluted":true},"type":"Deposit"}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"type":"Deposit"} trailing',
    '// comment\n{}',
    "{'type':'Deposit'}",
    '{"type":"\\uD800"}',
    '\uFEFF{}',
    'null',
    '0',
    '"Deposit"',
    '[{"type":"Deposit"}]',
    `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`,
  ),
  trickyString,
);

// --- near-valid input -------------------------------------------------------------------------------------------

type Path = readonly (string | number)[];

/** Paths into a JSON value (the root included), objects' keys and arrays' indexes, down to a depth a mutation needs. */
export const pathsOf = (value: unknown, at: Path = [], out: Path[] = []): Path[] => {
  out.push(at);
  if (at.length >= MAX_MUTATION_DEPTH || out.length >= MAX_MUTATION_PATHS) return out;
  if (Array.isArray(value)) value.forEach((item, i) => pathsOf(item, [...at, i], out));
  else if (typeof value === 'object' && value !== null)
    for (const [key, item] of Object.entries(value)) pathsOf(item, [...at, key], out);
  return out;
};
const MAX_MUTATION_DEPTH = 8;
const MAX_MUTATION_PATHS = 500;

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const valueAt = (root: unknown, path: Path): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], root);

export type Mutation =
  | { readonly op: 'delete' }
  | { readonly op: 'replace'; readonly with: unknown }
  | { readonly op: 'add-key'; readonly key: string; readonly value: unknown }
  | { readonly op: 'wrap-in-array' }
  | { readonly op: 'wrap-in-object' }
  | { readonly op: 'to-string' }
  | { readonly op: 'to-number' }
  | { readonly op: 'numeric-string'; readonly with: string }
  | { readonly op: 'append-text'; readonly with: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ op: 'delete' as const }),
  garbage.map((v) => ({ op: 'replace' as const, with: v })),
  fc.tuple(objectKey, garbageJson).map(([key, value]) => ({ op: 'add-key' as const, key, value })),
  fc.constant({ op: 'wrap-in-array' as const }),
  fc.constant({ op: 'wrap-in-object' as const }),
  fc.constant({ op: 'to-string' as const }),
  fc.constant({ op: 'to-number' as const }),
  fc.constantFrom(...NUMERIC_STRINGS).map((s) => ({ op: 'numeric-string' as const, with: s })),
  fc.oneof(fc.constantFrom(...AWKWARD_STRINGS), hugeString).map((s) => ({ op: 'append-text' as const, with: s })),
);

const changed = (old: unknown, m: Mutation): unknown => {
  switch (m.op) {
    case 'replace':
      return m.with;
    case 'wrap-in-array':
      return [old];
    case 'wrap-in-object':
      return ownObject([['value', old]]);
    case 'to-string':
      return typeof old === 'string' ? old : (JSON.stringify(old) ?? 'undefined');
    case 'to-number':
      return typeof old === 'string' ? Number(old) : typeof old === 'number' ? String(old) : Number.NaN;
    case 'numeric-string':
      return m.with;
    case 'append-text':
      return `${typeof old === 'string' ? old : JSON.stringify(old)}${m.with}`;
    default:
      return old;
  }
};

/** A copy of `valid` with one mutation at the path the index picks (modulo the number of paths). */
export const mutate = (valid: unknown, pathIndex: number, m: Mutation): unknown => {
  const root = clone(valid);
  const paths = pathsOf(root);
  const path = paths[pathIndex % paths.length]!;
  if (m.op === 'add-key') {
    const target = valueAt(root, path);
    if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
      setOwn(target as Record<string, unknown>, m.key, m.value);
      return root;
    }
    return changed(target, { op: 'replace', with: ownObject([[m.key, m.value]]) });
  }
  if (path.length === 0) return m.op === 'delete' ? undefined : changed(root, m);
  const parent = valueAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  const key = path[path.length - 1]!;
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else setOwn(parent, key, changed(parent[key], m));
  return root;
};

/** One to three mutations of one of the valid examples: input that is almost right. */
export const nearValid = (examples: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc
    .tuple(
      fc.integer({ min: 0, max: examples.length - 1 }),
      fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 3 }),
    )
    .map(([i, steps]) => steps.reduce<unknown>((value, [at, m]) => mutateSafely(value, at, m), examples[i]));

// A later step may find what an earlier one left (undefined, a cycle-free but non-JSON value): start from it as is.
const mutateSafely = (value: unknown, at: number, m: Mutation): unknown => {
  try {
    if (JSON.stringify(value) === undefined) return value;
  } catch {
    return value;
  }
  return mutate(value, at, m);
};

/** Garbage and near-valid input for one decoder, about half of each. */
export const boundaryInput = (examples: readonly unknown[]): fc.Arbitrary<unknown> =>
  fc.oneof({ arbitrary: garbage, weight: 1 }, { arbitrary: nearValid(examples), weight: 1 });

/** Whether Object.prototype picked up anything (a pollution by `__proto__` or `constructor.prototype`). */
export const prototypeIsClean = (): boolean =>
  Object.getOwnPropertyNames(Object.prototype).every((k) => PROTOTYPE_SNAPSHOT.has(k)) &&
  ({} as Record<string, unknown>).polluted === undefined;
const PROTOTYPE_SNAPSHOT = new Set(Object.getOwnPropertyNames(Object.prototype));
