import { EngineError } from '@ballast/engine';
import { StoreError } from '@ballast/event-store';
import { parseArgs } from 'node:util';
import cliPackage from '../package.json';
import { type CliIo, EXIT, EXIT_CODES_HELP, UsageError } from './cli-io';
import type { CliCommand } from './command';
import { anchorCommand } from './commands/anchor';
import { approvalsCommand } from './commands/approvals';
import { auditCommand } from './commands/audit';
import { backtestCommand } from './commands/backtest';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { inspectCommand } from './commands/inspect';
import { keysCommand } from './commands/keys';
import { replayCommand } from './commands/replay';
import { serveCommand } from './commands/serve';
import { simulateCommand } from './commands/simulate';
import { statusCommand } from './commands/status';
import { tailCommand } from './commands/tail';
import { verifyCommand } from './commands/verify';

const COMMANDS: readonly CliCommand[] = [
  simulateCommand,
  backtestCommand,
  statusCommand,
  verifyCommand,
  auditCommand,
  anchorCommand,
  exportCommand,
  importCommand,
  replayCommand,
  inspectCommand,
  tailCommand,
  serveCommand,
  keysCommand,
  approvalsCommand,
];

export const mainHelp = `Usage: ballast <command> [options]

Ballast: an event-sourced treasury, risk and insurance engine for agents that handle money.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(9)} ${c.summary}`).join('\n')}

Options:
  -h, --help     show this help
  -V, --version  print the version

Run 'ballast <command> --help' for a command's options.

${EXIT_CODES_HELP}`;

/** What a usage error prints: the problem in one line, then where to read more (not the whole help). */
const usageLines = (where: string, message: string, helpCommand: string): string =>
  `${where}: ${message}\nRun '${helpCommand}' for usage.`;

/**
 * An error of the file system or of SQLite met while opening or reading a store (a folder given
 * as --db, a file without read permission, a database SQLite cannot open): an expected failure
 * that gets one line and exit 3, not a stack trace.
 */
const storeAccessError = (error: unknown): string | undefined => {
  // Not `instanceof Error`: Node's own errors come from another realm when the CLI runs in a vm context (as under
  // jest), and a failed open must be exit 3 there too, not an exception.
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return undefined;
  if (name === 'SqliteError' || 'syscall' in error) return `${message} [${code}]`;
  return undefined;
};

/** Runs one command line and returns its exit code; never calls process.exit, so tests can drive it. */
export const runCli = async (
  argv: readonly string[],
  io: CliIo,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    io.out(cliPackage.version);
    return EXIT.ok;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(
      usageLines(
        'ballast',
        `unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(', ')})`,
        'ballast --help',
      ),
    );
    return EXIT.usage;
  }
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args: [...rest],
        options: { ...command.options, help: { type: 'boolean', short: 'h' } },
        strict: true,
        allowPositionals: true,
      });
    } catch (error) {
      // Node's own text for an unknown option suggests passing it after '--' as a positional, which no
      // command takes: name the option and the ones the command has instead.
      const unknown =
        (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
          ? /'([^']*)'/.exec((error as Error).message)?.[1]
          : undefined;
      if (unknown !== undefined)
        throw new UsageError(
          `unknown option '${unknown}' (options: ${Object.keys(command.options)
            .map((o) => `--${o}`)
            .join(', ')}, --help)`,
        );
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      io.out(command.help);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 0 && !command.takesArguments)
      throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    return await command.run(
      parsed.values as Record<string, string | boolean | undefined>,
      io,
      signal,
      parsed.positionals,
    );
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(usageLines(`ballast ${name}`, error.message, `ballast ${name} --help`));
      return EXIT.usage;
    }
    if (error instanceof StoreError || error instanceof EngineError) {
      io.err(`ballast ${name}: ${error.message} [${error.code}]`);
      return error instanceof StoreError &&
        (error.code === 'INVALID_READ' || error.code === 'INVALID_CONNECTION_STRING')
        ? EXIT.usage
        : EXIT.storeFailed;
    }
    const access = storeAccessError(error);
    if (access !== undefined) {
      io.err(`ballast ${name}: ${access}`);
      return EXIT.storeFailed;
    }
    throw error;
  }
};
