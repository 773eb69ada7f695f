/** Where a command writes; injected so tests can run commands in-process and read what they said. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** Exit codes: 0 ok, 1 the check failed (e.g. a broken chain), 2 bad usage, 3 the store could not be used. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2, storeFailed: 3 } as const;

export class UsageError extends Error {
  override name = 'UsageError';
}
