import { createHash } from 'node:crypto';
import type { InputIssue, InvalidInput, Rejection } from '@ballast/domain';
import {
  ActorIdCodec,
  canonicalJson,
  CommandIdCodec,
  decodeInput,
  describeValue,
  invalidInput,
  patternString,
} from '@ballast/domain';
import type { AppendResult, EventStore, NewEventInput } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import type * as t from 'io-ts';
import type { AnyKind } from './aggregate-kinds';
import { EngineError } from './engine-error';
import { type EventContext, fromRecorded, toStored } from './event-mapping';
import { loadAggregate } from './load-aggregate';
import type { SnapshotCache } from './snapshot-cache';

/** How many times a command is re-decided after losing a race for its stream. */
export const MAX_CONFLICT_RETRIES = 5;

/**
 * The longest aggregate id a caller may choose. Stream ids are `<category>-<id>` and the store takes
 * 128 characters; 100 leaves room for every category, so the limit a caller meets is the one of the
 * id they chose, never a store error about a prefix they did not write.
 */
export const MAX_AGGREGATE_ID_LENGTH = 100;
/** The store's own limit on command ids (and on correlation, causation and actor ids). */
export const MAX_COMMAND_ID_LENGTH = 128;

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

const ID_CHARS = 'letters, digits and _ . : - (starting with a letter or digit)';
const AggregateIdCodec = patternString<{ readonly AggregateId: unique symbol }>(
  'AggregateId',
  /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/,
  MAX_AGGREGATE_ID_LENGTH,
  ID_CHARS,
);

// Each id is checked by the codec the store itself uses, so the engine never lets through an id the
// store would throw on; the message is ours, so it names the caller's field rather than a codec.
const idIssue = (
  path: string,
  value: unknown,
  codec: t.Decoder<unknown, unknown>,
  maxLength: number,
  chars: string,
): InputIssue[] => {
  if (E.isRight(codec.decode(value))) return [];
  if (typeof value !== 'string' || value === '')
    return [{ path, message: `must be a non-empty string, got ${describeValue(value)}` }];
  if (value.length > maxLength)
    return [{ path, message: `is ${value.length} characters; at most ${maxLength} are allowed` }];
  return [{ path, message: `${describeValue(value)} is not valid: ${chars}` }];
};

/** The aggregate id as the caller wrote it: the stream id without the kind's `<category>-` prefix. */
const callerId = (
  kind: AnyKind,
  streamId: string,
): { path: string; value: string; codec: t.Decoder<unknown, unknown>; maxLength: number } =>
  streamId.startsWith(`${kind.category}-`)
    ? {
        path: 'id',
        value: streamId.slice(kind.category.length + 1),
        codec: AggregateIdCodec,
        maxLength: MAX_AGGREGATE_ID_LENGTH,
      }
    : { path: 'streamId', value: streamId, codec: CommandIdCodec, maxLength: MAX_COMMAND_ID_LENGTH };

/** Every id of a command, checked before anything is read or appended (G5). */
const checkIds = (kind: AnyKind, streamId: string, context: EventContext): E.Either<InvalidInput, true> => {
  const id = callerId(kind, streamId);
  const optional = (
    path: 'actor' | 'correlationId' | 'causationId',
    codec: t.Decoder<unknown, unknown>,
    chars: string,
  ) => (context[path] === undefined ? [] : idIssue(path, context[path], codec, MAX_COMMAND_ID_LENGTH, chars));
  const issues = [
    ...idIssue(id.path, id.value, id.codec, id.maxLength, ID_CHARS),
    ...idIssue('commandId', context.commandId, CommandIdCodec, MAX_COMMAND_ID_LENGTH, ID_CHARS),
    ...optional('actor', ActorIdCodec, 'letters, digits and _ . : @ -'),
    ...optional('correlationId', CommandIdCodec, ID_CHARS),
    ...optional('causationId', CommandIdCodec, ID_CHARS),
  ];
  return issues.length === 0 ? E.right(true) : E.left(invalidInput('command', issues));
};

/** A command naming its aggregate (see AggregateKind.idField) otherwise than the id it is sent to. */
const misnamedAggregate = (kind: AnyKind, streamId: string, command: unknown): InvalidInput | undefined => {
  if (kind.idField === undefined) return undefined;
  const named = (command as Record<string, unknown>)[kind.idField];
  const { value: id } = callerId(kind, streamId);
  if (named === undefined || named === id) return undefined;
  return invalidInput(`${kind.category} command`, [
    { path: kind.idField, message: `must be ${JSON.stringify(id)}, the id of the ${kind.category} it is sent to` },
  ]);
};

