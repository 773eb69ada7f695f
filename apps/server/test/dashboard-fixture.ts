import { openSqliteCheckpoints } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSimulation } from '../../cli/src/simulation/run-simulation';
import { DEFAULT_SIMULATION, type SimulationOptions } from '../../cli/src/simulation/simulation-types';
import { startServer, type RunningServer } from '../src';
import { type Answer, callerOf, type CallOptions, writeOperatorKey } from './server-fixture';

/**
 * A real server on loopback over a SQLite store the simulation filled (`ballast simulate` as a
 * library call), for the dashboard's browser tests and its bench. The store lives on tmpfs when
 * there is one: the simulation commits every command with an fsync, which costs nothing there.
 */
export interface DashboardServer {
  readonly url: string;
  readonly db: string;
  /** A key for the operator `ops`, written into the store before the server opened it. */
  readonly operatorKey: string;
  /** The treasuries the simulation opened (agents and DeFi treasuries), by id. */
  readonly treasuries: readonly string[];
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** An operator creates a key over the API. */
  keyFor(principal: string, role: 'agent' | 'operator' | 'service'): Promise<string>;
  close(): Promise<void>;
}

export const simulatedDir = (): string =>
  mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'ballast-dashboard-'));

/** Fills `db` with a simulated run and returns the ids of the treasuries it opened. */
export const simulateInto = async (db: string, options: Partial<SimulationOptions>): Promise<string[]> => {
  const store = openSqliteStore(db);
  try {
    const result = await runSimulation(store, { ...DEFAULT_SIMULATION, ...options });
    return [...result.agents.map((a) => a.agentId), ...(result.defi ?? []).map((d) => d.treasuryId)];
  } finally {
    await store.close();
  }
};

export const startDashboardServer = async (options: Partial<SimulationOptions>): Promise<DashboardServer> => {
  const dir = simulatedDir();
  try {
    return await startIn(dir, options);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
};

const startIn = async (dir: string, options: Partial<SimulationOptions>): Promise<DashboardServer> => {
  const db = join(dir, 'sim.db');
  const treasuries = await simulateInto(db, options);
  // The first operator key, as `ballast keys --create` writes it: into the closed store, before the server.
  const operatorKey = await writeOperatorKey(db);
  const server: RunningServer = await startServer({
    store: openSqliteStore(db),
    checkpoints: openSqliteCheckpoints(join(dir, 'sim.checkpoints.db')),
    port: 0,
  });
  // Ready once every read model has folded the simulated history.
  for (let i = 0; ; i++) {
    const ready = await fetch(`${server.url}/ready`);
    if (ready.status === 200) break;
    if (i > 600) throw new Error(`${server.url} not ready after 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const call = callerOf(() => server.url);
  let running = true;
  return {
    url: server.url,
    db,
    operatorKey,
    treasuries,
    call,
    keyFor: async (principal, role) => {
      const answer = await call('POST', '/v1/keys', { key: operatorKey, body: { principal, role } });
      if (answer.status !== 201)
        throw new Error(`key for ${principal}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.key as string;
    },
    close: async () => {
      if (running) await server.close();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
