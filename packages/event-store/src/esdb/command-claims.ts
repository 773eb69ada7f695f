import {
  jsonEvent,
  type JSONEventType,
  type EventData,
  type RecordedEvent as EsdbRecordedEvent,
} from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import * as t from 'io-ts';
import { createHash } from 'node:crypto';
import type { AppendResult } from '../port';
import { StoreError } from '../store-error';

/**
 * EventStoreDB cannot index appends by command id in the same transaction as the append, so each
 * command id gets a small claim stream, written before the append. A claim names the exact place
 * the command's events go: `streamId` after `afterRevision`, appended at that exact expected
 * revision with event ids derived from the command id. That makes the claim a complete record:
 *
 *   - the event at afterRevision + 1 carries the command's first derived id: it landed (for good);
 *   - another event sits there: it can never land (its append expected afterRevision), the claim is dead;
 *   - nothing there yet: still pending (a writer in flight, or one that died).
 *
 * A pending claim of the same events is finished by whoever meets it, by sending the same events at
 * the same revision: EventStoreDB treats an append whose ids already follow its expected revision as
 * a retry and writes nothing, so racing twins land the events once. Every transition on the claim
 * stream is a compare-and-set on its revision:
 *
 *   (none | Released | dead Claimed) --claim--> Claimed --landed, seen by a reader--> Completed(result)
 *                                          \--pending past the lease, for another command--> Released
 *
 * The writer itself never writes Completed: the claim plus the landed events already answer a retry,
 * and whoever first reads a landed claim records the result, so later reads take one round trip.
 */
const Revision = t.number;
const ResultCodec = t.type({
  streamId: t.string,
  firstRevision: Revision,
  nextExpectedRevision: Revision,
  firstPosition: Revision,
  lastPosition: Revision,
});
/** Where a command's events go. `eventCount` is absent in records from before claims were exact. */
const PlaceCodec = t.intersection([
  t.type({ streamId: t.string, afterRevision: Revision }),
  t.partial({ eventCount: Revision }),
]);
const ClaimedCodec = t.intersection([t.type({ commandId: t.string, fingerprint: t.string }), PlaceCodec]);
const CompletedCodec = t.type({ fingerprint: t.string, result: ResultCodec });

export type Claimed = t.TypeOf<typeof ClaimedCodec>;
/** Where an earlier, released claim of the same command id might still land. */
export type ClaimHistory = t.TypeOf<typeof PlaceCodec>;

export type ClaimState =
  | { readonly kind: 'free'; readonly revision: number | undefined; readonly history?: ClaimHistory }
  | {
      readonly kind: 'claimed';
      readonly revision: number;
      readonly claim: Claimed;
      /** Server time, ms. */ readonly claimedAt: number;
    }
  | {
      readonly kind: 'completed';
      readonly revision: number;
      readonly fingerprint: string;
      readonly result: AppendResult;
    };

const decodeOr = <A>(codec: t.Decoder<unknown, A>, value: unknown, where: string): A => {
  const decoded = codec.decode(value);
  if (E.isLeft(decoded))
    throw new StoreError(
      'CORRUPT_COMMAND_RECORD',
      `${where} does not hold a command record this version of Ballast wrote`,
    );
  return decoded.right;
};

/** The claim's state from the last event of its stream (undefined: the stream does not exist). */
export const claimStateOf = (last: EsdbRecordedEvent | undefined, where: string): ClaimState => {
  if (last === undefined) return { kind: 'free', revision: undefined };
  const revision = Number(last.revision);
  switch (last.type) {
    case 'CommandReleased':
      return { kind: 'free', revision, history: decodeOr(PlaceCodec, last.data, where) };
    case 'CommandClaimed':
      return {
        kind: 'claimed',
        revision,
        claim: decodeOr(ClaimedCodec, last.data, where),
        claimedAt: last.created.getTime(),
      };
    case 'CommandCompleted': {
      const done = decodeOr(CompletedCodec, last.data, where);
      return { kind: 'completed', revision, fingerprint: done.fingerprint, result: done.result };
    }
    default:
      throw new StoreError(
        'CORRUPT_COMMAND_RECORD',
        `${where} ends with a ${last.type} event; a command record only holds CommandClaimed, CommandCompleted and CommandReleased`,
      );
  }
};

/**
 * A claim's event id is derived from everything it says and the claim-stream revision it is written
 * after, so two writers making the very same claim (the same events at the same place: a retry
 * racing its original, or a retry after a lost reply) are deduplicated by the server and both go on
 * to send the same events, which the server deduplicates too. Any other claim gets another id and
 * loses the compare-and-set.
 */
const claimEventId = (claim: Claimed, afterClaimRevision: number | undefined): string => {
  const bytes = createHash('sha256')
    .update(
      `ballast-claim\u0000${claim.commandId}\u0000${claim.fingerprint}\u0000${claim.streamId}` +
        `\u0000${claim.afterRevision}\u0000${claim.eventCount ?? ''}\u0000${afterClaimRevision ?? -1}`,
      'utf8',
    )
    .digest();
  bytes[6] = (bytes[6]! & 0x0f) | 0x80;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
};

export const claimedEvent = (claim: Claimed, afterClaimRevision: number | undefined): EventData<JSONEventType> =>
  jsonEvent({
    id: claimEventId(claim, afterClaimRevision),
    type: 'CommandClaimed',
    data: { ...claim },
  }) as EventData<JSONEventType>;

export const completedEvent = (fingerprint: string, result: AppendResult): EventData<JSONEventType> =>
  jsonEvent({ type: 'CommandCompleted', data: { fingerprint, result: { ...result } } }) as EventData<JSONEventType>;

export const releasedEvent = (history: ClaimHistory): EventData<JSONEventType> =>
  jsonEvent({ type: 'CommandReleased', data: { ...history } }) as EventData<JSONEventType>;