/**
 * What makes a retry "the same command": the stream and the command as the caller sent it. `at` is
 * left out because the engine's clock stamps it, so a retry a second later is still the same command.
 */
const commandDigest = (kind: AnyKind, streamId: string, command: unknown): string => {
  const { at: _stamped, ...sent } = kind.commandCodec.encode(command) as Record<string, unknown>;
  return createHash('sha256')
    .update(canonicalJson({ stream: streamId, command: sent }), 'utf8')
    .digest('hex');
};

/**
 * Load (snapshot + tail), decide, append with the expected revision; on a lost race reload and
 * decide again, a bounded number of times. Idempotent by command id (G2): a retried command returns
 * its first result and appends nothing; a command id reused for another command is refused. The
 * command's time is stamped by the injected clock.
 */
export const executeCommand = async (
  deps: { store: EventStore; cache: SnapshotCache; clock: Clock },
  kind: AnyKind,
  streamId: string,
  input: unknown,
  context: EventContext,
): Promise<E.Either<CommandFailure, Committed>> => {
  const ids = checkIds(kind, streamId, context);
  if (E.isLeft(ids)) return ids;
  if (typeof input === 'object' && input !== null && 'at' in input) {
    return E.left({
      code: 'INVALID_INPUT',
      message: 'invalid command: at: is stamped by the engine clock; leave it out',
      issues: [{ path: 'at', message: 'is stamped by the engine clock; leave it out' }],
    });
  }
  const decoded = decodeInput(
    kind.commandCodec,
    `${kind.category} command`,
  )({ ...(input as object), at: deps.clock.now() });
  if (E.isLeft(decoded)) return decoded;
  const misnamed = misnamedAggregate(kind, streamId, decoded.right);
  if (misnamed !== undefined) return E.left(misnamed);
  const digest = commandDigest(kind, streamId, decoded.right);
  const asked = { streamId, commandId: context.commandId, digest };

  const earlier = await deps.store.commandResult(context.commandId);
  if (earlier !== undefined) return answerEarlier(deps.store, kind, earlier, asked);

  let command = decoded.right;
  for (let attempt = 0; attempt <= MAX_CONFLICT_RETRIES; attempt++) {
    const loaded = await loadAggregate(deps.store, kind, streamId, deps.cache);
    const decision = kind.decider.decide(command, loaded.state);
    const events = E.isRight(decision) ? decision.right : decision.left.recorded;
    if (events.length === 0) return E.isRight(decision) ? E.right({ streamId, events: [], replayed: false }) : decision;

    const stored = events.map((e) => toStored(kind, e, context, digest));
    // Each event as a reload decodes it (not as decided): the state cached after the append, and the
    // snapshot saved from it, is then exactly the fold of the stream's events. Checked before the
    // append, so an event the engine could not read back is never written.
    const asStored = stored.map((e, i) => asRead(kind, streamId, loaded.revision + 1 + i, e));
    const appended = await deps.store.append(streamId, stored, {
      expectedRevision: loaded.revision < 0 ? 'no_stream' : loaded.revision,
      commandId: context.commandId,
    });
    if (E.isLeft(appended)) {
      if (appended.left.code === 'WRONG_EXPECTED_REVISION') {
        deps.cache.forget(streamId);
        // Decided again now, so stamped now: the winner (another engine on the store, stamped later than this
        // command was) must not make this one TIME_WENT_BACKWARDS. `at` is not part of what makes a retry the same.
        command = { ...(command as object), at: deps.clock.now() } as typeof command;
        continue;
      }
      // Another writer committed this command id first (a racing retry, or another command): the
      // same comparison as above decides whether its result is ours to return.
      if (appended.left.code === 'COMMAND_ID_REUSED') {
        const first = await deps.store.commandResult(context.commandId);
        if (first) return answerEarlier(deps.store, kind, first, asked);
      }
      throw new EngineError(
        'UNEXPECTED_STORE_REFUSAL',
        `${streamId}: the store refused events the decider produced: ${appended.left.message}`,
        streamId,
      );
    }
    // The store answers a twin of this command that landed first (same id, same events) with the
    // twin's result, even at another revision: then these events are not the ones after `loaded`,
    // and folding them onto it would cache (and persist) a state that skips the events between.
    if (appended.right.firstRevision !== loaded.revision + 1)
      return answerEarlier(deps.store, kind, appended.right, asked);
    const state = asStored.reduce((s, e) => kind.decider.evolve(s, e), loaded.state);
    deps.cache.put(streamId, { revision: appended.right.nextExpectedRevision, foldVersion: kind.foldVersion, state });
    return E.isRight(decision) ? E.right({ streamId, events, result: appended.right, replayed: false }) : decision;
  }
  throw new EngineError(
    'CONFLICT_RETRIES_EXHAUSTED',
    `${streamId}: lost the race for the stream ${MAX_CONFLICT_RETRIES + 1} times`,
    streamId,
  );
};

