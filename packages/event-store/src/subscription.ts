import { Observable } from 'rxjs';
import type { RecordedEvent } from '@ballast/domain';

/**
 * Catch-up and live are one loop: every wake-up reads pages from the next undelivered position
 * until a short page says the end is reached. A commit that lands while a page is being read only
 * sets a flag to go round again, so there is no gap and no duplicate at the switch to live.
 */
export const catchUpThenLive = (
  readPage: (fromPosition: number) => Promise<readonly RecordedEvent[]>,
  pageSize: number,
  wake$: Observable<unknown>,
  fromPosition: number,
): Observable<RecordedEvent> =>
  new Observable<RecordedEvent>((subscriber) => {
    let next = fromPosition;
    let running = false;
    let again = false;
    let closed = false;

    const pump = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      try {
        do {
          again = false;
          for (;;) {
            const page = await readPage(next);
            for (const event of page) {
              if (closed) return;
              next = event.position + 1;
              subscriber.next(event);
            }
            if (closed || page.length < pageSize) break;
          }
        } while (again && !closed);
      } catch (error) {
        if (!closed) subscriber.error(error);
      } finally {
        running = false;
      }
    };

    const wakes = wake$.subscribe({ next: () => void pump(), complete: () => subscriber.complete() });
    void pump();
    return () => {
      closed = true;
      wakes.unsubscribe();
    };
  });
