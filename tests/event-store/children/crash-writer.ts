// Appends forever until killed, printing one ACK line per append only after it resolved (durable).
// Four appends at a time, so kills also land inside group commits. Used by crash.int.spec.ts.
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { writeSync } from 'node:fs';

const [dbPath, runId] = process.argv.slice(2) as [string, string];
const store = openSqliteStore(dbPath);
let seq = 0;
let state = Number(runId.replace(/\D/g, '')) * 7919 + 17;
const next = (n: number): number => {
  state = (state * 1103515245 + 12345) % 2147483648;
  return state % n;
};

const appendOne = async (): Promise<void> => {
  const commandId = `${runId}-b${seq++}`;
  const size = 1 + next(40);
  const stream = `s-${next(5)}`;
  const events = Array.from({ length: size }, (_, index) => ({
    type: 'Moved',
    version: 1,
    data: { batch: commandId, index, size, amount: `${next(100000)}.${next(999999)}`, pad: 'x'.repeat(next(300)) },
  }));
  const result = await store.append(stream, events, { expectedRevision: 'any', commandId });
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  writeSync(1, `ACK ${commandId} ${size} ${result.right.firstPosition} ${result.right.lastPosition}\n`);
};

const loop = async (): Promise<never> => {
  writeSync(1, 'READY\n');
  for (;;) await Promise.all([appendOne(), appendOne(), appendOne(), appendOne()]);
};
void loop();
