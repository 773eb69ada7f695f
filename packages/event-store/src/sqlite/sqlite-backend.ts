import type Database from 'better-sqlite3';
import * as E from 'fp-ts/Either';
import { interval, Subject, takeUntil } from 'rxjs';
import type { AppendResultEither } from '../append-errors';
import type { ValidAppend } from '../append-input';
import { planAppend, resultOf } from '../append-plan';
import type { StoreBackend } from '../backend';
import { MAX_GROUP_COMMIT_APPENDS } from '../limits';
import type { AppendResult } from '../port';
import { StoreError } from '../store-error';
import { prepareCommandLookup, prepareReads, prepareWrites } from './sqlite-statements';
import type { WriterLock } from './writer-lock';

interface PendingAppend {
  readonly input: ValidAppend;
  readonly resolve: (result: AppendResultEither) => void;
  readonly reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: AppendResultEither; wrote: boolean } | { ok: false; error: unknown };

const ioFailure = (path: string, error: unknown): StoreError =>
  new StoreError('IO_FAILURE', `${path}: the append was not committed: ${(error as Error).message}`, [], { cause: error });

export const sqliteReadBackend = (db: Database.Database, path: string, pollIntervalMs: number, onClose: () => void): StoreBackend => {
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
    committed$: poll,
    close: async () => {
      closed$.next();
      closed$.complete();
      onClose();
    },
  };
};

/**
 * The writer. Appends that arrive in the same turn of the event loop are committed in one
 * transaction (group commit: one fsync for all of them); each append runs in its own savepoint so
 * one failure does not undo its neighbours, and no promise resolves before the commit is durable.
 */
/** What one group commit did; for metrics and benchmarks. */
export interface CommitInfo {
  readonly appends: number;
  readonly events: number;
}

export const sqliteWriteBackend = (db: Database.Database, path: string, lock: WriterLock, onCommit?: (info: CommitInfo) => void): StoreBackend => {
  const reads = prepareReads(db);
  const w = prepareWrites(db);
  const committed$ = new Subject<void>();
  let queue: PendingAppend[] = [];
  let flushScheduled = false;

  const readCommand = prepareCommandLookup(db);

  const applyOne = db.transaction((input: ValidAppend): { value: AppendResultEither; wrote: boolean } => {
    const head = reads.streamHead(input.streamId);
    const plan = planAppend(input, head, readCommand(input.commandId));
    if (E.isLeft(plan)) return { value: plan, wrote: false };
    if (plan.right.kind === 'replay') return { value: E.right(plan.right.result), wrote: false };
    const { rows } = plan.right;
    const last = rows[rows.length - 1]!;
    let streamNo: number;
    if (head === undefined) streamNo = Number(w.insertStream.run(input.streamId, last.revision, last.hash).lastInsertRowid);
    else {
      streamNo = w.streamNo.get(input.streamId) as number;
      w.updateStream.run(last.revision, last.hash, streamNo);
    }
    let firstPosition = 0;
    let lastPosition = 0;
    for (const row of rows) {
      lastPosition = Number(w.insertEvent.run(streamNo, row.revision, row.eventId, row.type, row.version, row.dataJson, row.metadataJson, row.hash).lastInsertRowid);
      if (firstPosition === 0) firstPosition = lastPosition;
    }
    const result: AppendResult = resultOf(input.streamId, rows, firstPosition, lastPosition);
    w.insertCommand.run(input.commandId, streamNo, input.fingerprint, result.firstRevision, result.nextExpectedRevision, firstPosition, lastPosition);
    return { value: E.right(result), wrote: true };
  });

  const writeGroup = db.transaction((group: readonly PendingAppend[]): Outcome[] =>
    group.map((pending): Outcome => {
      try {
        return { ok: true, ...applyOne(pending.input) };
      } catch (error) {
        return { ok: false, error };
      }
    }),
  );

  const flush = (): void => {
    flushScheduled = false;
    while (queue.length > 0) {
      const group = queue.slice(0, MAX_GROUP_COMMIT_APPENDS);
      queue = queue.slice(group.length);
      let outcomes: Outcome[];
      try {
        outcomes = writeGroup.immediate(group);
      } catch (error) {
        for (const pending of group) pending.reject(ioFailure(path, error));
        continue;
      }
      outcomes.forEach((outcome, i) => (outcome.ok ? group[i]!.resolve(outcome.value) : group[i]!.reject(ioFailure(path, outcome.error))));
      const events = outcomes.reduce((n, o, i) => n + (o.ok && o.wrote ? group[i]!.input.events.length : 0), 0);
      onCommit?.({ appends: group.length, events });
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
    committed$,
    close: async () => {
      flush();
      committed$.complete();
      db.close();
      lock.release();
    },
  };
};
