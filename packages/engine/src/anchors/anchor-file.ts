import * as E from 'fp-ts/Either';
import { decodeInput } from '@ballast/domain';
import { type Anchor, AnchorCodec } from './anchor-codec';
import type { AnchorProblem } from './anchor-problems';

/** One line of an anchor file: an anchor, or why the line is not one. */
export type AnchorLine =
  { readonly line: number; readonly anchor: Anchor } | { readonly line: number; readonly problem: AnchorProblem };

const decodeAnchor = decodeInput(AnchorCodec, 'anchor');

/** An anchor file is JSON lines, one signed anchor per line, appended over time; blank lines are skipped. */
export const parseAnchorLines = (text: string): AnchorLine[] => {
  const lines: AnchorLine[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const malformed = (why: string): AnchorLine => ({
      line,
      problem: { code: 'ANCHOR_MALFORMED', line, message: `line ${line}: ${why}` },
    });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (error) {
      lines.push(malformed(`not JSON (${(error as Error).message})`));
      return;
    }
    const decoded = decodeAnchor(json);
    if (E.isLeft(decoded)) {
      const first = decoded.left.issues[0];
      lines.push(malformed(first ? `${first.path || 'the line'}: ${first.message}` : 'not an anchor'));
    } else lines.push({ line, anchor: decoded.right });
  });
  return lines;
};

/** The text of one anchor as a line of its file. */
export const anchorLine = (anchor: Anchor): string => `${JSON.stringify(anchor)}\n`;
