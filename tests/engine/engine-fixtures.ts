import { type EventStore, openMemoryStore, openSqliteStore } from '@ballast/event-store';
import { type Ballast, openBallast } from '@ballast/engine';
import { join } from 'node:path';
import { tempDir } from '../event-store/fixtures';
import { agentConfig, T0 } from '../support/treasury-fixtures';

/** A virtual clock: time moves only when a test says so. */
export const virtualClock = (start = T0) => {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
};

export interface EngineFixture {
  readonly store: EventStore;
  readonly ballast: Ballast;
  readonly clock: ReturnType<typeof virtualClock>;
  /** A second engine over the same store, with its own snapshot cache (another process, in effect). */
  readonly other: Ballast;
  dispose(): Promise<void>;
}

export const STORES: [string, () => { store: EventStore; dispose: () => Promise<void> }][] = [
  [
    'memory',
    () => {
      const store = openMemoryStore();
      return { store, dispose: () => store.close() };
    },
  ],
  [
    'sqlite',
    () => {
      const dir = tempDir('engine');
      const store = openSqliteStore(join(dir.path, 'ballast.db'));
      return { store, dispose: async () => (await store.close(), dir.remove()) };
    },
  ],
];

export const engineOn = (open: () => { store: EventStore; dispose: () => Promise<void> }): EngineFixture => {
  const { store, dispose } = open();
  const clock = virtualClock();
  return { store, clock, ballast: openBallast({ store, clock }), other: openBallast({ store, clock }), dispose };
};

export const openTreasury = { type: 'OpenTreasury' as const, config: agentConfig({ sizing: 'lottery' }) };
