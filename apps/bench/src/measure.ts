import { performance } from 'node:perf_hooks';

export interface Sample {
  readonly ops: number;
  readonly ms: number;
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const rateOf = ({ ops, ms }: Sample): number => (ops / ms) * 1000;

export const time = async (fn: () => Promise<number> | number): Promise<Sample> => {
  const start = performance.now();
  const ops = await fn();
  return { ops, ms: performance.now() - start };
};