/** An event about to be appended, decoded from its stored form as `loadAggregate` will read it back. */
const asRead = (
  kind: AnyKind,
  streamId: string,
  revision: number,
  stored: NewEventInput,
): { type: string; at: number } => {
  const decoded = kind.eventCodec.decode({ type: stored.type, ...stored.data });
  // A bug, not input: the codec that encoded the event could not read it back.
  if (E.isLeft(decoded))
    throw new EngineError('CORRUPT_EVENT', `${stored.type} does not decode after encoding`, streamId, revision);
  return decoded.right as { type: string; at: number };
};

interface Asked {
  readonly streamId: string;
  readonly commandId: string;
  readonly digest: string;
}

/**
 * The answer to a command id that was already committed: the first result when this is the same
 * command (a retry), a COMMAND_ID_REUSED refusal when it is not. Answering another command's
 * result would tell the caller its intent happened when it never did.
 */
const answerEarlier = async (
  store: EventStore,
  kind: AnyKind,
  first: AppendResult,
  asked: Asked,
): Promise<E.Either<CommandFailure, Committed>> => {
  if (first.streamId !== asked.streamId) return E.left(commandIdReused(asked, first, `stream ${first.streamId}`));
  const { events, digests } = await readAppended(store, kind, first, asked.commandId);
  // Events written before digests existed carry none: for them the stream is all there is to compare.
  if (digests.some((d) => d !== undefined && d !== asked.digest))
    return E.left(commandIdReused(asked, first, `a different command on stream ${first.streamId}`));
  const refusal = recordedRefusal(events);
  return refusal === undefined
    ? E.right({ streamId: first.streamId, events, result: first, replayed: true })
    : E.left(refusal);
};

const commandIdReused = (
  asked: Asked,
  first: AppendResult,
  usedFor: string,
): Rejection<'COMMAND_ID_REUSED', never> => ({
  code: 'COMMAND_ID_REUSED',
  message:
    `command id ${asked.commandId} was already used for ${usedFor} (position ${first.firstPosition}); ` +
    'a retry must send the same command to the same aggregate, a new intent needs a new command id',
  details: {
    commandId: asked.commandId,
    firstStreamId: first.streamId,
    firstPosition: first.firstPosition,
    streamId: asked.streamId,
  },
  recorded: [],
});

/** The events one append wrote under a command id, decoded, with the command digest each carries. */
const readAppended = async (store: EventStore, kind: AnyKind, result: AppendResult, commandId: string) => {
  const events: { type: string; at: number }[] = [];
  const digests: (string | undefined)[] = [];
  // By revision, not position: positions are sparse in some stores (EventStoreDB's are log offsets).
  for await (const recorded of store.readStream(result.streamId, {
    from: result.firstRevision,
    maxCount: result.nextExpectedRevision - result.firstRevision + 1,
  })) {
    if (recorded.metadata.commandId !== commandId) continue;
    const event = fromRecorded(kind, recorded);
    if (E.isLeft(event))
      throw new EngineError('CORRUPT_EVENT', event.left.message, recorded.streamId, recorded.revision);
    events.push(event.right);
    digests.push((recorded.metadata as { commandDigest?: string }).commandDigest);
  }
  return { events, digests };
};

// What a decider prefixes to a recorded refusal: time passed before the command was decided (an
// approval request expiring records its command's refusal too), or the approval whose execution was refused.
const TIME_PASSING = new Set([
  'DailyWindowOpened',
  'RiskResumed',
  'RequestExpired',
  'CommandRejected',
  'RequestApproved',
  'RequestFailed',
  'RequestCancelled',
]);
const REFUSAL_RECORDS = new Set(['CommandRejected', 'PoolCommandRejected']);

interface RefusalRecord {
  readonly type: string;
  readonly at: number;
  readonly command: string;
  readonly code: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
}

/**
 * A first answer that was a recorded refusal (`rejectAndRecord`, possibly after time-passing events)
 * is answered again as that refusal, so a retry cannot read a "no" as a commit.
 */
const recordedRefusal = (events: readonly { type: string; at: number }[]): Rejection<string, unknown> | undefined => {
  const last = events[events.length - 1];
  if (last === undefined || !REFUSAL_RECORDS.has(last.type)) return undefined;
  if (!events.slice(0, -1).every((e) => TIME_PASSING.has(e.type))) return undefined;
  const record = last as RefusalRecord;
  return {
    code: record.code,
    message: `${record.command} was refused: ${record.code} (replayed)`,
    details: record.details,
    recorded: events,
  };
};
