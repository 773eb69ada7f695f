import type { InvalidInput, Rejection } from '@ballast/domain';
import { decodeInput } from '@ballast/domain';
import type { AppendResult, EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type { AnyKind } from './aggregate-kinds';
import { EngineError } from './engine-error';
import { type EventContext, fromRecorded, toStored } from './event-mapping';
import { loadAggregate } from './load-aggregate';
import type { SnapshotCache } from './snapshot-cache';

/** How many times a command is re-decided after losing a race for its stream. */
export const MAX_CONFLICT_RETRIES = 5;

export interface Committed {
  readonly streamId: string;
  readonly events: readonly { type: string; at: number }[];
  /** Undefined when the decision produced no events (nothing to append). */
  readonly result?: AppendResult;
  /** True when this command id had already been committed: the first result, nothing appended. */
  readonly replayed: boolean;
}

export type CommandFailure = Rejection<string, unknown> | InvalidInput;

export interface Clock {
  now(): number;
}

/**
 * Load (snapshot + tail), decide, append with the expected revision; on a lost race reload and
 * decide again, a bounded number of times. Idempotent by command id (G2): a retried command returns
 * its first result and appends nothing. The command's time is stamped by the injected clock.
 */
export const executeCommand = async (
  deps: { store: EventStore; cache: SnapshotCache; clock: Clock },
  kind: AnyKind,
  streamId: string,
  input: unknown,
  context: EventContext,
): Promise<E.Either<CommandFailure, Committed>> => {
  if (typeof input === 'object' && input !== null && 'at' in input) {
    return E.left({ code: 'INVALID_INPUT', message: 'invalid command: at: is stamped by the engine clock; leave it out', issues: [{ path: 'at', message: 'is stamped by the engine clock; leave it out' }] });
  }
  const decoded = decodeInput(kind.commandCodec, `${kind.category} command`)({ ...(input as object), at: deps.clock.now() });
  if (E.isLeft(decoded)) return decoded;

  const earlier = await deps.store.commandResult(context.commandId);
  if (earlier !== undefined) return E.right(await replay(deps.store, kind, earlier, context.commandId));

  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = await loadAggregate(deps.store, kind, streamId, deps.cache);
    const decision = kind.decider.decide(decoded.right, loaded.state);
    const events = E.isRight(decision) ? decision.right : decision.left.recorded;
    if (events.length === 0) return E.isRight(decision) ? E.right({ streamId, events: [], replayed: false }) : decision;

    const appended = await deps.store.append(
      streamId,
      events.map((e) => toStored(kind, e, context)),
      { expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision, commandId: context.commandId },
    );
    if (E.isLeft(appended)) {
      if (appended.left.code === 'WRONG_EXPECTED_REVISION') {
        deps.cache.forget(streamId);
        continue;
      }
      // Same id, different events: another process committed this command id first; answer with it.
      if (appended.left.code === 'COMMAND_ID_REUSED') {
        const first = await deps.store.commandResult(context.commandId);
        if (first) return E.right(await replay(deps.store, kind, first, context.commandId));
      }
      throw new EngineError('UNEXPECTED_STORE_REFUSAL', `${streamId}: the store refused events the decider produced: ${appended.left.message}`, streamId);
    }
    deps.cache.put(streamId, { revision: appended.right.nextExpectedRevision, foldVersion: kind.foldVersion, state: events.reduce((s, e) => kind.decider.evolve(s, e), loaded.state) });
    return E.isRight(decision) ? E.right({ streamId, events, result: appended.right, replayed: false }) : decision;
  }
  throw new EngineError('CONFLICT_RETRIES_EXHAUSTED', `${streamId}: lost the race for the stream ${MAX_CONFLICT_RETRIES + 1} times`, streamId);
};

const replay = async (store: EventStore, kind: AnyKind, result: AppendResult, commandId: string): Promise<Committed> => {
  const events: { type: string; at: number }[] = [];
  // By revision, not position: positions are sparse in some stores (EventStoreDB's are log offsets).
  for await (const recorded of store.readStream(result.streamId, { from: result.firstRevision, maxCount: result.nextExpectedRevision - result.firstRevision + 1 })) {
    if (recorded.metadata.commandId !== commandId) continue;
    const event = fromRecorded(kind, recorded);
    if (E.isLeft(event)) throw new EngineError('CORRUPT_EVENT', event.left.message, recorded.streamId, recorded.revision);
    events.push(event.right);
  }
  return { streamId: result.streamId, events, result, replayed: true };
};
