import { boundedInt, type InputIssue, strict } from '@ballast/domain';
import { BACKWARDS, END, EventStoreDBClient } from '@eventstore/db-client';
import * as t from 'io-ts';
import { checkOpenArguments } from '../open-arguments';
import type { EventStore } from '../port';
import { StoreError } from '../store-error';
import { createEventStore } from '../store-facade';
import { esdbBackend } from './esdb-backend';
import { esdbFailure } from './esdb-errors';
import { esdbNames } from './esdb-names';

/** The environment variable the library reads when no connection string is given. */
export const ESDB_URL_ENV = 'BALLAST_ESDB_URL';
export const DEFAULT_ESDB_NAMESPACE = 'ballast';

export interface EsdbStoreOptions {
  /** Prefix of Ballast's streams in the shared database (`<namespace>.treasury-a`). Default `ballast`. */
  readonly namespace?: string;
  /** How long an unfinished command claim is left to its writer before another may take it over. Default 10 s. */
  readonly claimLeaseMs?: number;
  /** How long to wait for the server's first answer before calling it unreachable. Default 5 s. */
  readonly connectTimeoutMs?: number;
}

const OpenOptions = strict(
  {},
  {
    namespace: t.refinement(
      t.string,
      (s) => /^[a-z][a-z0-9_]{0,31}$/.test(s),
      'lower-case letters, digits and _ (1-32, a letter first)',
    ),
    claimLeaseMs: boundedInt('claimLeaseMs', 1, 3_600_000),
    connectTimeoutMs: boundedInt('connectTimeoutMs', 1, 600_000),
  },
  'EsdbStoreOptions',
);

const connectionStringIssue = (connectionString: unknown): InputIssue | undefined => {
  if (connectionString === undefined) {
    return {
      path: 'connectionString',
      message: `none given and ${ESDB_URL_ENV} is not set; expected esdb://host:2113?tls=false or esdb+discover://…`,
    };
  }
  if (typeof connectionString !== 'string' || !/^esdb(\+discover)?:\/\/[^/?]+/.test(connectionString)) {
    return {
      path: 'connectionString',
      message: `expected esdb://host:port[?tls=false] or esdb+discover://…, got ${JSON.stringify(connectionString)}`,
    };
  }
  return undefined;
};

/** host:port list of a connection string, without credentials: safe to print. */
const addressOf = (connectionString: string): string =>
  connectionString
    .replace(/^esdb(\+discover)?:\/\//, '')
    .replace(/^[^@/?]*@/, '')
    .split(/[/?]/)[0]!;

const withTimeout = <A>(promise: Promise<A>, ms: number, onTimeout: () => Error): Promise<A> =>
  new Promise<A>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => (clearTimeout(timer), resolve(value)),
      (error: unknown) => (clearTimeout(timer), reject(error)),
    );
  });

/**
 * Opens an EventStoreDB/KurrentDB database as a Ballast store, from a standard connection string
 * (or BALLAST_ESDB_URL). It reads $all once before returning, so a wrong address or a TLS mismatch
 * fails here with a message that says which, not at the first append.
 */
export const openEsdbStore = async (
  connectionString: string | undefined = process.env[ESDB_URL_ENV],
  options: EsdbStoreOptions = {},
): Promise<EventStore> => {
  checkOpenArguments(
    'openEsdbStore',
    'INVALID_CONNECTION_STRING',
    connectionStringIssue(connectionString),
    OpenOptions,
    options,
  );
  const url = connectionString!;
  const address = addressOf(url);
  const secure = !/[?&]tls=false(&|$)/i.test(url);
  let client: EventStoreDBClient;
  try {
    client = EventStoreDBClient.connectionString(url);
  } catch (error) {
    throw new StoreError(
      'INVALID_CONNECTION_STRING',
      `${address}: the connection string does not parse: ${(error as Error).message}`,
      [],
      { cause: error },
    );
  }
  const timeoutMs = options.connectTimeoutMs ?? 5000;
  try {
    await withTimeout(
      (async () => {
        // Drained, not broken out of: an abandoned read keeps the client from ever disposing.
        for await (const _ of client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 }));
      })(),
      timeoutMs,
      () =>
        new StoreError(
          'STORE_UNREACHABLE',
          `EventStoreDB at ${address} did not answer within ${timeoutMs} ms: ` +
            'is the server running (docker compose up -d) and the address right?',
        ),
    );
  } catch (error) {
    await client.dispose().catch(() => undefined);
    throw esdbFailure(address, secure, error, 'connecting');
  }
  return createEventStore(
    esdbBackend({
      client,
      address,
      secure,
      names: esdbNames(options.namespace ?? DEFAULT_ESDB_NAMESPACE),
      claimLeaseMs: options.claimLeaseMs ?? 10_000,
    }),
  );
};
