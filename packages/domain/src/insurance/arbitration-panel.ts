import { createHash } from 'node:crypto';

/**
 * The arbitration panel: the first `size` eligible members ordered by sha256(claim id ‖ agent id).
 * Deterministic (a replay picks the same panel), unpredictable before the claim id exists, and no
 * member can choose to sit on a panel.
 */
export const choosePanel = <A extends string>(claimId: string, eligible: readonly A[], size: number): A[] =>
  [...eligible]
    .map((agent) => ({ agent, key: createHash('sha256').update(`${claimId}\u0000${agent}`).digest('hex') }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, size)
    .map((x) => x.agent);
