import { type EventStore, type NewEventInput, StoreError } from '@ballast/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StoreFixture {
  readonly store: EventStore;
  /** Closes the store and removes whatever it left on disk. */
  dispose(): Promise<void>;
}

export type StoreFactory = () => StoreFixture | Promise<StoreFixture>;

export const tempDir = (label: string): { path: string; remove: () => void } => {
  const path = mkdtempSync(join(tmpdir(), `ballast-${label}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
};

export const deposit = (amount: string, extra: Record<string, string> = {}): NewEventInput => ({
  type: 'FundsDeposited',
  version: 1,
  data: { amount, ...extra },
  metadata: { actor: 'agent-1', correlationId: 'corr-1' },
});

export const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

/** The StoreError an async call throws; fails the test when it throws something else or nothing. */
export const storeErrorOf = async (work: () => Promise<unknown>): Promise<StoreError> => {
  try {
    await work();
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError);
    return error as StoreError;
  }
  throw new Error('expected a StoreError');
};

/** The StoreError a synchronous call throws (anything else is rethrown; nothing thrown fails the test). */
export const storeErrorOfSync = (fn: () => unknown): StoreError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected a StoreError');
};
