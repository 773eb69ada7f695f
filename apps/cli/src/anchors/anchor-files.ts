import { type AnchorLine, AnchorKeyError, parseAnchorLines, signingKeyOf, trustedKeyOf } from '@ballast/engine';
import type { KeyObject } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { UsageError } from '../cli-io';

/** Anchor files grow by one line (a few hundred bytes per 1,000 streams) per anchor; past this one is not ours. */
const MAX_ANCHOR_FILE_BYTES = 256 * 1024 * 1024;
const MAX_KEY_FILE_BYTES = 16 * 1024;

const readSmallFile = (path: string, option: string, limit: number): string => {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (error) {
    throw new UsageError(
      `${option} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  if (size > limit)
    throw new UsageError(`${option} ${path}: ${size} bytes is more than the ${limit} this file can hold`);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${option} ${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
};

const keyFrom = (path: string, option: string, parse: (pem: string, what: string) => KeyObject): KeyObject => {
  const pem = readSmallFile(path, option, MAX_KEY_FILE_BYTES);
  try {
    return parse(pem, `${option} ${path}`);
  } catch (error) {
    if (error instanceof AnchorKeyError) throw new UsageError(error.message);
    throw error;
  }
};

/** The key anchors are signed with (`--key`). */
export const readSigningKey = (path: string, option = '--key'): KeyObject => keyFrom(path, option, signingKeyOf);

/** The key a verifier trusts (`--anchor-key`): the public key, or the signing key whose public half is taken. */
export const readTrustedKey = (path: string): KeyObject => keyFrom(path, '--anchor-key', trustedKeyOf);

/** Every line of an anchor file; a file with no line at all is a mistake (the wrong file), said as such. */
export const readAnchorLines = (path: string): AnchorLine[] => {
  const lines = parseAnchorLines(readSmallFile(path, '--anchor', MAX_ANCHOR_FILE_BYTES));
  if (lines.length === 0)
    throw new UsageError(`--anchor ${path}: the file holds no anchor (ballast anchor create writes them)`);
  return lines;
};

/** `--anchor FILE` needs the trusted key beside it; both or neither. */
export const anchorOptionsOf = (
  values: Readonly<Record<string, string | boolean | undefined>>,
): { readonly lines: AnchorLine[]; readonly trusted: KeyObject } | undefined => {
  const file = values.anchor as string | undefined;
  const key = values['anchor-key'] as string | undefined;
  if (file === undefined && key === undefined) return undefined;
  if (file === undefined) throw new UsageError('--anchor-key is for checking anchors: give --anchor FILE too');
  if (key === undefined)
    throw new UsageError(
      '--anchor needs --anchor-key PUBLIC-KEY-FILE: the public key you trust ' +
        '(the key id inside an anchor proves nothing, a forger writes their own)',
    );
  return { lines: readAnchorLines(file), trusted: readTrustedKey(key) };
};

export const ANCHOR_CHECK_OPTIONS = { anchor: { type: 'string' }, 'anchor-key': { type: 'string' } } as const;

export const ANCHOR_CHECK_HELP = `  --anchor FILE     also check the log against every signed anchor in FILE (ballast anchor create):
                    a log cut off, rolled back to an older copy or with a stream rewritten fails,
                    naming the stream and revision
  --anchor-key PUB  the public key the anchors must be signed with (required with --anchor)`;
