import { setTimeout as sleep } from 'node:timers/promises';
import type { RecordedEvent } from '@ballast/domain';
import type { EventStore } from '@ballast/event-store';
import { BehaviorSubject, type Observable, ReplaySubject, type Subscription } from 'rxjs';
import type { CheckpointStore, DeadLetter } from './checkpoint-store';
import { deserializeState, serializeState } from '../state-json';
import type { Projection } from './projection';

export interface ProjectionOptions {
  /** Tries per event before it is parked (default 5). */
  readonly maxAttempts?: number;
  /** First retry delay; doubles each time (default 10 ms). */
  readonly backoffMs?: number;
  /** Save a checkpoint at least every N events (default 500); it is also saved whenever caught up. */
  readonly checkpointEvery?: number;
  /**
   * Caught up, save at most once in this many ms (default 0: every time). Under steady traffic a
   * projection is caught up after nearly every event, and each save serializes the whole state and
   * syncs the checkpoint file: a server passes a second here so that cost is paid once a second,
   * not once an event. A crash then replays at most that second of events, which read models fold
   * again and process managers answer from their command ids, appending nothing twice.
   */
  readonly checkpointIntervalMs?: number;
  /**
   * Told when the store's subscription fails (a dropped connection to EventStoreDB, say). The
   * projection resubscribes from the last event it received, after 100 ms doubling to 30 s.
   */
  readonly onSubscriptionError?: (error: unknown, retryInMs: number) => void;
}

export interface RunningProjection<S> {
  readonly name: string;
  /** The current state, and every change after it. */
  readonly state$: BehaviorSubject<S>;
  /** Events that failed every try: parked, reported here and in the checkpoint store. */
  readonly deadLetters$: Observable<DeadLetter>;
  /** The last global position processed. */
  position(): number;
  /** Resolves once every event up to `position` is processed: read your own writes. */
  whenProcessed(position: number): Promise<void>;
  /** Stops after saving a checkpoint. */
  stop(): Promise<void>;
}

/**
 * Runs a projection over the store's subscription from its durable checkpoint. A new projection
 * version starts over from the first event.
 */
export const runProjection = async <S>(
  store: EventStore,
  checkpoints: CheckpointStore,
  projection: Projection<S>,
  options: ProjectionOptions = {},
): Promise<RunningProjection<S>> => {
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 10;
  const checkpointEvery = options.checkpointEvery ?? 500;
  const checkpointIntervalMs = options.checkpointIntervalMs ?? 0;

  const saved = await checkpoints.load(projection.name);
  const resume = saved !== undefined && saved.version === projection.version;
  let state: S = resume ? deserializeState<S>(saved.stateJson) : projection.initial;
  let position = resume ? saved.position : 0;
  let savedPosition = position;
  // Counted, not derived from positions: EventStoreDB's positions are sparse log offsets.
  let sinceSave = 0;
  const state$ = new BehaviorSubject<S>(state);
  // Replayed to late subscribers: a parked event must be reported whenever someone starts listening.
  const deadLetters$ = new ReplaySubject<DeadLetter>(1000);
  let parked: DeadLetter[] = [];
  const waiters: { position: number; resolve: () => void }[] = [];
  const queue: RecordedEvent[] = [];
  let pumping: Promise<void> | undefined;
  let stopped = false;
  let stopping = false;

  let lastSaveAt = 0;
  let deferred: ReturnType<typeof setTimeout> | undefined;
  const save = async () => {
    clearTimeout(deferred);
    deferred = undefined;
    lastSaveAt = Date.now();
    if (position === savedPosition && parked.length === 0) return;
    const letters = parked;
    parked = [];
    await checkpoints.save(
      projection.name,
      { version: projection.version, position, stateJson: serializeState(state) },
      letters,
    );
    savedPosition = position;
    sinceSave = 0;
  };

  const apply = async (event: RecordedEvent) => {
    for (let attempt = 1; ; attempt++) {
      try {
        state = await projection.evolve(state, event);
        return;
      } catch (error) {
        if (attempt >= maxAttempts) {
          const letter: DeadLetter = {
            position: event.position,
            streamId: event.streamId,
            revision: event.revision,
            type: event.type,
            error: (error as Error).message,
            attempts: attempt,
          };
          parked.push(letter);
          deadLetters$.next(letter);
          return;
        }
        await sleep(backoffMs * 2 ** (attempt - 1));
      }
    }
  };

  // Caught up: save now, or once the interval since the last save has passed (a timer that runs the
  // save as a pump of its own, so it never overlaps one).
  const saveCaughtUp = async () => {
    const wait = lastSaveAt + checkpointIntervalMs - Date.now();
    if (wait <= 0 || stopping) return save();
    deferred ??= setTimeout(() => {
      deferred = undefined;
      if (stopping) return;
      pumping ??= save().finally(() => {
        pumping = undefined;
        if (queue.length > 0) pumping ??= pump();
      });
    }, wait);
  };

  const pump = async () => {
    // An event that arrives while the final save is awaited finds `pumping` still set and is only
    // queued, so look at the queue again after saving; nothing awaits between that look and the reset.
    do {
      while (queue.length > 0 && !stopped) {
        const event = queue.shift()!;
        await apply(event);
        position = event.position;
        sinceSave += 1;
        state$.next(state);
        for (const w of waiters.filter((w) => w.position <= position)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        if (sinceSave >= checkpointEvery) await save();
      }
      await saveCaughtUp();
    } while (queue.length > 0 && !stopped);
    pumping = undefined;
  };

  let received = position;
  let subscription: Subscription | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let retryMs = 100;
  const subscribe = (): void => {
    subscription = store.subscribe({ fromPosition: received + 1 }).subscribe({
      next: (event) => {
        retryMs = 100;
        received = event.position;
        queue.push(event);
        pumping ??= pump();
      },
      // Resubscribe from the last event received, so nothing is missed and nothing repeated.
      error: (error: unknown) => {
        if (stopping) return;
        options.onSubscriptionError?.(error, retryMs);
        retry = setTimeout(subscribe, retryMs);
        retryMs = Math.min(retryMs * 2, 30_000);
      },
    });
  };
  subscribe();

  return {
    name: projection.name,
    state$,
    deadLetters$,
    position: () => position,
    whenProcessed: (target) =>
      target <= position
        ? Promise.resolve()
        : new Promise<void>((resolve) => waiters.push({ position: target, resolve })),
    stop: async () => {
      stopping = true;
      clearTimeout(retry);
      clearTimeout(deferred);
      subscription?.unsubscribe();
      await pumping;
      stopped = true;
      await save();
      state$.complete();
      deadLetters$.complete();
    },
  };
};
