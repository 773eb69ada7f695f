import type { EventStore } from '@ballast/event-store';
import { BehaviorSubject, filter, type Subscription } from 'rxjs';

/**
 * The head of the log as this server last saw it, and every open live stream. Streams read the
 * store themselves (pull, one page at a time, so a slow client holds at most a page and a socket
 * buffer) and wait here only for "something beyond position N was appended". One subscription
 * serves every client.
 */
export class LiveStreams {
  private readonly head$: BehaviorSubject<number>;
  private readonly open = new Set<() => void>();
  private closed = false;

  private constructor(
    head: number,
    private readonly subscription: Subscription,
    head$: BehaviorSubject<number>,
  ) {
    this.head$ = head$;
    head$.next(head);
  }

  static async start(store: EventStore): Promise<LiveStreams> {
    const head = await store.headPosition();
    const head$ = new BehaviorSubject(head);
    const subscription = store.subscribe({ fromPosition: head + 1 }).subscribe({
      next: (event) => head$.next(event.position),
      // The log stream's readers resume from their own cursor; a failed tail only delays their wake-ups.
      error: () => undefined,
    });
    return new LiveStreams(head, subscription, head$);
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

  count(): number {
    return this.open.size;
  }

  /** Ends every open stream (clients reconnect elsewhere or later, and resume) and stops the tail. */
  closeAll(): void {
    this.closed = true;
    for (const close of [...this.open]) close();
    this.open.clear();
    this.subscription.unsubscribe();
    // Wakes every waiter; the `closed` check in appendedFrom's filter lets each one go.
    this.head$.next(this.head$.value);
  }
}
