import { EngineError } from '@ballast/engine';
import { StoreError } from '@ballast/event-store';
import { parseArgs } from 'node:util';
import { type CliIo, EXIT, UsageError } from './cli-io';
import type { CliCommand } from './command';
import { auditCommand } from './commands/audit';
import { inspectCommand } from './commands/inspect';
import { replayCommand } from './commands/replay';
import { simulateCommand } from './commands/simulate';
import { statusCommand } from './commands/status';
import { tailCommand } from './commands/tail';
import { verifyCommand } from './commands/verify';

const COMMANDS: readonly CliCommand[] = [simulateCommand, statusCommand, verifyCommand, auditCommand, replayCommand, inspectCommand, tailCommand];

export const mainHelp = `Usage: ballast <command> [options]

Ballast: an event-sourced treasury, risk and insurance engine for agents that handle money.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(8)} ${c.summary}`).join('\n')}

Run 'ballast <command> --help' for a command's options.`;

/** Runs one command line and returns its exit code; never calls process.exit, so tests can drive it. */
export const runCli = async (argv: readonly string[], io: CliIo, signal: AbortSignal = new AbortController().signal): Promise<number> => {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(mainHelp);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command === undefined) {
    io.err(`ballast: unknown command '${name}'.\n\n${mainHelp}`);
    return EXIT.usage;
  }
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: { ...command.options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.help) {
      io.out(command.help);
      return EXIT.ok;
    }
    if (parsed.positionals.length > 0) throw new UsageError(`unexpected argument '${parsed.positionals[0]}'`);
    return await command.run(parsed.values as Record<string, string | boolean | undefined>, io, signal);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`ballast ${name}: ${error.message}\n\n${command.help}`);
      return EXIT.usage;
    }
    if (error instanceof StoreError || error instanceof EngineError) {
      io.err(`ballast ${name}: ${error.message} [${error.code}]`);
      return error instanceof StoreError && (error.code === 'INVALID_READ' || error.code === 'INVALID_CONNECTION_STRING') ? EXIT.usage : EXIT.storeFailed;
    }
    throw error;
  }
};
