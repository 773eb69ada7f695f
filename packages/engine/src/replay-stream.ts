import type { InvalidInput } from '@ballast/domain';
import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type { AnyKind } from './aggregate-kinds';
import { fromRecorded } from './event-mapping';

export interface Replayed {
  /** The state after the last event `until` accepted (the initial state when it accepted none). */
  readonly state: unknown;
  /** The revision of that event; -1 when none was accepted. */
  readonly revision: number;
  /** Event time of the stream's first event; undefined when the stream does not exist. */
  readonly firstAt?: number;
}

/**
 * One stream folded from its first event while `until` accepts (by revision or event time): a state
 * as it was, for `ballast replay` and the server's `?at=`. Never reads a snapshot, so it shows
 * exactly what the events say.
 */
export const replayStream = async (
  store: EventStore,
  kind: AnyKind,
  streamId: string,
  until: (e: { revision: number; at: number }) => boolean = () => true,
): Promise<E.Either<InvalidInput & { revision: number }, Replayed>> => {
  let state: unknown = kind.decider.initialState;
  let revision = -1;
  let firstAt: number | undefined;
  for await (const recorded of store.readStream(streamId)) {
    const event = fromRecorded(kind, recorded);
    if (E.isLeft(event)) return E.left({ ...event.left, revision: recorded.revision });
    firstAt ??= event.right.at;
    if (!until({ revision: recorded.revision, at: event.right.at })) break;
    state = kind.decider.evolve(state, event.right);
    revision = recorded.revision;
  }
  return E.right(firstAt === undefined ? { state, revision } : { state, revision, firstAt });
};
