import { sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '@ballast/domain';
import type { Anchor, AnchorHead, AnchorStatement } from './anchor-codec';
import { ANCHOR_FORMAT } from './anchor-codec';
import { headsRoot } from './heads-root';
import { keyIdOf } from './anchor-keys';

/** The bytes signed: the statement's canonical JSON (keys sorted), so any encoder of it agrees. */
export const statementBytes = (statement: AnchorStatement): Buffer => Buffer.from(canonicalJson(statement), 'utf8');

export const statementOf = (anchor: Anchor): AnchorStatement => {
  const { signature: _signature, heads: _heads, changes: _changes, base: _base, ...statement } = anchor;
  return statement;
};

export interface AnchorFacts {
  readonly createdAt: string;
  readonly events: number;
  readonly headPosition: number;
  /** Sorted by stream id (sortHeads). */
  readonly heads: AnchorHead[];
  readonly auditDigest: string;
}

/** The anchor before, to write only the heads that changed since (its root, and its heads by stream). */
export interface PreviousAnchor {
  readonly headsRoot: string;
  readonly heads: ReadonlyMap<string, AnchorTip>;
}

/** A stream's head by its id: its last revision and that event's chain hash. */
export interface AnchorTip {
  readonly revision: number;
  readonly hash: string;
}

export const previousOf = (anchor: { readonly headsRoot: string }, heads: readonly AnchorHead[]): PreviousAnchor => ({
  headsRoot: anchor.headsRoot,
  heads: new Map(heads.map(([streamId, revision, hash]) => [streamId, { revision, hash }])),
});

export const signAnchor = (facts: AnchorFacts, signingKey: KeyObject, previous?: PreviousAnchor): Anchor => {
  const statement: AnchorStatement = {
    format: ANCHOR_FORMAT,
    createdAt: facts.createdAt,
    events: facts.events,
    headPosition: facts.headPosition,
    streams: facts.heads.length,
    headsRoot: headsRoot(facts.heads),
    auditDigest: facts.auditDigest,
    keyId: keyIdOf(signingKey),
  };
  const signature = sign(null, statementBytes(statement), signingKey).toString('base64');
  if (previous === undefined) return { ...statement, signature, heads: facts.heads };
  const changes = facts.heads.filter(([s, r, h]) => {
    const before = previous.heads.get(s);
    return before === undefined || before.revision !== r || before.hash !== h;
  });
  return { ...statement, signature, changes, base: previous.headsRoot };
};

export type SignatureProblem = {
  readonly code: 'ANCHOR_WRONG_KEY' | 'ANCHOR_BAD_SIGNATURE';
  readonly message: string;
};

/**
 * Whether the trusted key signed this statement. A key id that differs names both keys (an anchor
 * re-signed by someone else); the same id with a signature that fails means the statement was
 * edited after signing. The heads are checked against the signed root where they are rebuilt
 * (AnchorChain).
 */
export const checkSignature = (
  anchor: Anchor,
  trusted: KeyObject,
  trustedId = keyIdOf(trusted),
): SignatureProblem | undefined => {
  if (anchor.keyId !== trustedId)
    return { code: 'ANCHOR_WRONG_KEY', message: `signed by key ${anchor.keyId}, not by the trusted key ${trustedId}` };
  if (!verify(null, statementBytes(statementOf(anchor)), trusted, Buffer.from(anchor.signature, 'base64')))
    return {
      code: 'ANCHOR_BAD_SIGNATURE',
      message: `the signature does not verify with key ${trustedId}: the statement was edited after signing`,
    };
  return undefined;
};
