import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type { AnyKind } from './aggregate-kinds';
import { EngineError } from './engine-error';
import { fromRecorded } from './event-mapping';
import type { SnapshotCache } from './snapshot-cache';

export interface Loaded<S> {
  readonly state: S;
  /** The stream's last revision, or -1 for a stream with no events. */
  readonly revision: number;
}

/** Snapshot plus tail: the cached state, then every event after it (or the whole stream). */
export const loadAggregate = async <S>(store: EventStore, kind: AnyKind, streamId: string, cache: SnapshotCache): Promise<Loaded<S>> => {
  const snapshot = cache.get<S>(streamId, kind.foldVersion);
  let state = snapshot?.state ?? (kind.decider.initialState as S);
  let revision = snapshot?.revision ?? -1;
  for await (const recorded of store.readStream(streamId, { from: revision + 1 })) {
    const event = fromRecorded(kind, recorded);
    if (E.isLeft(event)) throw new EngineError('CORRUPT_EVENT', event.left.message, streamId, recorded.revision);
    state = kind.decider.evolve(state, event.right) as S;
    revision = recorded.revision;
  }
  cache.put(streamId, { revision, foldVersion: kind.foldVersion, state });
  return { state, revision };
};
