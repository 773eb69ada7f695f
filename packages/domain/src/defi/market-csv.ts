import * as E from 'fp-ts/Either';
import { describeValue, type InvalidInput } from '../codecs/report';
import { decodeMarketSnapshot, type MarketSnapshot } from './market-snapshot';

/** The columns of a market file, in order: one row per observation, dates in UTC. */
export const MARKET_CSV_COLUMNS = [
  'date',
  'btc_price',
  'eth_price',
  'mvrv_z',
  'funding_rate',
  'fear_greed',
  'source',
] as const;

const DATE = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/;
const MAX_ROWS = 100_000;

export interface CsvProblem {
  readonly line: number;
  readonly message: string;
}

const instantOf = (text: string): number | undefined => {
  if (!DATE.test(text)) return undefined;
  const ms = Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text);
  // Date.parse rolls 2026-02-30 over to March: a date that does not round-trip does not exist.
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text.slice(0, 10)) return undefined;
  return ms;
};

/**
 * A market file (the header names the columns above, in that order; `source` may be left out and
 * is then the file's name) into snapshots in time order. Any bad row refuses the whole file with
 * every problem by line number, so nothing is ever imported from half a file.
 */
export const parseMarketCsv = (text: string, fileName: string): E.Either<readonly CsvProblem[], MarketSnapshot[]> => {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  const header = (lines[0] ?? '').split(',').map((h) => h.trim());
  const withSource = header.length === MARKET_CSV_COLUMNS.length;
  const expected = withSource ? MARKET_CSV_COLUMNS : MARKET_CSV_COLUMNS.slice(0, -1);
  if (header.join(',') !== expected.join(','))
    return E.left([
      {
        line: 1,
        // Shown cut short (describeValue): a file of one megabyte-long line must not come back as a megabyte of error.
        message: `the header must be ${MARKET_CSV_COLUMNS.join(',')} (source optional), got ${describeValue(lines[0])}`,
      },
    ]);
  if (lines.length - 1 > MAX_ROWS) return E.left([{ line: MAX_ROWS + 2, message: `more than ${MAX_ROWS} rows` }]);
  const problems: CsvProblem[] = [];
  const rows: MarketSnapshot[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const cells = lines[i]!.split(',').map((c) => c.trim());
    if (cells.length !== expected.length) {
      problems.push({ line, message: `expected ${expected.length} columns, got ${cells.length}` });
      continue;
    }
    const [date, btcPrice, ethPrice, mvrvZ, fundingRate, fearGreed, source] = cells as string[];
    const observedAt = instantOf(date!);
    if (observedAt === undefined) {
      problems.push({
        line,
        message: `date ${describeValue(date)} is not a UTC date like 2026-01-31 or 2026-01-31T12:00Z`,
      });
      continue;
    }
    const decoded = decodeMarketSnapshot({
      observedAt,
      btcPrice,
      ethPrice,
      mvrvZ,
      fundingRate,
      fearGreed,
      source: source ?? fileName,
    });
    if (E.isLeft(decoded)) {
      problems.push(
        ...(decoded.left as InvalidInput).issues.map((issue) => ({ line, message: `${issue.path}: ${issue.message}` })),
      );
      continue;
    }
    const previous = rows[rows.length - 1];
    if (previous !== undefined && decoded.right.observedAt <= previous.observedAt)
      problems.push({ line, message: `date ${date} is not after the row before it` });
    rows.push(decoded.right);
  }
  if (rows.length === 0 && problems.length === 0) problems.push({ line: 2, message: 'the file has no rows' });
  return problems.length > 0 ? E.left(problems) : E.right(rows);
};
