import type Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { interval, Subject, takeUntil } from 'rxjs';
import type { AppendResultEither } from '../append-errors';
import type { ValidAppend } from '../append-input';
import { planAppend, resultOf } from '../append-plan';
import type { StoreBackend } from '../backend';
import { MAX_GROUP_COMMIT_APPENDS, WRITER_HEAD_CACHE_STREAMS } from '../limits';
import type { AppendResult } from '../port';
import { StoreError } from '../store-error';
import { isWriteFault, RETRY_APPEND, sqliteWriteFailure } from './sqlite-failure';
import { prepareCommandLookup, prepareReads, prepareWrites, type WriterHead } from './sqlite-statements';
import { sqliteReadSnapshots, sqliteWriteSnapshots } from './sqlite-snapshots';
import type { WriterLock } from './writer-lock';

interface PendingAppend {
  readonly input: ValidAppend;
  readonly resolve: (result: AppendResultEither) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: AppendResultEither; wrote: boolean } | { ok: false; error: unknown };

const ioFailure = (path: string, error: unknown): StoreError =>
  sqliteWriteFailure(path, 'the append was not committed', error, RETRY_APPEND);

export const sqliteReadBackend = (
  db: Database.Database,
  path: string,
  pollIntervalMs: number,
  onClose: () => void,
): StoreBackend => {
  const reads = prepareReads(db);
  const commands = prepareCommandLookup(db);
  const closed$ = new Subject<void>();
  // A reader cannot be told of another process's commits, so it looks for new events on a timer.
  const poll = interval(pollIntervalMs).pipe(takeUntil(closed$));
  return {
    description: `SQLite store ${path} (read-only)`,
    writable: false,
    write: () => Promise.reject(new StoreError('READ_ONLY', `${path} is open read-only`)),
    ...reads,
    commandResult: (commandId) => commands(commandId)?.result,
    snapshots: sqliteReadSnapshots(db),
    committed$: poll,
    close: async () => {
      closed$.next();
      closed$.complete();
      onClose();
    },
  };
};

/** What one group commit did; for metrics and benchmarks. */
export interface CommitInfo {
  readonly appends: number;
  readonly events: number;
}

/** What the open group transaction has written so far; becomes the writer's state only after COMMIT. */
interface GroupState {
  readonly heads: Map<string, WriterHead>;
  position: number;
  streamNo: number;
}

interface Applied {
  readonly value: AppendResultEither;
  /** Present when the append wrote rows: the state it leaves, applied once its savepoint is released. */
  readonly wrote?: { readonly head: WriterHead; readonly lastPosition: number };
}

/**
 * The writer. Appends that arrive in the same turn of the event loop are committed in one
 * transaction (group commit: one fsync for all of them); one append's failure does not undo its
 * neighbours (the group is redone with a savepoint per append), and no promise resolves before the
 * commit is durable.
 *
 * The writer holds the file's only write lock, so it keeps what it would otherwise read back on
 * every append: the next position and stream number, and the heads of recent streams (a bounded
 * cache). That state only ever reflects committed rows: a group's changes are kept aside and merged
 * after COMMIT succeeds; a failed group drops them and re-reads the counters from the file.
 */
