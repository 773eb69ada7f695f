import type { Event } from '@event-driven-io/emmett';
import {
  appendToStream,
  createEventStoreSchema,
  getSQLiteEventStore,
  readMessagesBatch,
  readStream,
  sqliteConnection,
  type SQLiteConnection,
} from '@event-driven-io/emmett-sqlite';

/**
 * Emmett 0.38.5's SQLite event store, in its two setups:
 *
 * - `default`: `getSQLiteEventStore({ fileName })`, as its docs show it. It opens a `sqlite3`
 *   connection for every call and closes it after. Its durability is the driver's: Emmett sets
 *   `journal_mode = WAL` and the `sqlite3` build leaves `synchronous` at its compile-time default,
 *   FULL (2); `emmettSynchronousDefault` checks that in the run.
 * - `persistent`: the same functions the store calls (`appendToStream`, `readStream`,
 *   `readMessagesBatch`) on one `sqliteConnection` kept open, with `PRAGMA synchronous = FULL` set
 *   on it explicitly (WAL is set by `sqliteConnection`). This is its best setup.
 *
 * Both use Emmett's own schema and SQL; only the connection's lifetime differs.
 */
export type Deposit = Event<'FundsDeposited', { amount: string; bucket: string; at: number; memo: string }>;

export interface EmmettPeer {
  /** Appends events at an expected version (0n: the stream must not exist); throws on a conflict. */
  append(stream: string, events: Event[], expectedVersion: bigint): Promise<void>;
  /** Reads the whole stream and folds it with `evolve`; the stream's version comes back with it. */
  aggregate<S>(
    stream: string,
    initial: S,
    evolve: (state: S, event: Deposit) => S,
  ): Promise<{ state: S; version: bigint }>;
  /** Reads every event in global order, parsed (Emmett parses data and metadata), and counts them. */
  readAll(onEvent: (event: Event) => void): Promise<number>;
  close(): Promise<void>;
}

const READ_PAGE = 10_000;

const readAllWith = async (connection: SQLiteConnection, onEvent: (event: Event) => void): Promise<number> => {
  let after = 0n;
  let count = 0;
  for (;;) {
    const page = await readMessagesBatch<Event>(connection, { after, batchSize: READ_PAGE });
    for (const message of page.messages) onEvent(message);
    count += page.messages.length;
    if (!page.areEventsLeft || page.messages.length === 0) return count;
    after = page.currentGlobalPosition;
  }
};

const streamTypeOf = (stream: string) => stream.split('-')[0] ?? 'emt:unknown';

export const openEmmettPersistent = async (fileName: string): Promise<EmmettPeer> => {
  const connection = sqliteConnection({ fileName });
  await connection.command('PRAGMA synchronous = FULL');
  await createEventStoreSchema(connection);
  return {
    append: async (stream, events, expectedVersion) => {
      const result = await appendToStream(connection, stream, streamTypeOf(stream), events, {
        expectedStreamVersion: expectedVersion,
      });
      if (!result.success) throw new Error(`emmett: version conflict on ${stream}`);
    },
    aggregate: async (stream, initial, evolve) => {
      const result = await readStream<Deposit>(connection, stream);
      let state = initial;
      for (const event of result.events) if (event) state = evolve(state, event);
      return { state, version: result.currentStreamVersion };
    },
    readAll: (onEvent) => readAllWith(connection, onEvent),
    close: async () => connection.close(),
  };
};

const busyRetries = { count: 0 };
/** How many appends of the default setup failed with SQLITE_BUSY and were retried, since the process started. */
export const emmettDefaultBusyRetries = (): number => busyRetries.count;
const MAX_ATTEMPTS = 5;

const isBusy = (error: unknown) => error instanceof Error && (error as { code?: string }).code === 'SQLITE_BUSY';

/**
 * Even one caller at a time, the default setup sometimes fails a commit with SQLITE_BUSY ("SQL
 * statements in progress": the `PRAGMA journal_mode` it runs unawaited on each new connection may
 * still be running). The bench retries such an append (the time counts) and reports the count;
 * Emmett console.logs each failure, silenced here.
 */
const appendRetryingBusy = async (append: () => Promise<unknown>): Promise<void> => {
  const restore = silenceConsoleLog();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await append();
        return;
      } catch (error) {
        if (!isBusy(error) || attempt === MAX_ATTEMPTS) throw error;
        busyRetries.count++;
      }
    }
  } finally {
    restore();
  }
};

/** Counted, so overlapping calls restore the real console.log only when the last one ends. */
const silenced = { depth: 0, log: console.log };
export const silenceConsoleLog = (): (() => void) => {
  if (silenced.depth++ === 0) {
    silenced.log = console.log;
    console.log = () => {};
  }
  return () => {
    if (--silenced.depth === 0) console.log = silenced.log;
  };
};

export const openEmmettDefault = async (fileName: string): Promise<EmmettPeer> => {
  const store = getSQLiteEventStore({ fileName });
  return {
    append: (stream, events, expectedVersion) =>
      appendRetryingBusy(() => store.appendToStream(stream, events, { expectedStreamVersion: expectedVersion })),
    aggregate: async <S>(stream: string, initial: S, evolve: (state: S, event: Deposit) => S) => {
      const result = await store.aggregateStream<S, Deposit>(stream, { initialState: () => initial, evolve });
      return { state: result.state, version: result.currentStreamVersion };
    },
    readAll: async (onEvent) => {
      // The default store has no read-all call; its consumer reads pages on its own connection.
      const connection = sqliteConnection({ fileName });
      try {
        return await readAllWith(connection, onEvent);
      } finally {
        connection.close();
      }
    },
    close: async () => {},
  };
};

/** `PRAGMA synchronous` on a fresh connection of Emmett's driver: 2 is FULL. */
export const emmettSynchronousDefault = async (fileName: string): Promise<number> => {
  const connection = sqliteConnection({ fileName });
  try {
    const row = await connection.querySingle<{ synchronous: number }>('PRAGMA synchronous');
    return row?.synchronous ?? -1;
  } finally {
    connection.close();
  }
};
