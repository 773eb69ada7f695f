/** Where a command writes; injected so tests can run commands in-process and read what they said. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/**
 * Exit codes: 0 ok, 1 the check failed (e.g. a broken chain), 2 bad usage, 3 the store could not be
 * used, 4 the store holds nothing that matches (no such stream, type or revision), 70 a bug.
 * An empty answer is never a success: a typo in a stream name must not look like an empty stream.
 */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, storeFailed: 3, notFound: 4, internal: 70 } as const;

export const EXIT_CODES_HELP = `Exit codes: 0 ok, 1 a check failed, 2 bad usage, 3 the store could not be used,
4 nothing matched (no such stream, event type or revision), 70 an internal error (a bug).`;

export class UsageError extends Error {
  override name = 'UsageError';
}
