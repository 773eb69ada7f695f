import { MARKET_CSV_COLUMNS, MarketSnapshotCodec, parseMarketCsv } from '@ballast/domain';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { LlmAdvisorError, parseLlmAnswer } from '../../apps/cli/src/advisors/llm-advisor';
import {
  AWKWARD_STRINGS,
  garbageJsonText,
  hugeString,
  nearValid,
  NUMERIC_STRINGS,
  toJsonText,
  trickyString,
} from './arbitraries';
import { fuzzParams, fuzzTimeoutMs } from './fuzz-settings';

const CI_RUNS = 300;
// A problem names its line and what is wrong in a sentence, never the whole megabyte it was given.
const MAX_PROBLEM_CHARS = 1_000;

// --- market CSV rows ---------------------------------------------------------------------------------------------

const validRow = (day: number): string[] => [
  `2026-01-${String(day).padStart(2, '0')}`,
  '95000.5',
  '3400',
  '2.1',
  '0.0001',
  '55',
  'feed',
];

const validCsv = fc.tuple(fc.integer({ min: 1, max: 6 }), fc.boolean()).map(([rows, withSource]) => {
  const columns = withSource ? MARKET_CSV_COLUMNS.length : MARKET_CSV_COLUMNS.length - 1;
  const lines = [MARKET_CSV_COLUMNS.slice(0, columns).join(',')];
  for (let day = 1; day <= rows; day++) lines.push(validRow(day).slice(0, columns).join(','));
  return lines;
});

const cellGarbage = fc.oneof(
  fc.constantFrom(...NUMERIC_STRINGS),
  fc.constantFrom(...AWKWARD_STRINGS),
  fc.constantFrom('2026-02-30', '2026-13-01', '2026-1-1', '26-01-01', '2026-01-01T25:00Z', '2026-01-01 00:00', '"1"'),
  trickyString,
);

/** Array.prototype.toSpliced (ES2023, beyond the tsconfig's lib). */
const spliced = (items: readonly string[], start: number, remove: number, ...add: string[]): string[] => {
  const out = [...items];
  out.splice(start, remove, ...add);
  return out;
};

type LineEdit = (lines: string[], line: number, cell: number, text: string) => string[];
const EDITS: readonly LineEdit[] = [
  (lines, line, cell, text) => lines.map((l, i) => (i === line ? replaceCell(l, cell, text) : l)),
  (lines, line, cell) => lines.map((l, i) => (i === line ? spliced(l.split(','), cell, 1).join(',') : l)),
  (lines, line, _, text) => lines.map((l, i) => (i === line ? `${l},${text}` : l)),
  (lines, line) => spliced(lines, line, 0, lines[line] ?? ''),
  (lines, line) => spliced(lines, line, 1),
  (lines, line, _, text) => spliced(lines, line, 0, text),
  (lines, line) => lines.map((l, i) => (i === line ? `${l}\r` : l)),
  (lines) => [`\uFEFF${lines[0]}`, ...lines.slice(1)],
];
const replaceCell = (line: string, cell: number, text: string): string => {
  const cells = line.split(',');
  cells[cell % cells.length] = text;
  return cells.join(',');
};

const nearValidCsv = fc
  .tuple(
    validCsv,
    fc.array(fc.tuple(fc.integer({ min: 0, max: EDITS.length - 1 }), fc.nat(), fc.nat({ max: 6 }), cellGarbage), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.constantFrom('\n', '\r\n', '\r'),
  )
  .map(([lines, edits, eol]) =>
    edits.reduce((ls, [edit, line, cell, text]) => EDITS[edit]!(ls, line % ls.length, cell, text), lines).join(eol),
  );

const csvText = fc.oneof(
  { arbitrary: nearValidCsv, weight: 6 },
  { arbitrary: validCsv.map((lines) => lines.join('\n')), weight: 1 },
  { arbitrary: fc.oneof(trickyString, hugeString, garbageJsonText), weight: 2 },
);

describe('fuzzed text inputs: a market CSV and an LLM answer are refused line by line, never thrown', () => {
  it(
    'parseMarketCsv: never throws; refuses with numbered, bounded problems; what it accepts is valid and in time order',
    () => {
      fc.assert(
        fc.property(csvText, fc.constantFrom('market.csv', 'x'), (text, fileName) => {
          const result = parseMarketCsv(text, fileName);
          const lineCount = text.split(/\r\n?|\n/).length;
          if (E.isLeft(result)) {
            expect(result.left.length).toBeGreaterThan(0);
            for (const problem of result.left) {
              expect(Number.isSafeInteger(problem.line)).toBe(true);
              expect(problem.line).toBeGreaterThanOrEqual(1);
              expect(problem.line).toBeLessThanOrEqual(Math.max(lineCount + 1, 2));
              expect(problem.message.length).toBeGreaterThan(0);
              expect(problem.message.length).toBeLessThanOrEqual(MAX_PROBLEM_CHARS);
            }
            return;
          }
          expect(result.right.length).toBeGreaterThan(0);
          result.right.forEach((row, i) => {
            expect(MarketSnapshotCodec.is(row)).toBe(true);
            if (i > 0) expect(row.observedAt).toBeGreaterThan(result.right[i - 1]!.observedAt);
          });
        }),
        fuzzParams(CI_RUNS),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 2),
  );

  const VALID_ANSWERS = [
    { target: { baseYield: '0.6', BTC: '0.2', ETH: '0.1', USDC: '0.1' }, confidence: '0.7', reasons: ['calm'] },
    { target: { baseYield: '0.5', BTC: '0.25', ETH: '0.15', USDC: '0.1' }, confidence: 0.5, reasons: ['a', 'b'] },
  ];

  it(
    'parseLlmAnswer: advice, or LlmAdvisorError LLM_BAD_ANSWER with a bounded message; nothing else is thrown',
    () => {
      const answerText = fc.oneof(
        nearValid(VALID_ANSWERS).map(toJsonText),
        garbageJsonText,
        fc.constantFrom(...VALID_ANSWERS.map((v) => JSON.stringify(v))),
      );
      fc.assert(
        fc.property(answerText, (text) => {
          try {
            const advice = parseLlmAnswer(text);
            expect(typeof advice).toBe('object');
          } catch (error) {
            expect(error).toBeInstanceOf(LlmAdvisorError);
            expect((error as LlmAdvisorError).code).toBe('LLM_BAD_ANSWER');
            expect((error as Error).message.length).toBeLessThanOrEqual(60 * MAX_PROBLEM_CHARS);
          }
        }),
        fuzzParams(CI_RUNS),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 2),
  );
});
