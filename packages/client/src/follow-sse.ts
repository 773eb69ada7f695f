import { Observable } from 'rxjs';
import { failureOf } from './answers';
import { BACKOFF, nextDelay, sleep } from './backoff';
import type { Http } from './http';
import { readSse, type SseMessage } from './sse';
import { retryable, StreamRefused } from './stream-error';

export interface FollowSpec {
  readonly path: string;
  /** The id to resume after (`Last-Event-ID` of the first request); none starts at the beginning. */
  readonly after?: number;
  /** The SSE event name that carries values (`event`, or `state` for read models). */
  readonly eventName: string;
  /** Whether a value with this id is new; by default every id after the last one delivered. */
  readonly isNew?: (id: number, last: number | undefined) => boolean;
}

const parseBody = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/**
 * A live SSE stream as an Observable. It reconnects after a network error, a retryable answer, the
 * body ending, a `resume` (too far behind) or a `closing` (server stopping) event, waiting 100 ms
 * doubling to 5 s (back to 100 ms once an event arrives), and each reconnect sends `Last-Event-ID`
 * of the last event delivered, so a subscriber sees no gap and no duplicate. A refusal for good
 * (401, 403, 404, 400) errors the Observable with `StreamRefused`. Unsubscribing aborts the request.
 */
export const followSse = <T>(h: Http, spec: FollowSpec): Observable<T> =>
  new Observable<T>((subscriber) => {
    const abort = new AbortController();
    const doFetch = h.options.fetch ?? fetch;
    const isNew = spec.isNew ?? ((id, last) => last === undefined || id > last);
    let last = spec.after;
    let delay: number = BACKOFF.initialMs;
    // An event this client cannot read is not a network fault: reconnecting would read it again, forever.
    let unreadable: Error | undefined;

    const onMessage = (message: SseMessage): 'stop' | void => {
      if (message.event === 'resume' || message.event === 'closing') return 'stop';
      if (message.event !== spec.eventName || message.id === undefined) return;
      const id = Number(message.id);
      if (!isNew(id, last)) return;
      let value: T;
      try {
        value = JSON.parse(message.data) as T;
      } catch {
        unreadable = new Error(`${spec.path}: event ${message.id} carries data that is not JSON`);
        return 'stop';
      }
      last = id;
      delay = BACKOFF.initialMs;
      subscriber.next(value);
    };

    const run = async (): Promise<void> => {
      while (!abort.signal.aborted) {
        try {
          const response = await doFetch(h.url(spec.path), {
            headers: h.headers({
              accept: 'text/event-stream',
              ...(last === undefined ? {} : { 'last-event-id': String(last) }),
            }),
            signal: abort.signal,
          });
          if (!response.ok) {
            const failure = failureOf(response.status, parseBody(await response.text()));
            if (!retryable(response.status)) return subscriber.error(new StreamRefused(failure));
          } else if (response.body !== null) {
            await readSse(response.body, onMessage);
            if (unreadable !== undefined) {
              abort.abort();
              return subscriber.error(unreadable);
            }
          }
        } catch (error) {
          if (abort.signal.aborted) return;
          // A network error or a body cut short: reconnect below.
          void error;
        }
        if (abort.signal.aborted) return;
        await sleep(delay, abort.signal);
        delay = nextDelay(delay);
      }
    };
    void run();
    return () => abort.abort();
  });
