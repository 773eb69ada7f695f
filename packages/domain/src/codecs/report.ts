import * as t from 'io-ts';

/** One problem found in input: where (a dotted path such as `events[0].data.amount`) and what. */
export interface InputIssue {
  readonly path: string;
  readonly message: string;
}

/** Bad input as data: the stable code, a one-line summary and every issue with its path. */
export interface InvalidInput {
  readonly code: 'INVALID_INPUT';
  readonly message: string;
  readonly issues: readonly InputIssue[];
}

export const invalidInput = (what: string, issues: readonly InputIssue[]): InvalidInput => ({
  code: 'INVALID_INPUT',
  message: `invalid ${what}: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`,
  issues,
});

const MAX_SHOWN_VALUE_CHARS = 80;

export const describeValue = (value: unknown): string => {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : `number ${String(value)}`;
  if (typeof value === 'bigint') return `bigint ${value.toString()}`;
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  let shown: string;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return shown.length > MAX_SHOWN_VALUE_CHARS ? `${shown.slice(0, MAX_SHOWN_VALUE_CHARS)}…` : shown;
};

// Unions and intersections add index keys to io-ts contexts that are not part of the input's shape.
const isStructural = (type: t.Decoder<unknown, unknown> | undefined): boolean => {
  const tag = (type as { _tag?: string } | undefined)?._tag;
  return tag === 'UnionType' || tag === 'IntersectionType';
};

export const pathOf = (context: t.Context): string => {
  let path = '';
  context.forEach((entry, i) => {
    if (i === 0 || entry.key === '' || isStructural(context[i - 1]?.type)) return;
    path += /^\d+$/.test(entry.key) ? `[${entry.key}]` : path === '' ? entry.key : `.${entry.key}`;
  });
  return path;
};

/**
 * How many issues a refusal lists. An object of 10,000 unknown fields is 10,000 problems: naming each made a
 * 64 KiB body come back as megabytes of error; the first ones say what is wrong, a last line says there is more.
 */
export const MAX_ISSUES = 50;

/** Turns io-ts errors into path-named issues, one per path (the first message found wins), at most MAX_ISSUES. */
export const toIssues = (errors: t.Errors): InputIssue[] => {
  const byPath = new Map<string, string>();
  let unlisted = false;
  for (const error of errors) {
    const path = pathOf(error.context);
    if (byPath.has(path)) continue;
    if (byPath.size === MAX_ISSUES) {
      unlisted = true;
      break;
    }
    const expected = error.context[error.context.length - 1]?.type.name ?? 'a valid value';
    byPath.set(path, error.message ?? `expected ${expected}, got ${describeValue(error.value)}`);
  }
  const issues = [...byPath].map(([path, message]) => ({ path, message }));
  return unlisted ? [...issues, { path: '', message: `more problems not listed (${MAX_ISSUES} are shown)` }] : issues;
};
