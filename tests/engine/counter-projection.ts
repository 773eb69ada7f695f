import type { Projection } from '@ballast/engine';

/** Counts events and throws on a gap or a repeat, so a double count cannot pass unnoticed. */
export const counter: Projection<{ count: number; last: number }> = {
  name: 'counter',
  version: 1,
  initial: { count: 0, last: 0 },
  evolve: (s, e) => {
    if (e.position !== s.last + 1) throw new Error(`gap or repeat: ${s.last} then ${e.position}`);
    return { count: s.count + 1, last: e.position };
  },
};
