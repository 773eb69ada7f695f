import type { Anchor, AnchorHead } from './anchor-codec';
import { headsOfTips, headsRoot } from './heads-root';
import type { AnchorTip, PreviousAnchor } from './sign-anchor';

/** Why an anchor's heads could not be rebuilt, or do not hash to its signed root. */
export interface ChainProblem {
  readonly code: 'ANCHOR_MALFORMED' | 'ANCHOR_HEADS_ALTERED';
  readonly message: string;
}

/**
 * Rebuilds every anchor's full list of heads in file order: a line with `heads` starts afresh, a
 * line with `changes` applies them to the heads of the anchor before it, whose root it names as
 * `base`. Each rebuilt list must hash to the root the line's signature covers.
 */
export class AnchorChain {
  private heads = new Map<string, AnchorTip>();
  private root: string | undefined;

  /**
   * The anchor's heads, sorted; or why not (the chain then restarts at the next full line). A
   * statement alone (no heads, no changes: what `anchor show --json` prints to publish) has none to
   * give and leaves the chain as it was: it is checked by its root.
   */
  next(
    anchor: Anchor,
  ): { readonly heads: AnchorHead[] } | { readonly statementOnly: true } | { readonly problem: ChainProblem } {
    if (anchor.heads === undefined && anchor.changes === undefined && anchor.base === undefined)
      return { statementOnly: true };
    const full = anchor.heads !== undefined;
    if (full === (anchor.changes !== undefined) || (anchor.changes !== undefined) !== (anchor.base !== undefined)) {
      this.root = undefined;
      return {
        problem: { code: 'ANCHOR_MALFORMED', message: 'an anchor has either heads, or changes with their base' },
      };
    }
    if (!full && anchor.base !== this.root) {
      this.root = undefined;
      return {
        problem: {
          code: 'ANCHOR_MALFORMED',
          message:
            `its changes build on an anchor with root ${anchor.base!.slice(0, 16)}…, which is not the line before it ` +
            '(a line removed or reordered)',
        },
      };
    }
    if (full) this.heads = new Map();
    for (const [streamId, revision, hash] of full ? anchor.heads! : anchor.changes!)
      this.heads.set(streamId, { revision, hash });
    const heads = headsOfTips(this.heads);
    if (heads.length !== anchor.streams || headsRoot(heads) !== anchor.headsRoot) {
      this.root = undefined;
      return {
        problem: {
          code: 'ANCHOR_HEADS_ALTERED',
          message: 'the stream heads listed do not hash to the signed root: the list was edited',
        },
      };
    }
    this.root = anchor.headsRoot;
    return { heads };
  }

  /** The anchor the chain stands at (after the last line that rebuilt), to write only what changes next. */
  current(): PreviousAnchor | undefined {
    return this.root === undefined ? undefined : { headsRoot: this.root, heads: new Map(this.heads) };
  }
}
