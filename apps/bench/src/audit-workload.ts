import { agentPreset, Decimal, money, type TreasuryEvent } from '@ballast/domain';
import { auditStore, TREASURY, toStored } from '@ballast/engine';
import { type EventStore, type NewEventInput, openSqliteStore } from '@ballast/event-store';
import { fork } from 'node:child_process';
import * as E from 'fp-ts/Either';
import { performance } from 'node:perf_hooks';

/**
 * The audit workload of issue 12: K treasuries, N real treasury events in global order, streams
 * interleaved. Each treasury opens, then cycles through a deposit, a move to the casino bucket, a
 * bet placed and settled (won or lost), a move back and a withdrawal, so every read model and the
 * G6 ledger see money move. Events are built once per kind of step with `toStored` and appended
 * straight to the store in batches, one concurrent round over all treasuries at a time (the store
 * groups the concurrent commits).
 */
export interface AuditWorkload {
  readonly events: number;
  readonly treasuries: number;
  /** Events per append per treasury (default 25). */
  readonly batch?: number;
}

const CYCLE = ['deposit', 'toCasino', 'bet', 'settle', 'toReserve', 'withdraw'] as const;
const START_MS = Date.UTC(2026, 0, 1);

/** Event `i` (0-based, within its stream) of treasury `k`: event 0 opens it. */
const treasuryEvent = (k: number, i: number, at: number): TreasuryEvent => {
  if (i === 0) return { type: 'TreasuryOpened', at, config: agentPreset() } as TreasuryEvent;
  const step = CYCLE[(i - 1) % CYCLE.length]!;
  const round = Math.floor((i - 1) / CYCLE.length);
  const betId = `b${round}`;
  const won = (k + round) % 2 === 0;
  switch (step) {
    case 'deposit':
      return { type: 'FundsDeposited', at, bucket: 'reserve', amount: money('100') } as TreasuryEvent;
    case 'toCasino':
      return {
        type: 'FundsTransferred',
        at,
        from: 'reserve',
        to: 'casino',
        amount: money('10'),
        reason: 'manual',
      } as TreasuryEvent;
    case 'bet':
      return {
        type: 'BetPlaced',
        at,
        betId,
        sessionId: 's0',
        game: 'coin_flip',
        stake: money('1'),
        policy: 'lottery',
        edge: new Decimal('-0.01'),
        cap: money('2'),
      } as TreasuryEvent;
    case 'settle':
      return { type: 'BetSettled', at, betId, won, pnl: money(won ? '0.98' : '-1') } as TreasuryEvent;
    case 'toReserve':
      return {
        type: 'FundsTransferred',
        at,
        from: 'casino',
        to: 'reserve',
        amount: money('5'),
        reason: 'manual',
      } as TreasuryEvent;
    case 'withdraw':
      return { type: 'FundsWithdrawn', at, bucket: 'reserve', amount: money('50') } as TreasuryEvent;
    default: {
      const unreachable: never = step;
      return unreachable;
    }
  }
};

