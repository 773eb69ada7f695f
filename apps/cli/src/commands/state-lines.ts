/**
 * A folded state (as stateToJson gives it) as lines a person reads: scalars as `name  value`, times
 * (epoch ms under a name ending in At, or `deadline`) in ISO, maps of records (positions, members,
 * claims) one record a line, nested parts as indented sections. Config and id sets are left to --json.
 */
const LEFT_TO_JSON = new Set(['config', 'usedIds']);
const MAX_RECORDS = 20;
const NAME_WIDTH = 14;

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
type JsonObject = { readonly [key: string]: Json };

const isObject = (v: Json): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: Json): boolean => v === null || typeof v !== 'object';
const isTimeName = (name: string): boolean => /At$/.test(name) || name === 'at' || name === 'deadline';

const scalar = (name: string, v: Json): string =>
  typeof v === 'number' && isTimeName(name) && Number.isSafeInteger(v)
    ? new Date(v).toISOString()
    : typeof v === 'string'
      ? v
      : JSON.stringify(v);

/** A value inside one record's line: scalars as such, small objects as `k v`, lists by count. */
const inline = (name: string, v: Json): string => {
  if (isScalar(v)) return scalar(name, v);
  if (Array.isArray(v))
    return v.every(isScalar) && v.length <= 5 ? `[${v.map((x) => scalar(name, x)).join(', ')}]` : `${v.length} items`;
  const entries = Object.entries(v as JsonObject);
  return entries.length === 0 ? '{}' : `{${entries.map(([k, x]) => `${k} ${inline(k, x)}`).join(', ')}}`;
};

const recordLine = (id: string, record: Json): string => {
  if (!isObject(record)) return `${id}  ${inline(id, record)}`;
  // A record usually repeats its own id (positionId, agentId): say it once.
  const fields = Object.entries(record).filter(([k, v]) => !(typeof v === 'string' && v === id && /Id$/.test(k)));
  return `${id}  ${fields.map(([k, v]) => `${k} ${inline(k, v)}`).join(', ')}`;
};

export const stateLines = (state: Json, indent = ''): string[] => {
  if (!isObject(state)) return [`${indent}${inline('state', state)}`];
  const lines: string[] = [];
  for (const [name, v] of Object.entries(state)) {
    if (LEFT_TO_JSON.has(name)) continue;
    const label = `${indent}${name.padEnd(NAME_WIDTH)}`;
    if (!isObject(v)) {
      lines.push(`${label} ${inline(name, v)}`);
      continue;
    }
    const values = Object.values(v);
    if (values.every(isScalar)) {
      lines.push(
        `${label} ${
          values.length === 0
            ? 'none'
            : Object.entries(v)
                .map(([k, x]) => `${k} ${scalar(k, x)}`)
                .join(', ')
        }`,
      );
    } else if (
      values.every(isObject) &&
      values.length > 0 &&
      values.every((r) => Object.values(r as JsonObject).some(isScalar))
    ) {
      lines.push(`${label} ${values.length}`);
      const records = Object.entries(v);
      for (const [id, record] of records.slice(0, MAX_RECORDS)) lines.push(`${indent}  ${recordLine(id, record)}`);
      if (records.length > MAX_RECORDS)
        lines.push(`${indent}  … and ${records.length - MAX_RECORDS} more (--json shows all)`);
    } else {
      lines.push(`${indent}${name}`);
      lines.push(...stateLines(v, `${indent}  `));
    }
  }
  return lines;
};
