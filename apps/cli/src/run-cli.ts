import { StoreError } from '@ballast/event-store';
import { parseArgs } from 'node:util';
import { type CliIo, EXIT, UsageError } from './cli-io';
import { runStatus, statusHelp } from './commands/status';
import { runVerify, verifyHelp } from './commands/verify';

export const mainHelp = `Usage: ballast <command> [options]

Ballast: an event-sourced treasury, risk and insurance engine for agents that handle money.

Commands:
  status   open (or create) a store, verify it and show what it holds
  verify   verify every hash chain of a store, read-only

Run 'ballast <command> --help' for a command's options.`;

const COMMANDS = {
  status: { help: statusHelp, dbRequired: false, run: runStatus },
  verify: { help: verifyHelp, dbRequired: true, run: runVerify },
} as const;

const DEFAULT_DB = './data/ballast.db';

/** Runs one command line and returns its exit code; never calls process.exit, so tests can drive it. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS[name as keyof typeof COMMANDS];
  if (command === undefined) {
    io.err(`ballast: unknown command '${name}'.\n\n${mainHelp}`);
    return EXIT.usage;
  }
  try {
    const { values, positionals } = (() => {
      try {
        return parseArgs({
          args: [...rest],
          options: { db: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
          strict: true,
          allowPositionals: true,
        });
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    })();
    if (values.help) {
      io.out(command.help);
      return EXIT.ok;
    }
    if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    if (values.db === '' || (command.dbRequired && values.db === undefined)) throw new UsageError('--db PATH is required');
    return await command.run(values.db ?? DEFAULT_DB, values.json, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ballast ${name}: ${error.message}\n\n${command.help}`);
      return EXIT.usage;
    }
    if (error instanceof StoreError) {
      io.err(`ballast ${name}: ${error.message} [${error.code}]`);
      return EXIT.storeFailed;
    }
    throw error;
  }
};
