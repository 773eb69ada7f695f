import type { EscrowEvent, PoolEvent, RecordedEvent, TreasuryEvent } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { ESCROW, kindOfStream, POOL, TREASURY } from '../aggregate-kinds';
import { fromRecorded } from '../event-mapping';

export type DomainEvent =
  | { readonly kind: 'treasury'; readonly id: string; readonly event: TreasuryEvent }
  | { readonly kind: 'pool'; readonly id: string; readonly event: PoolEvent }
  | { readonly kind: 'escrow'; readonly id: string; readonly event: EscrowEvent };

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
  if (kind === TREASURY) return { kind: 'treasury', id, event: decoded.right as TreasuryEvent };
  if (kind === POOL) return { kind: 'pool', id, event: decoded.right as PoolEvent };
  if (kind === ESCROW) return { kind: 'escrow', id, event: decoded.right as EscrowEvent };
  return undefined;
};
