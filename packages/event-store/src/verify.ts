import type { RecordedEvent } from '@ballast/domain';
import { canonicalEnvelope, chainHash, GENESIS_HASH } from './hash-chain';
import type { StreamHead } from './port';
import { rowToEvent, type StoredRow } from './stored-row';

export type VerifyProblemKind =
  /** The event's bytes (or its stored hash) differ from what was chained: edited after the fact. */
  | 'HASH_MISMATCH'
  /** A revision is missing or repeated inside a stream: an event was removed or inserted. */
  | 'REVISION_GAP'
  /** Global positions do not strictly increase. */
  | 'POSITION_ORDER'
  /** The stream's recorded head disagrees with its last event: events at the end were removed, or the head edited. */
  | 'HEAD_MISMATCH';

export interface VerifyProblem {
  readonly kind: VerifyProblemKind;
  readonly streamId: string;
  readonly revision: number;
  readonly position?: number;
  readonly message: string;
}

export interface VerifySummary {
  readonly streams: number;
  readonly events: number;
  readonly headPosition: number;
}

export type VerifyReport =
  (VerifySummary & { readonly ok: true }) | (VerifySummary & { readonly ok: false; readonly problem: VerifyProblem });

/** Told of each event whose row has checked out, in global order; a returned promise is awaited. */
export type VerifiedEventHandler = (event: RecordedEvent) => void | Promise<void>;

/** Told of each row that has checked out, in global order: where it sits and its hash, nothing parsed. */
export type VerifiedHeadHandler = (row: {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
  readonly position: number;
}) => void;

interface ChainTip {
  revision: number;
  hash: string;
}

/**
 * The check of one row against the chain so far, in global order: its position follows the last,
 * its revision follows its stream's, and its hash chains from its stream's last. Every reader that
 * proves a log row by row uses it: `verifyChains` over a store's table, `importLog` over an export.
 * Memory grows with the number of streams, not rows.
 */
export class ChainWalker {
  private readonly tips = new Map<string, ChainTip>();
  /** Rows checked, the failing one included (as a report counts them). */
  events = 0;
  headPosition = 0;

  /** Checks the next row; when it checks out it becomes its stream's tip. */
  check(row: StoredRow): VerifyProblem | undefined {
    const at = { streamId: row.streamId, revision: row.revision, position: row.position };
    if (row.position <= this.headPosition)
      return {
        kind: 'POSITION_ORDER',
        ...at,
        message: `position ${row.position} follows position ${this.headPosition}`,
      };
    this.headPosition = row.position;
    this.events += 1;
    const tip = this.tips.get(row.streamId);
    const expectedRevision = tip === undefined ? 0 : tip.revision + 1;
    if (row.revision !== expectedRevision)
      return {
        kind: 'REVISION_GAP',
        ...at,
        message: `stream ${row.streamId}: expected revision ${expectedRevision}, found ${row.revision}`,
      };
    const hash = chainHash(tip?.hash ?? GENESIS_HASH, canonicalEnvelope(row));
    if (hash !== row.hash)
      return {
        kind: 'HASH_MISMATCH',
        ...at,
        message: `stream ${row.streamId} revision ${row.revision}: content does not match its hash chain`,
      };
    if (tip === undefined) this.tips.set(row.streamId, { revision: row.revision, hash });
    else {
      tip.revision = row.revision;
      tip.hash = hash;
    }
    return undefined;
  }

  /** A stream's last checked revision and hash. */
  tip(streamId: string): Readonly<ChainTip> | undefined {
    return this.tips.get(streamId);
  }

  get streams(): number {
    return this.tips.size;
  }

  /** Every stream's tip, in the order streams first appeared. */
  streamTips(): IterableIterator<[string, Readonly<ChainTip>]> {
    return this.tips.entries();
  }
}

/**
 * Walks every stream's chain in global order and stops at the first problem, so the report names
 * the earliest edit in commit order. Memory grows with the number of streams, not events.
 *
 * With `onEvent`, each row is parsed and handed over as soon as its position, revision and hash have
 * checked out, so a caller folds the log in the same pass that verifies it (one read of the table).
 * Rows after the first problem are neither verified nor handed over; the stream heads are checked
 * after the walk, so what a caller folded is proven only when the report says ok.
 */
export const verifyChains = async (
  pages: AsyncIterable<readonly StoredRow[]>,
  heads: (walked: ReadonlySet<string>) => AsyncIterable<StreamHead>,
  onEvent?: VerifiedEventHandler,
  onHead?: VerifiedHeadHandler,
): Promise<VerifyReport> => {
  const walker = new ChainWalker();
  const fail = (problem: VerifyProblem): VerifyReport => ({
    ok: false,
    streams: walker.streams,
    events: walker.events,
    headPosition: walker.headPosition,
    problem,
  });

  for await (const page of pages) {
    // Rows of a page are checked in a plain loop: an await per row would cost more than its hash.
    for (const row of page) {
      const problem = walker.check(row);
      if (problem) return fail(problem);
      onHead?.(row);
      if (onEvent) {
        const handled = onEvent(rowToEvent(row));
        if (handled !== undefined) await handled;
      }
    }
  }

  let streams = 0;
  const walked = new Set([...walker.streamTips()].map(([streamId]) => streamId));
  for await (const head of heads(walked)) {
    streams += 1;
    const tip = walker.tip(head.streamId);
    if (tip === undefined || tip.revision !== head.revision || tip.hash !== head.hash) {
      const last = tip?.revision ?? -1;
      return fail({
        kind: 'HEAD_MISMATCH',
        streamId: head.streamId,
        revision: head.revision,
        message:
          `stream ${head.streamId}: head says revision ${head.revision}, ` +
          `but its events end at ${last < 0 ? 'nothing' : `revision ${last}`}` +
          `${tip && tip.revision === head.revision ? ' with a different hash' : ''}`,
      });
    }
  }
  if (streams !== walker.streams) {
    const known = new Set<string>();
    for await (const head of heads(walked)) known.add(head.streamId);
    const orphan = [...walked].find((s) => !known.has(s))!;
    return fail({
      kind: 'HEAD_MISMATCH',
      streamId: orphan,
      revision: walker.tip(orphan)!.revision,
      message: `stream ${orphan} has events but no recorded head`,
    });
  }
  return { ok: true, streams, events: walker.events, headPosition: walker.headPosition };
};
