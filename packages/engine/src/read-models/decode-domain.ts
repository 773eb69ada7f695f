import type { RecordedEvent } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { type EventOfKind, kindName, type KindName, kindOfStream } from '../aggregate-kinds';
import { fromRecorded } from '../event-mapping';

/** An event of one registered kind, discriminated by `kind` (its category). */
export type DomainEvent = {
  readonly [K in KindName]: { readonly kind: K; readonly id: string; readonly event: EventOfKind<K> };
}[KindName];

// The last event decoded, by identity: the audit and a set of read models hand the same recorded
// event to several folds in a row, and each would otherwise decode it again (io-ts and decimal
// parsing are most of a fold's cost). Recorded events and decoded events are never changed, so
// sharing one decoding is safe.
let last: { readonly recorded: RecordedEvent; readonly decoded: DomainEvent | undefined } | undefined;

/**
 * A recorded event as the domain event it is, with its aggregate id; undefined for streams outside
 * Ballast's categories. An event of ours that does not decode throws, so the runner retries, then
 * parks it. The result is shared with other callers: read it, never change it.
 */
export const decodeDomain = (recorded: RecordedEvent): DomainEvent | undefined => {
  if (last?.recorded === recorded) return last.decoded;
  const decoded = decodeOnce(recorded);
  last = { recorded, decoded };
  return decoded;
};

const decodeOnce = (recorded: RecordedEvent): DomainEvent | undefined => {
  const kind = kindOfStream(recorded.streamId);
  if (!kind) return undefined;
  const decoded = fromRecorded(kind, recorded);
  if (E.isLeft(decoded)) throw new Error(decoded.left.message);
  const id = recorded.streamId.slice(kind.category.length + 1);
  // The event was decoded by this kind's own codec, so it is that kind's event.
  return { kind: kindName(kind), id, event: decoded.right } as DomainEvent;
};