const ok = <L extends { message: string }, R>(result: E.Either<L, R>): R => {
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

/** Appends the workload to `store` (which should be empty); returns the number of events written. */
export const fillAuditWorkload = async (store: EventStore, workload: AuditWorkload): Promise<number> => {
  const { events, treasuries } = workload;
  const batch = workload.batch ?? 25;
  const perStream = Array.from(
    { length: treasuries },
    (_, k) => Math.floor(events / treasuries) + (k < events % treasuries ? 1 : 0),
  );
  const written = new Array<number>(treasuries).fill(0);
  let at = START_MS;
  let total = 0;
  for (let round = 0; total < events; round++) {
    const appends: Promise<unknown>[] = [];
    for (let k = 0; k < treasuries; k++) {
      const from = written[k]!;
      const n = Math.min(batch, perStream[k]! - from);
      if (n <= 0) continue;
      const input: NewEventInput[] = [];
      for (let i = from; i < from + n; i++)
        input.push(
          toStored(TREASURY, treasuryEvent(k, i, (at += 1000)), {
            commandId: `w-${k}-${round}`,
            actor: `agent-${k % 64}`,
          }),
        );
      appends.push(
        store
          .append(`treasury-t${k}`, input, {
            expectedRevision: from === 0 ? 'no_stream' : from - 1,
            commandId: `w-${k}-${round}`,
          })
          .then(ok),
      );
      written[k] = from + n;
      total += n;
    }
    await Promise.all(appends);
  }
  return total;
};

/** Creates a SQLite file at `path` holding the workload. */
export const createAuditWorkloadFile = async (path: string, workload: AuditWorkload): Promise<number> => {
  const store = openSqliteStore(path);
  try {
    return await fillAuditWorkload(store, workload);
  } finally {
    await store.close();
  }
};

export type AuditMeasure = 'audit' | 'verify+fold';

export interface AuditRun {
  readonly measure: AuditMeasure;
  readonly events: number;
  readonly ms: number;
  readonly eventsPerSecond: number;
  /** The process's peak resident set (bytes) when the run ended: run in a fresh process for a clean figure. */
  readonly peakRssBytes: number;
  /**
   * For `audit`: the totalDigest, so runs can be compared; for verify+fold, the head position and the streams folded.
   */
  readonly check: string;
  readonly ok: boolean;
}

/**
 * One timed run over the store at `path`, in this process: `audit` is `auditStore` (every chain,
 * every aggregate re-folded, every read model, the G6 ledger); `verify+fold` is `store.verify` with
 * a plain fold over the events it hands over, in one read of the table.
 */
export const measureAuditOnce = async (path: string, measure: AuditMeasure): Promise<AuditRun> => {
  const store = openSqliteStore(path, { readonly: true });
  try {
    const t0 = performance.now();
    let events: number;
    let check: string;
    let good: boolean;
    if (measure === 'audit') {
      const report = await auditStore(store);
      events = report.events;
      check = report.totalDigest;
      good = report.ok;
    } else {
      // The fold of the bench's plain "fold" row (events and the last type per stream), over the events
      // verify hands over: one read of the table.
      const folded = new Map<string, { events: number; lastType: string }>();
      const chains = await store.verify({
        onEvent: (e) => {
          const s = folded.get(e.streamId);
          if (s === undefined) folded.set(e.streamId, { events: 1, lastType: e.type });
          else {
            s.events += 1;
            s.lastType = e.type;
          }
        },
      });
      events = chains.events;
      check = `${chains.headPosition}/${folded.size}`;
      good = chains.ok;
    }
    const ms = performance.now() - t0;
    return {
      measure,
      events,
      ms,
      eventsPerSecond: (events / ms) * 1000,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      check,
      ok: good,
    };
  } finally {
    await store.close();
  }
};

/**
 * The same run in a fresh Node process (this one's exec arguments, so `--import tsx` carries over,
 * plus `nodeArgs`), so its peak RSS is the run's own and not the filler's or an earlier run's.
 * V8 grows the heap well past the live set before it collects; `['--max-old-space-size=128']`
 * shows what the audit needs rather than what V8 chose to keep.
 */
export const measureAuditInChild = (
  path: string,
  measure: AuditMeasure,
  nodeArgs: readonly string[] = [],
): Promise<AuditRun> =>
  new Promise((resolve, reject) => {
    const child = fork(__filename, ['--audit-child', path, measure], {
      execArgv: [...process.execArgv, ...nodeArgs],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: AuditRun | undefined;
    child.on('message', (m) => (result = m as AuditRun));
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`audit child exited with ${code}`))));
  });

if (process.argv[2] === '--audit-child' && process.send) {
  const [path, measure] = process.argv.slice(3) as [string, AuditMeasure];
  measureAuditOnce(path, measure).then(
    (run) => process.send!(run, () => process.exit(0)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
