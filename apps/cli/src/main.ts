import { processIo } from './cli-io';
import { runCli } from './run-cli';

// Ctrl-C ends `tail --follow` cleanly (stores closed) instead of killing it mid-write.
const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort());

runCli(process.argv.slice(2), processIo, interrupted.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ballast: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
