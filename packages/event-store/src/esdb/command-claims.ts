import { jsonEvent, type JSONEventType, type EventData, type RecordedEvent as EsdbRecordedEvent } from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import type { AppendResult } from '../port';
import { StoreError } from '../store-error';

/**
 * EventStoreDB cannot index appends by command id in the same transaction as the append, so each
 * command id gets a small claim stream, and every transition on it is a compare-and-set on its
 * revision:
 *
 *   (none | Released) --claim--> Claimed --append ok--> Completed(result)
 *                                   \--append conflict / recovery finds nothing--> Released
 *
 * A writer that dies between the steps leaves a Claimed record; whoever meets it next looks for the
 * command's derived event ids in the target stream after the claimed revision and finishes the
 * record either way. Two writers can never both land the command's events: both append at the exact
 * revision they chained their hashes from, and the server dedupes equal event ids at that revision.
 */
const Revision = t.number;
const ResultCodec = t.type({ streamId: t.string, firstRevision: Revision, nextExpectedRevision: Revision, firstPosition: Revision, lastPosition: Revision });
const ClaimedCodec = t.type({ commandId: t.string, fingerprint: t.string, streamId: t.string, afterRevision: Revision });
const CompletedCodec = t.type({ fingerprint: t.string, result: ResultCodec });
const ReleasedCodec = t.type({ streamId: t.string, afterRevision: Revision });

export type Claimed = t.TypeOf<typeof ClaimedCodec>;
/** Where an earlier, released claim of the same command id might still have landed. */
export type ClaimHistory = t.TypeOf<typeof ReleasedCodec>;

export type ClaimState =
  | { readonly kind: 'free'; readonly revision: number | undefined; readonly history?: ClaimHistory }
  | { readonly kind: 'claimed'; readonly revision: number; readonly claim: Claimed; /** Server time, ms. */ readonly claimedAt: number }
  | { readonly kind: 'completed'; readonly revision: number; readonly fingerprint: string; readonly result: AppendResult };

const decodeOr = <A>(codec: t.Decoder<unknown, A>, value: unknown, where: string): A => {
  const decoded = codec.decode(value);
  if (E.isLeft(decoded)) throw new StoreError('CORRUPT_COMMAND_RECORD', `${where} does not hold a command record this version of Ballast wrote`);
  return decoded.right;
};

/** The claim's state from the last event of its stream (undefined: the stream does not exist). */
export const claimStateOf = (last: EsdbRecordedEvent | undefined, where: string): ClaimState => {
  if (last === undefined) return { kind: 'free', revision: undefined };
  const revision = Number(last.revision);
  switch (last.type) {
    case 'CommandReleased':
      return { kind: 'free', revision, history: decodeOr(ReleasedCodec, last.data, where) };
    case 'CommandClaimed':
      return { kind: 'claimed', revision, claim: decodeOr(ClaimedCodec, last.data, where), claimedAt: last.created.getTime() };
    case 'CommandCompleted': {
      const done = decodeOr(CompletedCodec, last.data, where);
      return { kind: 'completed', revision, fingerprint: done.fingerprint, result: done.result };
    }
    default:
      throw new StoreError('CORRUPT_COMMAND_RECORD', `${where} ends with a ${last.type} event; a command record only holds CommandClaimed, CommandCompleted and CommandReleased`);
  }
};

export const claimedEvent = (claim: Claimed): EventData<JSONEventType> => jsonEvent({ type: 'CommandClaimed', data: claim }) as EventData<JSONEventType>;

export const completedEvent = (fingerprint: string, result: AppendResult): EventData<JSONEventType> =>
  jsonEvent({ type: 'CommandCompleted', data: { fingerprint, result: { ...result } } }) as EventData<JSONEventType>;

export const releasedEvent = (history: ClaimHistory): EventData<JSONEventType> => jsonEvent({ type: 'CommandReleased', data: { ...history } }) as EventData<JSONEventType>;
