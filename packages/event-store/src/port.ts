import type { AppendResultEither } from './append-errors';
import type { JsonObject, RecordedEvent } from '@ballast/domain';
import type { Observable } from 'rxjs';
import type { VerifiedEventHandler, VerifiedHeadHandler, VerifyReport } from './verify';

/**
 * What the caller expects of the stream before the append:
 * `no_stream` (it must not exist), `exists` (it must), `any`, or the exact 0-based revision of its
 * last event. Revisions start at 0 in every store.
 */
export type ExpectedRevision = 'no_stream' | 'any' | 'exists' | number;

export interface AppendOptions {
  readonly expectedRevision: ExpectedRevision;
  /** Chosen by the caller; a retry with the same id and the same events appends nothing. */
  readonly commandId: string;
}

/** An event to append. Checked at run time (G5): the type is a hint, not a guarantee. */
export interface NewEventInput {
  readonly type: string;
  readonly version: number;
  readonly data: JsonObject;
  readonly metadata?: {
    readonly correlationId?: string;
    readonly causationId?: string;
    readonly actor?: string;
    readonly policyVersion?: number;
  };
}

export interface AppendResult {
  readonly streamId: string;
  readonly firstRevision: number;
  /** The revision of the last event appended: pass it as `expectedRevision` next time. */
  readonly nextExpectedRevision: number;
  readonly firstPosition: number;
  /** The global position of the last event appended: wait for it to read your own write. */
  readonly lastPosition: number;
}

export interface ReadStreamOptions {
  /** A revision, or `start` / `end`. Forwards defaults to `start`, backwards to `end`. */
  readonly from?: number | 'start' | 'end';
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadAllOptions {
  /**
   * Inclusive; positions start at 1, so 0 (the default) reads from the beginning. Positions only
   * increase: contiguous in the embedded stores, log offsets in EventStoreDB. Pass 0 or one past a
   * position the store returned (a cursor); EventStoreDB refuses a number in the middle of a record.
   */
  readonly fromPosition?: number;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Inclusive, like readAll: the first event delivered is the first at or after it. */
  readonly fromPosition?: number;
}

export interface StreamHead {
  readonly streamId: string;
  readonly revision: number;
  readonly hash: string;
}

export interface VerifyOptions {
  /**
   * Verification and a read of every event in one pass: each event is handed over, in global
   * order, once its row's position, revision and hash chain have checked out (the promise it
   * returns, if any, is awaited). The walk stops at the first problem and the stream heads are
   * checked after it, so what the handler saw is proven only when the report is ok.
   */
  readonly onEvent?: VerifiedEventHandler;
  /**
   * Told of each verified row's place (stream, revision, hash, position) in the same pass, without
   * parsing its data: what a check of stream heads (an anchor) needs, at a fraction of onEvent's cost.
   */
  readonly onHead?: VerifiedHeadHandler;
}

/**
 * A folded state kept beside the log so a new process need not fold a stream from its first event.
 * A cache of derived state: never part of what `verify` or the audit proves, and a snapshot of
 * another fold version is ignored by the engine.
 */
export interface StoredSnapshot {
  readonly streamId: string;
  /** The version of the fold that produced the state. */
  readonly foldVersion: number;
  /** The stream revision the state includes. */
  readonly revision: number;
  /** The state as JSON text (the engine's serializer decides its shape). */
  readonly stateJson: string;
}

/** Durable snapshot slots, one per stream; the latest save wins. */
export interface SnapshotSlots {
  load(streamId: string): Promise<StoredSnapshot | undefined>;
  save(snapshot: StoredSnapshot): Promise<void>;
}

/**
 * The store port. Every adapter passes the same contract suite (tests/event-store). Expected
 * failures of an append (conflict, reused command id, bad input) are values; exceptions mean the
 * store itself failed (closed, read-only, disk error) or a read was called with bad arguments.
 */
export interface EventStore {
  append(streamId: string, events: readonly NewEventInput[], options: AppendOptions): Promise<AppendResultEither>;
  /** Streams one stream's events in bounded memory; a missing stream yields nothing. */
  readStream(streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent>;
  /** Streams every event in global order, in bounded memory. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;
  /** Catches up from a position, then goes live: every event once, in order, no gap at the switch. */
  subscribe(options?: SubscribeOptions): Observable<RecordedEvent>;
  streamHead(streamId: string): Promise<StreamHead | undefined>;
  /** The result of an earlier append under this command id, if any: how an engine answers a retry. */
  commandResult(commandId: string): Promise<AppendResult | undefined>;
  /** The position of the last committed event; 0 for an empty store. */
  headPosition(): Promise<number>;
  /**
   * Walks every hash chain and names the first broken stream and revision (G3). With `onEvent`,
   * also reads every event in the same pass (see VerifyOptions): an audit reads the log once.
   */
  verify(options?: VerifyOptions): Promise<VerifyReport>;
  /** Where the engine keeps durable snapshots; absent in a store that keeps none (memory). */
  readonly snapshots?: SnapshotSlots;
  close(): Promise<void>;
}
