import type { RecordedEvent } from '@ballast/domain';
import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type { AnyKind } from './aggregate-kinds';
import { EngineError } from './engine-error';
import { fromRecorded } from './event-mapping';
import type { Snapshot, SnapshotCache } from './snapshot-cache';

export interface Loaded<S> {
  readonly state: S;
  /** The stream's last revision, or -1 for a stream with no events. */
  readonly revision: number;
}

/**
 * Snapshot plus tail: the state this process holds, else the durable snapshot, else the initial
 * state; then every event after it. A durable snapshot is used only when the event at its revision
 * carries the chain hash it was bound to, so one of another history or beyond the head (a replaced
 * store) is ignored and the stream folded from its first event.
 */
export const loadAggregate = async <S>(
  store: EventStore,
  kind: AnyKind,
  streamId: string,
  cache: SnapshotCache,
): Promise<Loaded<S>> => {
  const cached = cache.get<S>(streamId, kind.foldVersion);
  if (cached) return foldTail(store.readStream(streamId, { from: cached.revision + 1 }), kind, streamId, cache, cached);
  const durable = await cache.loadDurable<S>(streamId, kind.foldVersion);
  if (durable) {
    const events = store.readStream(streamId, { from: durable.revision })[Symbol.asyncIterator]();
    const anchor = await events.next();
    const found: RecordedEvent | undefined = anchor.done ? undefined : anchor.value;
    if (found?.revision === durable.revision && found.hash === durable.hash) {
      cache.confirm(streamId, durable.revision);
      return foldTail({ [Symbol.asyncIterator]: () => events }, kind, streamId, cache, durable);
    }
    await events.return?.();
    cache.reject(
      streamId,
      found === undefined
        ? `revision ${durable.revision} is beyond the stream's head`
        : `the event at revision ${durable.revision} is not the one it folded (another history)`,
    );
  }
  const initial: Snapshot<S> = { revision: -1, foldVersion: kind.foldVersion, state: kind.decider.initialState as S };
  return foldTail(store.readStream(streamId, { from: 0 }), kind, streamId, cache, initial);
};

const foldTail = async <S>(
  tail: AsyncIterable<RecordedEvent>,
  kind: AnyKind,
  streamId: string,
  cache: SnapshotCache,
  from: Snapshot<S>,
): Promise<Loaded<S>> => {
  let { state, revision, hash } = from;
  for await (const recorded of tail) {
    const event = fromRecorded(kind, recorded);
    if (E.isLeft(event)) throw new EngineError('CORRUPT_EVENT', event.left.message, streamId, recorded.revision);
    state = kind.decider.evolve(state, event.right) as S;
    revision = recorded.revision;
    hash = recorded.hash;
  }
  cache.put(streamId, { revision, foldVersion: kind.foldVersion, state, ...(hash === undefined ? {} : { hash }) });
  return { state, revision };
};
