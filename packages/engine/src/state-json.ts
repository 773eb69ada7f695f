import { Decimal } from '@ballast/domain';

/**
 * A state as JSON that restores exactly: decimals as {"$decimal": "1.5"}, sets as {"$set": [...]}.
 * Checkpoints use it, so a read model can hold the domain's own folded states (no second fold to
 * keep in step with the deciders).
 */
export const serializeState = (state: unknown): string =>
  JSON.stringify(state, function replacer(this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    if (raw instanceof Decimal) return { $decimal: raw.toFixed() };
    if (raw instanceof Set) return { $set: [...raw] };
    return value;
  });

export const deserializeState = <S>(json: string): S =>
  JSON.parse(json, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1 && keys[0] === '$decimal') return new Decimal((value as { $decimal: string }).$decimal);
      if (keys.length === 1 && keys[0] === '$set') return new Set((value as { $set: unknown[] }).$set);
    }
    return value;
  }) as S;
