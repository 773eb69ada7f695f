// Writes until told to stop, through the store or the engine, and says how every write ended:
//   ACK <id> <size> <firstPosition> <lastPosition>  (store: resolved, so durable; engine: positions 0 0)
//   FAIL <id> <code> <message>                        (threw; the id may be retried later)
// An engine command's id is <run>-<treasury>-d<n>.
// Four writes at a time, so faults also land inside group commits. A line "stop" on stdin closes
// the store and prints CLOSED; anything that would crash the process prints CRASH and exits 70.
// Used by the specs in tests/faults.
import { openBallast } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { agentConfig } from '../../support/treasury-fixtures';

const [dbPath, runId, via] = process.argv.slice(2) as [string, string, 'store' | 'engine'];
const pause = new Int32Array(new SharedArrayBuffer(4));
// stdout is a pipe the test reads between its own (synchronous) work: when it is full, writeSync
// throws EAGAIN; wait for room rather than lose a line or crash.
const say = (line: string): void => {
  const bytes = Buffer.from(`${line.replace(/\n/g, ' ')}\n`);
  for (let written = 0; written < bytes.length;) {
    try {
      written += writeSync(1, bytes, written);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EAGAIN') throw error;
      Atomics.wait(pause, 0, 0, 5);
    }
  }
};
const crash = (what: string) => (error: unknown) => {
  say(`CRASH ${what}: ${(error as Error)?.stack ?? String(error)}`);
  process.exit(70);
};
process.on('uncaughtException', crash('uncaughtException'));
process.on('unhandledRejection', crash('unhandledRejection'));

const store = openSqliteStore(dbPath);
let now = Date.UTC(2026, 0, 1);
// Snapshots every few events, so their saves meet the fault too (a failed save must not fail a command).
const ballast = openBallast({ store, clock: { now: () => (now += 1000) }, snapshotEvery: 5 });
let stopping = false;
let seq = 0;
let state = Number(runId.replace(/\D/g, '') || '1') * 7919 + 17;
const next = (n: number): number => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return (state >>> 16) % n; // the low bits of this generator repeat every few calls
};

const failed = (id: string, error: unknown): void => {
  const code = (error as { code?: string }).code ?? (error as Error).name;
  say(`FAIL ${id} ${code} ${(error as Error).message}`);
};

const appendOne = async (): Promise<boolean> => {
  const id = `${runId}-b${seq++}`;
  const size = 1 + next(8);
  const events = Array.from({ length: size }, (_, index) => ({
    type: 'Moved',
    version: 1,
    data: { batch: id, index, size, pad: 'x'.repeat(200 + next(600)) },
  }));
  try {
    const result = await store.append(`s-${next(5)}`, events, { expectedRevision: 'any', commandId: id });
    if (E.isLeft(result)) throw new Error(`refused: ${JSON.stringify(result.left)}`);
    say(`ACK ${id} ${size} ${result.right.firstPosition} ${result.right.lastPosition}`);
    return true;
  } catch (error) {
    failed(id, error);
    return false;
  }
};

const TREASURIES = ['alpha', 'beta', 'gamma', 'delta'];
const executeOne = async (agent: string): Promise<boolean> => {
  const id = `${runId}-${agent}-d${seq++}`;
  try {
    const result = await ballast.treasuries.execute(agent, { type: 'Deposit', amount: '1' }, { commandId: id });
    if (E.isLeft(result)) throw new Error(`refused: ${JSON.stringify(result.left)}`);
    say(`ACK ${id} ${result.right.events.length} 0 0`);
    return true;
  } catch (error) {
    failed(id, error);
    return false;
  }
};

const main = async (): Promise<void> => {
  if (via === 'engine')
    for (const agent of TREASURIES) {
      const opened = await ballast.treasuries.execute(
        agent,
        { type: 'OpenTreasury', config: agentConfig({ sizing: 'lottery' }) },
        { commandId: `${runId}-open-${agent}` },
      );
      if (E.isLeft(opened) && opened.left.code !== 'ALREADY_OPENED') throw new Error(JSON.stringify(opened.left));
    }
  say('READY');
  while (!stopping) {
    const round = await Promise.all(
      via === 'engine' ? TREASURIES.map(executeOne) : [appendOne(), appendOne(), appendOne(), appendOne()],
    );
    // A failing disk answers at once: pause a little rather than spin on it.
    if (round.includes(false)) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await ballast.snapshots.settled();
  try {
    await store.close();
    say('CLOSED');
  } catch (error) {
    failed('close', error);
  }
  process.exit(0);
};

createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'stop') stopping = true;
});
main().catch(crash('main'));
