import { type Advisor, MARKET_CSV_COLUMNS, parseMarketCsv } from '@ballast/domain';
import { auditStore } from '@ballast/engine';
import { type EventStore, openMemoryStore, openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { backtestHtml, backtestTable } from '../backtest/backtest-report';
import { DEFAULT_BACKTEST, runBacktest } from '../backtest/run-backtest';
import { LLM_ENV, llmAdvisorFromEnv } from '../advisors/llm-advisor';
import { EXIT, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';

/** A market file is a few MB at most (100,000 daily rows is 270 years): anything larger is not one. */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'replay daily market data through a DeFi treasury and compare it with holding',
  help: `Usage: ballast backtest --market FILE.csv [--out DIR] [--db PATH] [--json] [--advisor rules|llm]

Replays a market file day by day through a treasury opened with the "defi" preset (base yield 60% /
tactical 40%, seed 002), one hour after each reading, as a DeFi agent of @ballast/sim does:
  1. the base sleeve is in three simulated yield venues (lending, a 90-day fixed term, a liquidity
     pool with a 0.04% exit fee) whose rates are quoted daily: a moved rate is recorded, a matured
     term comes back, and yield accrues in event time;
  2. the split is rebalanced to 60/40 when it drifted past 5%, money freed from the venues first
     when the base sleeve's idle cash is short;
  3. the reading is recorded with the rule-based signal it gives (phase, mode, MVRV ladder, target
     allocation, reasons);
  4. the tactical sleeve swaps toward the target through USDC at a simulated venue (0.1% worse than
     the reading, 30 gwei, $5 gas), within the 40% volatile and 25% per-asset caps, a purchase cut
     to the cash there is;
  5. idle base money goes to the venues by their shares.
Moves above 50,000 (swaps and venue deposits) are held and approved by the backtest's operator, on
the record. Then prints the result beside holding base yield only (the same venues' daily quotes,
blended by their shares) and buying BTC on day one, the yield earned, and each kind of decision
with what the market did 7 days later; writes OUT/backtest.json and OUT/backtest.html, and audits
the store. The same file gives the same audit digest.

The file's columns, with a header row: ${MARKET_CSV_COLUMNS.join(',')}
  date           a UTC day (2026-01-31) or time (2026-01-31T12:00Z), strictly increasing
  btc_price      USD, eth_price USD
  mvrv_z         the MVRV Z-score
  funding_rate   per period, a fraction (0.002 is 0.2%)
  fear_greed     0 to 100
  source         where the row came from; the column may be left out (then the file's name is
                 the source), but an empty cell is refused
A bad row refuses the whole file: every problem is printed with its line number, nothing is run.
examples/market-synthetic.csv is a synthetic year through every phase (see its source column).

Options:
  --market FILE  the market file (required)
  --out DIR      where backtest.json and backtest.html go (default ./data/backtest)
  --db PATH      keep the run in a new SQLite store at PATH (refused if it exists); default in memory
  --json         print backtest.json instead of the table
  --advisor NAME rules (default): the rule-based signal decides the target. llm: after each signal
                 a language model is asked too (an OpenAI-compatible Chat Completions endpoint from
                 BALLAST_LLM_URL, BALLAST_LLM_MODEL, BALLAST_LLM_KEY); its advice is recorded, and
                 traded on, when it keeps the risk rules, else refused on the record and the rules'
                 target stands; a failed or late answer records nothing. Not reproducible: the
                 digest then proves the store, not the run
  -h, --help     show this help

Exit codes: 0 ok, 1 the file was refused (its problems are printed) or the audit failed, 2 bad usage,
3 the file, the output folder or the store could not be used.`,
  options: {
    market: { type: 'string' },
    out: { type: 'string' },
    db: { type: 'string' },
    json: { type: 'boolean' },
    advisor: { type: 'string' },
  },
  run: async (values, io) => {
    const file = requireString(values, 'market');
    const advisorName = typeof values.advisor === 'string' ? values.advisor : 'rules';
    if (advisorName !== 'rules' && advisorName !== 'llm')
      throw new UsageError(`--advisor must be rules or llm, got ${advisorName}`);
    let advisor: Advisor | undefined;
    if (advisorName === 'llm') {
      try {
        advisor = llmAdvisorFromEnv(process.env);
      } catch (error) {
        throw new UsageError(`--advisor llm: ${(error as Error).message}`);
      }
      if (advisor === undefined)
        throw new UsageError(`--advisor llm needs ${Object.values(LLM_ENV).join(', ')} set (the key is never printed)`);
    }
    const out = typeof values.out === 'string' && values.out !== '' ? values.out : './data/backtest';
    if (!existsSync(file)) {
      io.err(`ballast backtest: no market file at ${file}`);
      return EXIT.storeFailed;
    }
    if (statSync(file).size > MAX_FILE_BYTES) {
      io.err(`ballast backtest: ${file} is larger than ${MAX_FILE_BYTES} bytes: not a market file`);
      return EXIT.storeFailed;
    }
    const text = readFileSync(file, 'utf8');
    // The default source is the file's name, cut to what a source may hold.
    const rows = parseMarketCsv(text, basename(file).slice(0, 64));
    if (E.isLeft(rows)) {
      for (const p of rows.left.slice(0, 50)) io.err(`${file}:${p.line}: ${p.message}`);
      if (rows.left.length > 50) io.err(`… and ${rows.left.length - 50} more problems`);
      io.err(`ballast backtest: ${file} was refused (${rows.left.length} problem(s)); nothing was run`);
      return EXIT.checkFailed;
    }
    const db = typeof values.db === 'string' && values.db !== '' ? values.db : undefined;
    if (db !== undefined && existsSync(db)) {
      io.err(`ballast backtest: ${db} exists; a backtest writes a new store (give another path)`);
      return EXIT.storeFailed;
    }
    // The output folder first: a run that cannot write its report should not leave a store behind.
    try {
      mkdirSync(out, { recursive: true });
    } catch (error) {
      io.err(`ballast backtest: cannot write to ${out}: ${(error as Error).message}`);
      return EXIT.storeFailed;
    }
    if (db !== undefined) mkdirSync(dirname(db), { recursive: true });
    const store: EventStore = db === undefined ? openMemoryStore() : openSqliteStore(db);
    try {
      const result = await runBacktest(store, rows.right, DEFAULT_BACKTEST, advisor);
      const audit = await auditStore(store);
      if (!audit.ok) {
        io.err(`ballast backtest: the audit failed: ${JSON.stringify(audit.problem)}`);
        return EXIT.checkFailed;
      }
      // The digest covers the folded states; the file's own hash says which file this was.
      const marketSha256 = createHash('sha256').update(text, 'utf8').digest('hex');
      const summary = { ...result, marketFile: basename(file), marketSha256, auditDigest: audit.totalDigest };
      const json = JSON.stringify(summary, null, 2) + '\n';
      writeFileSync(join(out, 'backtest.json'), json);
      writeFileSync(join(out, 'backtest.html'), backtestHtml(result, audit.totalDigest));
      if (values.json) io.out(json.trimEnd());
      else {
        for (const line of backtestTable(result, audit.totalDigest)) io.out(line);
        io.out(`wrote     ${join(out, 'backtest.json')}, ${join(out, 'backtest.html')}`);
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
