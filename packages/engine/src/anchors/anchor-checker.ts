import type { KeyObject } from 'node:crypto';
import type { VerifiedHeadHandler } from '@ballast/event-store';
import type { Anchor, AnchorStatement } from './anchor-codec';
import { AnchorChain } from './anchor-chain';
import type { AnchorLine } from './anchor-file';
import { type AnchorProblem, headDifferences, NAMED_DIFFERENCES } from './anchor-problems';
import { HeadTracker } from './head-tracker';
import { headsRoot } from './heads-root';
import { keyIdOf } from './anchor-keys';
import { checkSignature, statementOf } from './sign-anchor';

/** What checking a store against an anchor file found. */
export interface AnchorCheck {
  readonly ok: boolean;
  /** Anchor lines read (valid or not). */
  readonly anchors: number;
  /** The newest well-signed anchor (most events), as signed. */
  readonly last?: AnchorStatement;
  /** Whether the last anchor's audit digest was compared (an audit, with the log reaching its point). */
  readonly digestChecked: boolean;
  /** The first NAMED_DIFFERENCES problems of each anchor, in file order. */
  readonly problems: readonly AnchorProblem[];
  readonly problemCount: number;
}

interface Signed {
  readonly line: number;
  readonly anchor: Anchor;
}

/**
 * Compares the log, as it is verified event by event, with every anchor of a file in the same pass:
 * each anchor's signature against the trusted key, then its stream heads (rebuilt in file order:
 * AnchorChain) against the log's heads after exactly its number of events, and, for the newest
 * anchor, the audit's total digest at that point. An anchor past the log's end means the end was cut
 * off (or an older copy restored). Anchors are kept in file order, which is the order they were
 * written in: a line with fewer events than the one before it is refused. Memory: the statements,
 * and one list of heads at a time.
 */
export class AnchorChecker {
  private readonly log = new HeadTracker();
  private readonly chain = new AnchorChain();
  private readonly signed: Signed[] = [];
  private readonly problems: AnchorProblem[] = [];
  private problemCount = 0;
  private next = 0;
  private readonly lines: number;
  readonly last: Signed | undefined;

  constructor(lines: readonly AnchorLine[], trusted: KeyObject) {
    this.lines = lines.length;
    let events = -1;
    const trustedId = keyIdOf(trusted);
    for (const l of lines) {
      if ('problem' in l) {
        this.note([l.problem]);
        continue;
      }
      const bad = checkSignature(l.anchor, trusted, trustedId);
      const at = { line: l.line, createdAt: l.anchor.createdAt };
      if (bad) this.note([{ ...bad, ...at, message: `line ${l.line}: ${bad.message}` }]);
      else if (l.anchor.events < events)
        this.note([
          {
            code: 'ANCHOR_MALFORMED',
            ...at,
            message: `line ${l.line}: covers ${l.anchor.events} events, fewer than the line before it (${events}): lines out of order`,
          },
        ]);
      else {
        events = l.anchor.events;
        this.signed.push({ line: l.line, anchor: l.anchor });
      }
    }
    this.last = this.signed[this.signed.length - 1];
    this.reach();
  }

  /** The number of events after which the newest anchor's digest is to be taken. */
  get digestAfter(): number | undefined {
    return this.last?.anchor.events;
  }

  readonly observe = (event: Parameters<VerifiedHeadHandler>[0]): void => {
    this.log.add(event);
    if (this.next < this.signed.length && this.signed[this.next]!.anchor.events === this.log.events) this.reach();
  };

  /** After the walk; `digest` is the audit's total digest after `digestAfter` events, when folded. */
  finish(digest?: { readonly events: number; readonly totalDigest: string }): AnchorCheck {
    for (; this.next < this.signed.length; this.next++) {
      const { line, anchor } = this.signed[this.next]!;
      const heads = this.headsOf(line, anchor);
      const cut: AnchorProblem = {
        code: 'LOG_CUT_OFF',
        line,
        createdAt: anchor.createdAt,
        message:
          `the log holds ${this.log.events} events; the anchor of ${anchor.createdAt} (line ${line}) covers ${anchor.events}: ` +
          'its end was cut off, or an older copy of the store was put back',
      };
      this.note([cut, ...(Array.isArray(heads) ? headDifferences(anchor, heads, line, this.log) : [])]);
    }
    let digestChecked = false;
    const last = this.last?.anchor;
    if (last !== undefined && digest !== undefined && digest.events === last.events) {
      digestChecked = true;
      if (digest.totalDigest !== last.auditDigest)
        this.note([
          {
            code: 'AUDIT_DIGEST_DIFFERS',
            line: this.last!.line,
            createdAt: last.createdAt,
            message: `the audit of the first ${last.events} events gives ${digest.totalDigest}; the anchor signed ${last.auditDigest}`,
          },
        ]);
    }
    return {
      ok: this.problemCount === 0,
      anchors: this.lines,
      ...(last ? { last: statementOf(last) } : {}),
      digestChecked,
      problems: this.problems,
      problemCount: this.problemCount,
    };
  }

  /** Checks every anchor whose point the log has just reached. */
  private reach(): void {
    while (this.next < this.signed.length && this.signed[this.next]!.anchor.events === this.log.events) {
      const { line, anchor } = this.signed[this.next]!;
      const heads = this.headsOf(line, anchor);
      if (Array.isArray(heads)) this.note(headDifferences(anchor, heads, line, this.log));
      else if (heads === 'root' && headsRoot(this.log.heads()) !== anchor.headsRoot)
        this.note([
          {
            code: 'HEADS_ROOT_DIFFERS',
            line,
            createdAt: anchor.createdAt,
            message:
              `line ${line}: after ${anchor.events} events the log's stream heads hash to another root than the statement ` +
              `signed (${anchor.headsRoot.slice(0, 16)}…): a stream was cut, rewritten or added; the statement lists no heads, ` +
              'so an anchor file with them names which',
          },
        ]);
      this.next += 1;
    }
  }

  /** The anchor's heads rebuilt, 'root' for a statement alone (checked by its root), undefined when broken. */
  private headsOf(line: number, anchor: Anchor) {
    const rebuilt = this.chain.next(anchor);
    if ('heads' in rebuilt) return rebuilt.heads;
    if ('statementOnly' in rebuilt) return 'root' as const;
    this.note([
      { ...rebuilt.problem, line, createdAt: anchor.createdAt, message: `line ${line}: ${rebuilt.problem.message}` },
    ]);
    return undefined;
  }

  private note(found: readonly AnchorProblem[]): void {
    this.problemCount += found.length;
    this.problems.push(...found.slice(0, NAMED_DIFFERENCES));
  }
}
