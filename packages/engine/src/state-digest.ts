import { canonicalJson, Decimal } from '@ballast/domain';
import { createHash } from 'node:crypto';

/**
 * A state as canonical JSON: decimals as strings, sets as sorted arrays, maps as sorted objects,
 * keys sorted. Two folds that agree byte for byte here are the same state (G1).
 */
export const stateToJson = (value: unknown): unknown => {
  if (value instanceof Decimal) return value.toFixed();
  if (value instanceof Set) {
    // Each element's JSON text is computed once, not twice per comparison; the order is the same.
    const items = [...value].map((v) => {
      const json = stateToJson(v);
      return { json, text: JSON.stringify(json) };
    });
    return items.sort((a, b) => (a.text < b.text ? -1 : 1)).map((item) => item.json);
  }
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), stateToJson(v)]));
  if (Array.isArray(value)) return value.map(stateToJson);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stateToJson(v)]));
  return value;
};

export const stateDigest = (state: unknown): string =>
  createHash('sha256')
    .update(canonicalJson(stateToJson(state)))
    .digest('hex');
