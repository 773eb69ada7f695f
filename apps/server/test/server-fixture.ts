import type { RecordedEvent } from '@ballast/domain';
import { openBallast, openSqliteCheckpoints, systemClock } from '@ballast/engine';
import { openSqliteStore, type EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKey, startServer, type RunningServer, type ServerOptions } from '../src';

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly body: any;
}

export interface CallOptions {
  readonly key?: string;
  /** A value to send as JSON, or `raw` for bytes exactly as given. */
  readonly body?: unknown;
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export interface TestServer {
  readonly url: string;
  readonly server: RunningServer;
  readonly store: EventStore;
  /** A key for the operator `ops`, created in the store before the server started. */
  readonly operatorKey: string;
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** An operator creates a key over the API. */
  keyFor(principal: string, role: 'agent' | 'operator' | 'service'): Promise<{ keyId: string; key: string }>;
  head(): Promise<number>;
  events(): Promise<RecordedEvent[]>;
  close(): Promise<void>;
  /** Stops the server (it closes the store) and keeps its files, to `start` again on them. */
  stop(): Promise<void>;
  /** Starts a server again on the same store files and the same port (so `url` still holds), after `stop`. */
  start(): Promise<void>;
}

/** One HTTP call to a server at `url()`, JSON in and out (a body that is not JSON is kept as text). */
export const callerOf =
  (url: () => string) =>
  async (method: string, path: string, o: CallOptions = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...o.headers };
    if (o.key !== undefined) headers.authorization = `Bearer ${o.key}`;
    const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    if (payload !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url()}${path}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: response.status, headers: response.headers, body };
  };

/**
 * The first operator key (`ops`), written by the library into the SQLite file at `db` and the store closed
 * again, as `ballast keys --create` does before a server opens it; `fill` may append more first.
 */
export const writeOperatorKey = async (
  db: string,
  fill: (store: EventStore) => Promise<void> = async () => undefined,
): Promise<string> => {
  const bootstrap = openSqliteStore(db);
  const created = await createKey(
    openBallast({ store: bootstrap, clock: systemClock }),
    { principal: 'ops', role: 'operator' },
    { actor: 'test' },
  );
  await fill(bootstrap);
  await bootstrap.close();
  if (E.isLeft(created)) throw new Error(created.left.message);
  return created.right.key;
};

/**
 * A real server on loopback over a SQLite file in a temp dir. The first operator key is written by the library
 * into a store that is then closed (as `ballast keys` does), and the server opens the file afresh.
 */
export const startTestServer = async (
  options: Omit<ServerOptions, 'store' | 'checkpoints'> = {},
): Promise<TestServer> => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-server-'));
  const db = join(dir, 'ballast.db');
  const operatorKey = await writeOperatorKey(db);
  const open = async (port: number) => {
    const opened = openSqliteStore(db);
    const started = await startServer({
      store: opened,
      checkpoints: openSqliteCheckpoints(join(dir, 'ballast.checkpoints.db')),
      port,
      ...options,
    });
    return { server: started, store: opened };
  };
  let { server, store } = await open(0);
  let running = true;
  const call = callerOf(() => server.url);
  const port = Number(new URL(server.url).port);
  return {
    url: server.url,
    get server() {
      return server;
    },
    get store() {
      return store;
    },
    operatorKey,
    call,
    keyFor: async (principal, role) => {
      const answer = await call('POST', '/v1/keys', { key: operatorKey, body: { principal, role } });
      if (answer.status !== 201)
        throw new Error(`key for ${principal}: ${answer.status} ${JSON.stringify(answer.body)}`);
      return { keyId: answer.body.keyId, key: answer.body.key };
    },
    head: () => store.headPosition(),
    events: async () => {
      const out: RecordedEvent[] = [];
      for await (const e of store.readAll()) out.push(e);
      return out;
    },
    close: async () => {
      if (running) await server.close();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
    stop: async () => {
      if (running) await server.close();
      running = false;
    },
    start: async () => {
      if (running) throw new Error('the test server is running: stop it first');
      ({ server, store } = await open(port));
      running = true;
    },
  };
};
