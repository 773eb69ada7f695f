import type { AnchorHead, AnchorStatement } from './anchor-codec';
import type { HeadTracker } from './head-tracker';

export type AnchorProblemCode =
  /** The anchor file's line is not an anchor (bad JSON or a field out of shape). */
  | 'ANCHOR_MALFORMED'
  /** Signed by another key than the one trusted: a forgery, or the wrong key file given. */
  | 'ANCHOR_WRONG_KEY'
  /** The trusted key's signature does not cover this statement: edited after signing. */
  | 'ANCHOR_BAD_SIGNATURE'
  /** The heads listed do not hash to the signed root. */
  | 'ANCHOR_HEADS_ALTERED'
  /** The log holds fewer events than the anchor covers: its end was cut off, or an older copy put back. */
  | 'LOG_CUT_OFF'
  /** A stream the anchor lists is not in the log (up to the anchor's point). */
  | 'STREAM_MISSING'
  /** A stream ends at an earlier revision than anchored: its last events were removed. */
  | 'STREAM_BEHIND'
  /** A stream has more events than anchored at the anchor's point: events were inserted before it. */
  | 'STREAM_AHEAD'
  /** Same revision, another hash: the stream was rewritten and its chain recomputed. */
  | 'STREAM_REPLACED'
  /** A stream the anchor does not list has events before the anchor's point. */
  | 'STREAM_NOT_ANCHORED'
  /** A published statement (no heads listed): the log's heads at its point hash to another root. */
  | 'HEADS_ROOT_DIFFERS'
  /** The audit's digest of the state folded up to the anchor's point differs from the signed one. */
  | 'AUDIT_DIGEST_DIFFERS';

export interface AnchorProblem {
  readonly code: AnchorProblemCode;
  /** 1-based line of the anchor in its file. */
  readonly line: number;
  readonly createdAt?: string;
  readonly streamId?: string;
  /** The anchor's revision of that stream, and the log's. */
  readonly anchored?: number;
  readonly found?: number;
  readonly message: string;
}

/** How many differences are named per anchor; the rest are counted. */
export const NAMED_DIFFERENCES = 10;

/**
 * Every difference between an anchor's heads and the log's heads taken at the same point (after the
 * anchor's number of events; or at the log's end when the log is shorter), stream by stream.
 */
export const headDifferences = (
  anchor: AnchorStatement,
  heads: readonly AnchorHead[],
  line: number,
  log: HeadTracker,
): AnchorProblem[] => {
  const at = { line, createdAt: anchor.createdAt };
  const found: AnchorProblem[] = [];
  const anchored = new Set<string>();
  for (const [streamId, revision, hash] of heads) {
    anchored.add(streamId);
    const tip = log.get(streamId);
    if (tip === undefined)
      found.push({
        code: 'STREAM_MISSING',
        ...at,
        streamId,
        anchored: revision,
        message: `stream ${streamId} (anchored at revision ${revision}) is not in the log`,
      });
    else if (tip.revision < revision)
      found.push({
        code: 'STREAM_BEHIND',
        ...at,
        streamId,
        anchored: revision,
        found: tip.revision,
        message:
          `stream ${streamId} ends at revision ${tip.revision}; the anchor has revision ${revision}: ` +
          `${revision - tip.revision} event(s) removed`,
      });
    else if (tip.revision > revision && log.events <= anchor.events)
      found.push({
        code: 'STREAM_AHEAD',
        ...at,
        streamId,
        anchored: revision,
        found: tip.revision,
        message: `stream ${streamId} is at revision ${tip.revision} after ${log.events} events; the anchor has revision ${revision}`,
      });
    else if (tip.revision === revision && tip.hash !== hash)
      found.push({
        code: 'STREAM_REPLACED',
        ...at,
        streamId,
        anchored: revision,
        found: tip.revision,
        message:
          `stream ${streamId} revision ${revision} has hash ${tip.hash.slice(0, 16)}…; ` +
          `the anchor has ${hash.slice(0, 16)}…: the stream was rewritten`,
      });
  }
  if (log.size() !== anchored.size || found.length > 0)
    for (const streamId of log.streamIds())
      if (!anchored.has(streamId))
        found.push({
          code: 'STREAM_NOT_ANCHORED',
          ...at,
          streamId,
          found: log.get(streamId)!.revision,
          message: `stream ${streamId} is in the log before the anchor's point but not in the anchor`,
        });
  return found;
};
