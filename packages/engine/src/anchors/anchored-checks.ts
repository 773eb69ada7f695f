import type { KeyObject } from 'node:crypto';
import type { EventStore, VerifyReport } from '@ballast/event-store';
import { type AuditReport, auditStore } from '../audit';
import type { Anchor } from './anchor-codec';
import { type AnchorCheck, AnchorChecker } from './anchor-checker';
import type { AnchorLine } from './anchor-file';
import { HeadTracker } from './head-tracker';
import { AnchorChain } from './anchor-chain';
import { keyIdOf } from './anchor-keys';
import { checkSignature, type PreviousAnchor, signAnchor } from './sign-anchor';

/**
 * `verify --anchor`: every hash chain, and the log against every anchor, in one read. The anchors
 * are judged only when the chains verify (a broken chain is the first thing to say).
 */
export const verifyAgainstAnchors = async (
  store: EventStore,
  lines: readonly AnchorLine[],
  trusted: KeyObject,
): Promise<{ readonly report: VerifyReport; readonly anchors?: AnchorCheck }> => {
  const checker = new AnchorChecker(lines, trusted);
  // Heads only: no event's data is parsed (an audit parses them anyway, for its folds).
  const report = await store.verify({ onHead: checker.observe });
  return report.ok ? { report, anchors: checker.finish() } : { report };
};

/** `audit --anchor`: the audit, and the log and the newest anchor's digest against the anchors, in one read. */
export const auditAgainstAnchors = async (
  store: EventStore,
  lines: readonly AnchorLine[],
  trusted: KeyObject,
): Promise<{ readonly report: AuditReport; readonly anchors?: AnchorCheck }> => {
  const checker = new AnchorChecker(lines, trusted);
  const report = await auditStore(store, {
    observe: checker.observe,
    ...(checker.digestAfter === undefined ? {} : { digestAfter: checker.digestAfter }),
  });
  return report.chains.ok ? { report, anchors: checker.finish(report.digestAfter) } : { report };
};

export type AnchorCreation =
  | { readonly ok: true; readonly anchor: Anchor; readonly report: AuditReport }
  | { readonly ok: false; readonly report: AuditReport };

/**
 * Audits the store and, when the audit passes, signs what it saw: the number of events, the head
 * position, every stream's head and the total digest. A store that fails its audit is never anchored
 * (an anchor vouches for the state, not only the bytes).
 */
export const createAnchor = async (
  store: EventStore,
  signingKey: KeyObject,
  createdAt: string,
  previous?: PreviousAnchor,
): Promise<AnchorCreation> => {
  const log = new HeadTracker();
  const report = await auditStore(store, { observe: (event) => log.add(event) });
  if (!report.ok) return { ok: false, report };
  const anchor = signAnchor(
    {
      createdAt,
      events: log.events,
      headPosition: log.headPosition,
      heads: log.heads(),
      auditDigest: report.totalDigest,
    },
    signingKey,
    previous,
  );
  return { ok: true, anchor, report };
};

/**
 * The last anchor of a file, to append the next one as its changes: only when every line of the file
 * is well signed by this key and rebuilds (otherwise the next anchor lists every head, and stands
 * alone).
 */
export const lastAnchorIn = (lines: readonly AnchorLine[], key: KeyObject): PreviousAnchor | undefined => {
  const chain = new AnchorChain();
  const keyId = keyIdOf(key);
  for (const l of lines) {
    if ('problem' in l || checkSignature(l.anchor, key, keyId) !== undefined) return undefined;
    const rebuilt = chain.next(l.anchor);
    if ('problem' in rebuilt || 'statementOnly' in rebuilt) return undefined;
  }
  return chain.current();
};