export const sqliteWriteBackend = (
  db: Database.Database,
  path: string,
  lock: WriterLock,
  onCommit?: (info: CommitInfo) => void,
): StoreBackend => {
  const reads = prepareReads(db);
  const w = prepareWrites(db);
  const readCommand = prepareCommandLookup(db);
  const snapshots = sqliteWriteSnapshots(db, path);
  const committed$ = new Subject<void>();
  let queue: PendingAppend[] = [];
  let flushScheduled = false;

  const heads = new Map<string, WriterHead>();
  let committedPosition = 0;
  let committedStreamNo = 0;
  const resync = (): void => {
    heads.clear();
    committedPosition = reads.headPosition();
    committedStreamNo = w.lastStreamNo();
  };
  resync();
  let group: GroupState = { heads: new Map(), position: committedPosition, streamNo: committedStreamNo };

  const remember = (head: WriterHead): void => {
    heads.delete(head.streamId);
    heads.set(head.streamId, head);
    if (heads.size > WRITER_HEAD_CACHE_STREAMS) heads.delete(heads.keys().next().value!);
  };

  // A stream this group has not written is as committed, so a head read from the file is cached as such.
  const headOf = (streamId: string): WriterHead | undefined => {
    const known = group.heads.get(streamId) ?? heads.get(streamId);
    if (known !== undefined) return known;
    const read = w.head(streamId);
    if (read !== undefined) remember(read);
    return read;
  };

  /** A retry (or a reuse) of a command already recorded: answered from its record, writing nothing. */
  const answerRecorded = (
    input: ValidAppend,
    head: WriterHead | undefined,
    refusal?: AppendResultEither,
  ): AppendResultEither => {
    const prior = readCommand(input.commandId);
    if (prior === undefined) {
      if (refusal !== undefined) return refusal;
      throw new Error(`command ${input.commandId} is recorded but cannot be read back`);
    }
    const plan = planAppend(input, head, prior);
    return E.isLeft(plan) ? plan : E.right((plan.right as { result: AppendResult }).result);
  };

  // Happy path: the command's record (whose insert doubles as the "is it new?" check), the events,
  // the stream's head. Nothing is read unless the stream's head is not cached or the append is refused.
  const applyOne = (input: ValidAppend): Applied => {
    const head = headOf(input.streamId);
    const plan = planAppend(input, head, undefined);
    if (E.isLeft(plan)) return { value: answerRecorded(input, head, plan) };
    if (plan.right.kind === 'replay') return { value: E.right(plan.right.result) };
    const { rows } = plan.right;
    const last = rows[rows.length - 1]!;
    const streamNo = head?.streamNo ?? group.streamNo + 1;
    const firstPosition = group.position + 1;
    const lastPosition = group.position + rows.length;
    const result = resultOf(input.streamId, rows, firstPosition, lastPosition);
    if (
      w.insertCommand.run(
        input.commandId,
        streamNo,
        input.fingerprint,
        result.firstRevision,
        result.nextExpectedRevision,
        firstPosition,
        lastPosition,
      ).changes === 0
    ) {
      return { value: answerRecorded(input, head) };
    }
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      w.insertEvent.run(
        firstPosition + i,
        streamNo,
        row.revision,
        row.eventId,
        row.type,
        row.version,
        row.dataJson,
        row.metadataJson,
        row.hash,
      );
    }
    if (head === undefined) w.insertStream.run(streamNo, input.streamId, last.revision, last.hash);
    else w.updateStream.run(last.revision, last.hash, streamNo);
    return {
      value: E.right(result),
      wrote: { head: { streamId: input.streamId, streamNo, revision: last.revision, hash: last.hash }, lastPosition },
    };
  };
  const applyInSavepoint = db.transaction(applyOne);

  const record = (outcomes: Outcome[], applied: Applied): void => {
    if (applied.wrote !== undefined) {
      const { head, lastPosition } = applied.wrote;
      group.heads.set(head.streamId, head);
      group.position = lastPosition;
      group.streamNo = Math.max(group.streamNo, head.streamNo);
    }
    outcomes.push({ ok: true, value: applied.value, wrote: applied.wrote !== undefined });
  };

  // First try: the whole group in one transaction with no savepoint per append (they cost about
  // as much as an append's own insert). Any throw rolls the whole group back, to be redone below.
  const writeGroupDirect = db.transaction((pendings: readonly PendingAppend[]): Outcome[] => {
    const outcomes: Outcome[] = [];
    for (const pending of pendings) record(outcomes, applyOne(pending.input));
    return outcomes;
  });

  // The redo after a failure: each append in its own savepoint, so one that fails mid-way is undone
  // alone and its neighbours still commit.
  const writeGroupIsolated = db.transaction((pendings: readonly PendingAppend[]): Outcome[] => {
    const outcomes: Outcome[] = [];
    for (const pending of pendings) {
      let applied: Applied;
      try {
        applied = applyInSavepoint(pending.input);
      } catch (error) {
        // A failure that took the whole transaction with it (an I/O error, a full disk) fails the
        // group: going on would run the rest outside any transaction.
        if (!db.inTransaction) throw error;
        outcomes.push({ ok: false, error });
        continue;
      }
      record(outcomes, applied);
    }
    return outcomes;
  });

  const attempt = (write: typeof writeGroupDirect, pendings: readonly PendingAppend[]): Outcome[] => {
    group = { heads: new Map(), position: committedPosition, streamNo: committedStreamNo };
    const outcomes = write.immediate(pendings);
    for (const head of group.heads.values()) remember(head);
    committedPosition = group.position;
    committedStreamNo = group.streamNo;
    return outcomes;
  };

  const commitGroup = (pendings: readonly PendingAppend[]): Outcome[] => {
    try {
      try {
        return attempt(writeGroupDirect, pendings);
      } catch (error) {
        // A full or failing disk fails the group as it is: a redo would fail the same way, and its
        // error would hide the first one, which may say the group is in doubt (an fsync failed
        // after the commit frame was written: a restart may find the group, as ext4 going
        // read-only under the writer showed).
        if (isWriteFault(error)) throw error;
        const outcomes = attempt(writeGroupIsolated, pendings);
        // An append that failed alone may have failed because the cached counters or heads were
        // stale (the file changed in a way this writer did not see): re-read them, so one such
        // failure cannot turn into every later append failing until the store is reopened.
        if (outcomes.some((o) => !o.ok)) resync();
        return outcomes;
      }
    } catch (error) {
      resync();
      throw error;
    } finally {
      group = { heads: new Map(), position: committedPosition, streamNo: committedStreamNo };
    }
  };

  const flush = (): void => {
    flushScheduled = false;
    while (queue.length > 0) {
      const pendings = queue.slice(0, MAX_GROUP_COMMIT_APPENDS);
      queue = queue.slice(pendings.length);
      // One stat per group commit: cheap beside its fsync.
      const lost = lock.lost();
      if (lost !== undefined) {
        for (const pending of pendings) pending.reject(lost);
        continue;
      }
      let outcomes: Outcome[];
      try {
        outcomes = commitGroup(pendings);
      } catch (error) {
        for (const pending of pendings) pending.reject(ioFailure(path, error));
        continue;
      }
      let events = 0;
      outcomes.forEach((outcome, i) => {
        if (outcome.ok) {
          if (outcome.wrote) events += pendings[i]!.input.events.length;
          pendings[i]!.resolve(outcome.value);
        } else pendings[i]!.reject(ioFailure(path, outcome.error));
      });
      onCommit?.({ appends: pendings.length, events });
      if (events > 0) committed$.next();
    }
  };

  return {
    description: `SQLite store ${path}`,
    writable: true,
    write: (input) =>
      new Promise<AppendResultEither>((resolve, reject) => {
        queue.push({ input, resolve, reject });
        if (!flushScheduled) {
          flushScheduled = true;
          setImmediate(flush);
        }
      }),
    ...reads,
    commandResult: (commandId) => readCommand(commandId)?.result,
    snapshots: snapshots.slots,
    committed$,
    close: async () => {
      flush();
      snapshots.flush();
      committed$.complete();
      db.close();
      lock.release();
    },
  };
};
