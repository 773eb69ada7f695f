import type { StoredSnapshot } from '@ballast/event-store';
import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { deserializeState, serializeState } from './state-json';

/** A folded state at a revision; `hash` is the chain hash of the event at that revision, when known. */
export interface Snapshot<S> {
  readonly revision: number;
  readonly foldVersion: number;
  readonly state: S;
  readonly hash?: string;
}

/**
 * Snapshot text: `{"chainHash":H,"stateSha256":D,"state":S}`. The chain hash binds the state to the
 * exact history it folds (the event at its revision, and through the chain every event before it),
 * so a snapshot of a replaced or rewritten stream is never taken for this one; the state's own
 * digest catches a changed byte that would still parse. The hashes are fixed-length hex, so the
 * state's text is found by position and digested exactly as it was written.
 */
const HEX64 = '[0-9a-f]{64}';
const PREFIX = new RegExp(`^\\{"chainHash":"(${HEX64})","stateSha256":"(${HEX64})","state":`);
const PREFIX_LENGTH = '{"chainHash":"","stateSha256":"","state":'.length + 128;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const encodeSnapshot = (streamId: string, snapshot: Snapshot<unknown> & { hash: string }): StoredSnapshot => {
  const state = serializeState(snapshot.state);
  const stateJson = `{"chainHash":"${snapshot.hash}","stateSha256":"${sha256(state)}","state":${state}}`;
  return { streamId, foldVersion: snapshot.foldVersion, revision: snapshot.revision, stateJson };
};

/**
 * A stored snapshot back into a state, or why it cannot be used. The caller still checks the chain
 * hash against the event at `revision` (which also finds a revision beyond the stream's head).
 */
export const decodeSnapshot = <S>(
  stored: StoredSnapshot,
  expected: { streamId: string; foldVersion: number },
): E.Either<string, Snapshot<S> & { hash: string }> => {
  if (stored.streamId !== expected.streamId) return E.left(`it belongs to stream ${stored.streamId}`);
  if (stored.foldVersion !== expected.foldVersion)
    return E.left(`fold version ${stored.foldVersion}, this engine folds version ${expected.foldVersion}`);
  if (!Number.isSafeInteger(stored.revision) || stored.revision < 0)
    return E.left(`revision ${stored.revision} is not a revision`);
  const text = stored.stateJson;
  const prefix = PREFIX.exec(text.slice(0, PREFIX_LENGTH));
  if (prefix === null || !text.endsWith('}')) return E.left('its text is not a snapshot envelope');
  const stateText = text.slice(PREFIX_LENGTH, -1);
  if (sha256(stateText) !== prefix[2]) return E.left('its state does not match its digest');
  try {
    return E.right({
      revision: stored.revision,
      foldVersion: stored.foldVersion,
      hash: prefix[1]!,
      state: deserializeState<S>(stateText),
    });
  } catch (error) {
    return E.left(`its state does not parse: ${(error as Error).message}`);
  }
};
