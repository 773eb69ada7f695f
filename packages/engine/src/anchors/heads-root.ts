import { createHash } from 'node:crypto';
import type { AnchorHead } from './anchor-codec';

const sha256 = (...parts: (string | Buffer)[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** Every stream's tip as heads, sorted as a root is taken. */
export const headsOfTips = (
  tips: Iterable<readonly [string, { readonly revision: number; readonly hash: string }]>,
): AnchorHead[] => sortHeads([...tips].map(([streamId, t]): AnchorHead => [streamId, t.revision, t.hash]));

/** Heads in the one order a root is taken in: by stream id, compared as UTF-16 code units. */
export const sortHeads = (heads: AnchorHead[]): AnchorHead[] => heads.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/**
 * The Merkle root of every stream's head, sorted by stream id: a leaf is sha256(0x00 ‖ JSON of
 * [streamId, revision, hash]), a node sha256(0x01 ‖ left ‖ right), an odd node last in its level is
 * carried up unchanged. The prefixes keep a leaf from passing for a node (RFC 6962's rule), and a
 * published root lets anyone prove one stream's head with a path of log2(streams) digests. No
 * streams: sha256 of nothing.
 */
export const headsRoot = (sorted: readonly AnchorHead[]): string => {
  if (sorted.length === 0) return sha256().toString('hex');
  let level = sorted.map((head) => sha256(LEAF, JSON.stringify(head)));
  while (level.length > 1) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2)
      up.push(i + 1 < level.length ? sha256(NODE, level[i]!, level[i + 1]!) : level[i]!);
    level = up;
  }
  return level[0]!.toString('hex');
};
