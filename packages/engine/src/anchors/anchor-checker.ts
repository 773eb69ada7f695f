import type { KeyObject } from 'node:crypto';
import type { RecordedEvent } from '@ballast/domain';
import type { Anchor, AnchorStatement } from './anchor-codec';
import type { AnchorLine } from './anchor-file';
import { type AnchorProblem, headDifferences, NAMED_DIFFERENCES } from './anchor-problems';
import { HeadTracker } from './head-tracker';
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

interface Pending {
  readonly line: number;
  readonly anchor: Anchor;
}

/**
 * Compares the log, as it is verified event by event, with every anchor of a file in the same pass:
 * each anchor's signature against the trusted key, then its stream heads against the log's heads
 * after exactly its number of events, and, for the newest anchor, the audit's total digest at that
 * point. An anchor past the log's end means the end was cut off (or an older copy restored).
 */
export class AnchorChecker {
  private readonly log = new HeadTracker();
  private readonly pending: Pending[];
  private readonly problems: AnchorProblem[] = [];
  private problemCount = 0;
  private next = 0;
  private readonly lines: number;
  readonly last: Pending | undefined;

  constructor(lines: readonly AnchorLine[], trusted: KeyObject) {
    this.lines = lines.length;
    const signed: Pending[] = [];
    for (const l of lines) {
      if ('problem' in l) this.note([l.problem]);
      else {
        const bad = checkSignature(l.anchor, trusted);
        if (bad)
          this.note([
            { ...bad, line: l.line, createdAt: l.anchor.createdAt, message: `line ${l.line}: ${bad.message}` },
          ]);
        else signed.push({ line: l.line, anchor: l.anchor });
      }
    }
    this.pending = signed.sort((a, b) => a.anchor.events - b.anchor.events || a.line - b.line);
    this.last = this.pending[this.pending.length - 1];
    this.reach();
  }

  /** The number of events after which the newest anchor's digest is to be taken. */
  get digestAfter(): number | undefined {
    return this.last?.anchor.events;
  }

  readonly observe = (event: RecordedEvent): void => {
    this.log.add(event);
    this.reach();
  };

  /** After the walk; `digest` is the audit's total digest after `digestAfter` events, when folded. */
  finish(digest?: { readonly events: number; readonly totalDigest: string }): AnchorCheck {
    for (; this.next < this.pending.length; this.next++) {
      const { line, anchor } = this.pending[this.next]!;
      const cut: AnchorProblem = {
        code: 'LOG_CUT_OFF',
        line,
        createdAt: anchor.createdAt,
        message:
          `the log holds ${this.log.events} events; the anchor of ${anchor.createdAt} (line ${line}) covers ${anchor.events}: ` +
          'its end was cut off, or an older copy of the store was put back',
      };
      this.note([cut, ...headDifferences(anchor, line, this.log)]);
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
    while (this.next < this.pending.length && this.pending[this.next]!.anchor.events === this.log.events) {
      const { line, anchor } = this.pending[this.next]!;
      this.note(headDifferences(anchor, line, this.log));
      this.next += 1;
    }
  }

  private note(found: readonly AnchorProblem[]): void {
    this.problemCount += found.length;
    this.problems.push(...found.slice(0, NAMED_DIFFERENCES));
  }
}
