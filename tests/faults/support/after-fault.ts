import { auditStore } from '@ballast/engine';
import { type EventStore, openSqliteStore } from '@ballast/event-store';
import { join } from 'node:path';
import { type Child, spawnChild } from '../../event-store/child-process';

export interface Ack {
  readonly id: string;
  readonly size: number;
  readonly firstPosition: number;
  readonly lastPosition: number;
}

export interface Failure {
  readonly id: string;
  readonly code: string;
  readonly message: string;
}

export const acksOf = (child: Child): Ack[] =>
  child.lines
    .filter((l) => l.startsWith('ACK '))
    .map((l) => {
      const [, id, size, first, last] = l.split(' ');
      return { id: id!, size: Number(size), firstPosition: Number(first), lastPosition: Number(last) };
    });

export const failuresOf = (child: Child): Failure[] =>
  child.lines
    .filter((l) => l.startsWith('FAIL '))
    .map((l) => {
      const [, id, code, ...message] = l.split(' ');
      return { id: id!, code: code!, message: message.join(' ') };
    });

/** A writer child (children/fault-writer.ts): through the raw store or the engine. */
export const startWriter = async (
  db: string,
  runId: string,
  via: 'store' | 'engine',
  env?: Record<string, string>,
): Promise<Child> => {
  const child = spawnChild(join(__dirname, '..', 'children', 'fault-writer.ts'), [db, runId, via], env);
  await child.waitFor(/^READY$/, 30_000);
  return child;
};

/** Resolves once the child has printed `count` lines starting with `prefix` (ACK, FAIL). */
export const waitForLines = async (child: Child, prefix: string, count: number, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  const seen = () => child.lines.filter((l) => l.startsWith(prefix)).length;
  while (seen() < count) {
    const crashed = child.lines.find((l) => l.startsWith('CRASH'));
    if (crashed !== undefined) throw new Error(`the writer crashed: ${crashed}`);
    if (Date.now() > deadline)
      throw new Error(
        `the writer printed ${seen()} of ${count} ${prefix} lines in ${timeoutMs} ms; last: ${child.lines.at(-1)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

/** Tells the writer to stop; it must close its store and exit 0 (no crash, whatever it met). */
export const stopWriter = async (child: Child): Promise<void> => {
  child.process.stdin.write('stop\n');
  expect(await child.exited).toBe(0);
  expect(child.lines.filter((l) => l.startsWith('CRASH'))).toEqual([]);
};

export interface AfterFault {
  /** Events in the store. */
  readonly events: number;
  /** Failed writes found in the store after all (only where a failure may have landed). */
  readonly landedAfterFailing: string[];
  /** Acknowledged writes missing from the end of the log (only with `tailMayBeLost`). */
  readonly lostTail: string[];
}

/** A failure whose message says it is in doubt (an fsync failed after the commit frame was written). */
export const inDoubt = (failure: Failure): boolean => failure.message.includes('may still be found after a restart');

/**
 * The store after a fault, opened again: every chain verifies (and, for the engine, every aggregate
 * re-folds), every acknowledged write is there (the raw store's at the very positions it was told),
 * every write is whole or absent, and a failed write is absent unless its message said it was in
 * doubt: the error tells the truth about what the store holds.
 */
export const checkAfterFault = async (
  store: EventStore,
  via: 'store' | 'engine',
  acks: readonly Ack[],
  failures: readonly Failure[],
  { tailMayBeLost = false }: { tailMayBeLost?: boolean } = {},
): Promise<AfterFault> => {
  expect(await store.verify()).toMatchObject({ ok: true });
  if (via === 'engine') expect(await auditStore(store)).toMatchObject({ ok: true });
  const batches = new Map<string, { size: number; positions: number[]; indexes: number[] }>();
  let events = 0;
  for await (const event of store.readAll()) {
    events += 1;
    const data = event.data as { batch?: string; index?: number; size?: number };
    if (data.batch === undefined) continue;
    const entry = batches.get(data.batch) ?? { size: data.size!, positions: [], indexes: [] };
    entry.positions.push(event.position);
    entry.indexes.push(data.index!);
    batches.set(data.batch, entry);
  }
  for (const [batch, entry] of batches)
    expect({ batch, indexes: entry.indexes }).toEqual({
      batch,
      indexes: Array.from({ length: entry.size }, (_, i) => i),
    });
  const lost: string[] = [];
  for (const ack of acks) {
    const result = await store.commandResult(ack.id);
    if (result === undefined) {
      lost.push(ack.id);
      continue;
    }
    if (via === 'store') {
      expect({ id: ack.id, first: result.firstPosition, last: result.lastPosition }).toEqual({
        id: ack.id,
        first: ack.firstPosition,
        last: ack.lastPosition,
      });
      expect(batches.get(ack.id)?.positions[0]).toBe(ack.firstPosition);
    }
  }
  if (tailMayBeLost) {
    // Only a tail: every lost write was acknowledged after every kept one, past the store's head.
    const kept = acks.filter((a) => !lost.includes(a.id));
    const keptUpTo = Math.max(0, ...kept.map((a) => a.lastPosition));
    const head = await store.headPosition();
    const holes = acks.filter((a) => lost.includes(a.id) && (a.firstPosition <= keptUpTo || a.firstPosition <= head));
    expect({ lostAcknowledgedInsideTheLog: holes }).toEqual({ lostAcknowledgedInsideTheLog: [] });
  } else expect({ lostAcknowledged: lost }).toEqual({ lostAcknowledged: [] });
  const landed: string[] = [];
  for (const failure of failures) if ((await store.commandResult(failure.id)) !== undefined) landed.push(failure.id);
  const unannounced = failures.filter((f) => landed.includes(f.id) && !inDoubt(f));
  expect({ failedAndStoredThoughNotInDoubt: unannounced }).toEqual({ failedAndStoredThoughNotInDoubt: [] });
  return { events, landedAfterFailing: landed, lostTail: lost };
};

/** The treasury an engine command of fault-writer.ts went to (its id is <run>-<treasury>-d<n>). */
export const treasuryOf = (commandId: string): string => commandId.split('-')[1]!;

/** The writer store opened again (the child is gone). */
export const reopen = (db: string): EventStore => openSqliteStore(db);
