import type { RecordedEvent } from '@ballast/domain';
import { catchUpThenLive, type EventStore } from '@ballast/event-store';
import { BehaviorSubject, filter, type Observable, type Subscription } from 'rxjs';

/** Recent events kept for the log streams (about 2–10 MB of events). */
const RECENT = 10_000;
const SUBSCRIPTION_PAGE = 500;

/**
 * The head of the log as this server last saw it, the most recent events, and every open live
 * stream. Streams pull one page at a time (so a slow client holds at most a page and a socket
 * buffer), from the recent events when their cursor is among them and from the store otherwise,
 * and wait here only for "something beyond position N was appended". One subscription serves every
 * client: a hundred subscribers at the live edge cost one read of each event, not a hundred.
 */
export class LiveStreams {
  private readonly head$: BehaviorSubject<number>;
  private readonly open = new Set<() => void>();
  private closed = false;
  /** Events after `floor`, in log order, with no gap: everything the subscription delivered since. */
  private recentEvents: RecordedEvent[] = [];
  private floor: number;
  /** False once the subscription failed: the recent events may then miss some, so nobody reads them. */
  private recentValid = true;
  private readonly serialized = new WeakMap<RecordedEvent, string>();

  private subscription: Subscription | undefined;

  private constructor(
    head: number,
    private readonly keep: number,
  ) {
    this.head$ = new BehaviorSubject(head);
    this.floor = head;
  }

  /** `recent`: how many recent events to keep at least (default 10,000; twice that at most). */
  static async start(store: EventStore, options: { recent?: number } = {}): Promise<LiveStreams> {
    const live = new LiveStreams(await store.headPosition(), options.recent ?? RECENT);
    live.subscription = store.subscribe({ fromPosition: live.floor + 1 }).subscribe({
      next: (event) => live.appended(event),
      // Readers resume from their own cursor in the store; a failed tail only delays their wake-ups.
      error: () => {
        live.recentValid = false;
      },
    });
    return live;
  }

  private appended(event: RecordedEvent): void {
    this.recentEvents.push(event);
    if (this.recentEvents.length > 2 * this.keep) {
      const dropped = this.recentEvents.splice(0, this.recentEvents.length - this.keep);
      this.floor = dropped.at(-1)!.position;
    }
    this.head$.next(event.position);
  }

  /**
   * Up to `max` events from `fromPosition` on, when the recent events hold that part of the log
   * (undefined when they do not: read the store). An empty page means none is appended yet.
   */
  recent(fromPosition: number, max: number): readonly RecordedEvent[] | undefined {
    if (!this.recentValid || fromPosition <= this.floor) return undefined;
    const events = this.recentEvents;
    let low = 0;
    let high = events.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (events[mid]!.position < fromPosition) low = mid + 1;
      else high = mid;
    }
    return events.slice(low, low + max);
  }

  /**
   * The store's subscription, served from the recent events where they reach: the server's read
   * models and process managers all follow the log at its live edge, and this way each event is
   * queried and parsed once for all of them instead of once each. Cursors older than the recent
   * events (a projection catching up from its checkpoint) read the store, page by page, exactly as
   * the store's own subscription does; the wake-ups are this tail's.
   */
  subscribeFrom(store: EventStore, fromPosition: number): Observable<RecordedEvent> {
    return catchUpThenLive(
      async (from) => {
        const recent = this.recent(from, SUBSCRIPTION_PAGE);
        if (recent !== undefined) return recent;
        const page: RecordedEvent[] = [];
        for await (const e of store.readAll({ fromPosition: from, maxCount: SUBSCRIPTION_PAGE })) page.push(e);
        return page;
      },
      SUBSCRIPTION_PAGE,
      this.head$,
      fromPosition,
    );
  }

  /** The store, with its subscriptions shared through this tail (everything else is the store's own). */
  sharing(store: EventStore): EventStore {
    const shared = Object.create(store) as EventStore & { subscribe: EventStore['subscribe'] };
    shared.subscribe = (options) => this.subscribeFrom(store, options?.fromPosition ?? 0);
    return shared;
  }

  /** An event's JSON, computed once however many streams send it. */
  json(event: RecordedEvent): string {
    let text = this.serialized.get(event);
    if (text === undefined) {
      text = JSON.stringify(event);
      this.serialized.set(event, text);
    }
    return text;
  }

  /** Resolves once an event at or after `position` may exist, after `ms` at the latest, or at close. */
  async appendedFrom(position: number, ms: number): Promise<void> {
    if (this.closed || this.head$.value >= position) return;
    // Both ways out unsubscribe: a waiter the timer let go must not stay on head$ until the next append (an idle
    // server's streams poll every second, and each poll left one subscriber behind).
    await new Promise<void>((resolve) => {
      const waiting = this.head$.pipe(filter((head) => head >= position || this.closed)).subscribe(() => done());
      const timer = setTimeout(() => done(), ms);
      function done(): void {
        clearTimeout(timer);
        waiting.unsubscribe();
        resolve();
      }
    });
  }

  /** Whether any stream is waiting for an append now. */
  hasWaiters(): boolean {
    return this.head$.observed;
  }

  /** Registers a stream's closer; returns the function that unregisters it. */
  track(close: () => void): () => void {
    this.open.add(close);
    return () => this.open.delete(close);
  }

  /** The newest position this server has seen appended. */
  head(): number {
    return this.head$.value;
  }

  /** Ends every open stream (clients reconnect elsewhere or later, and resume) and stops the tail. */
  closeAll(): void {
    this.closed = true;
    for (const close of [...this.open]) close();
    this.open.clear();
    this.subscription?.unsubscribe();
    // Wakes every waiter; the `closed` check in appendedFrom's filter lets each one go.
    this.head$.next(this.head$.value);
  }
}
