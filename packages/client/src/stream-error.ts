import type { Failure } from './answers';

/**
 * A live stream the server refused for good (400, 401, 403, 404): retrying would get the same
 * answer, so the Observable errors with this instead of reconnecting. `failure` is the server's answer.
 */
export class StreamRefused extends Error {
  constructor(readonly failure: Failure) {
    super(`${failure.status} ${failure.code}: ${failure.message}`);
    this.name = 'StreamRefused';
  }
}

/** Answers worth retrying: rate limits, a server stopping or restarting (503), a proxy's 502/504. */
export const retryable = (status: number): boolean => status === 408 || status === 429 || status >= 500;
