import { processIo } from './cli-io';
import { runCli } from './run-cli';

// `ballast inspect ... | head` closes the pipe early: that is the reader being done, not a failure.
// But `ballast export --out - | ssh …` losing its reader is an export that did not arrive.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  if (process.argv[2] === 'export') {
    process.stderr.write('ballast export: the reader of standard output went away: the export is incomplete\n');
    process.exit(1);
  }
  process.exit(0);
});

// Ctrl-C ends `tail --follow` cleanly (stores closed) instead of killing it mid-write.
const interrupted = new AbortController();
process.once('SIGINT', () => interrupted.abort());
// `serve` stops the same way when a supervisor sends SIGTERM.
process.once('SIGTERM', () => interrupted.abort());

runCli(process.argv.slice(2), processIo, interrupted.signal).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ballast: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
