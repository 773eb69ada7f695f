/** Reconnect delays: 100 ms, doubling after each attempt that delivered nothing, at most 5 s. */
export const BACKOFF = { initialMs: 100, maxMs: 5000 } as const;

export const nextDelay = (delayMs: number): number => Math.min(delayMs * 2, BACKOFF.maxMs);

/** Waits `ms`, or less if `signal` aborts first (then it resolves too: the caller checks the signal). */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
