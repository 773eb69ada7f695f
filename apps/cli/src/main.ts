import { processIo } from './cli-io';
import { runCli } from './run-cli';

runCli(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ballast: unexpected failure: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  },
);
