import { Decimal } from '@ballast/domain';

/**
 * A state as JSON that restores exactly: decimals as {"$decimal": "1.5"}, sets as {"$set": [...]}.
 * Checkpoints and durable snapshots use it, so a read model can hold the domain's own folded states
 * (no second fold to keep in step with the deciders) and a restarted engine decides on the same state.
 */
export const serializeState = (state: unknown): string =>
  JSON.stringify(state, function replacer(this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    // toFixed drops the sign of -0, and isNegative() tells -0 from 0: keep it.
    if (raw instanceof Decimal) return { $decimal: raw.isZero() && raw.isNegative() ? '-0' : raw.toFixed() };
    if (raw instanceof Set) return { $set: [...raw] };
    return value;
  });

const revive = (_key: string, value: unknown): unknown => {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // A for-in that stops at the second key: cheaper than Object.keys on every object of a state.
    let only: string | undefined;
    let count = 0;
    for (const k in value) {
      only = k;
      if (++count > 1) return value;
    }
    if (only === '$decimal') return new Decimal((value as { $decimal: string }).$decimal);
    if (only === '$set') return new Set((value as { $set: unknown[] }).$set);
  }
  return value;
};

export const deserializeState = <S>(json: string): S => JSON.parse(json, revive) as S;
