import { type CliIo, UsageError } from './cli-io';

type OptionSpec = { type: 'string' | 'boolean'; short?: string };

/** One `ballast` subcommand: its help text, its options (node:util parseArgs) and what it does. */
export interface CliCommand {
  readonly name: string;
  readonly summary: string;
  readonly help: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  /** Whether it takes words besides options (`approvals approve TREASURY REQUEST-ID`); others refuse any. */
  readonly takesArguments?: boolean;
  run(
    values: Readonly<Record<string, string | boolean | undefined>>,
    io: CliIo,
    signal: AbortSignal,
    args: readonly string[],
  ): Promise<number>;
}

/** A required string option, or a usage error naming it. */
export const requireString = (values: Readonly<Record<string, unknown>>, name: string): string => {
  const value = values[name];
  if (typeof value !== 'string' || value === '')
    throw new UsageError(`--${name} ${name === 'db' ? 'PATH' : 'VALUE'} is required`);
  return value;
};
