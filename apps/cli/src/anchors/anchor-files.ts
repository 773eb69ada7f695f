import { type AnchorLine, AnchorKeyError, parseAnchorLines, signingKeyOf, trustedKeyOf } from '@ballast/engine';
import type { KeyObject } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, statSync, writeSync } from 'node:fs';
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

/** The key a verifier trusts (`--anchor-key`): the public key (a signing key is refused). */
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

/**
 * Appends one anchor line. A file whose last line was torn (a crash, a full disk) gets a newline
 * first, so the new anchor stands on a line of its own instead of being glued to the broken one.
 * Returns the file's size after the write.
 */
export const appendAnchorLine = (path: string, line: string): number => {
  const fd = openSync(path, 'a', 0o644);
  try {
    const { size } = fstatSync(fd);
    let lastByte = '\n';
    if (size > 0) {
      const byte = Buffer.alloc(1);
      const reader = openSync(path, 'r');
      try {
        readSync(reader, byte, 0, 1, size - 1);
      } finally {
        closeSync(reader);
      }
      lastByte = byte.toString('latin1');
    }
    writeSync(fd, lastByte === '\n' ? line : `\n${line}`);
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
};

/** An output path that is a folder is a usage mistake (not a store failure): said in one line. */
export const requireNotFolder = (path: string, option: string): void => {
  if (existsSync(path) && statSync(path).isDirectory())
    throw new UsageError(`${option} ${path} is a folder; give a file`);
};

/** The anchor file an anchor is appended to, read as --anchor is (the same size limit). */
export const readExistingAnchors = (path: string): AnchorLine[] =>
  existsSync(path) ? parseAnchorLines(readSmallFile(path, '--out', MAX_ANCHOR_FILE_BYTES)) : [];
