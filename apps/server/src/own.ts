/**
 * A record's own entry, never an inherited one: names from a URL or a key (`constructor`,
 * `__proto__`, `toString`) must not find Object.prototype's members.
 */
export const own = <V>(record: Readonly<Record<string, V>>, key: string): V | undefined =>
  Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
