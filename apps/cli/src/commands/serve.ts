import { openSqliteCheckpoints } from '@ballast/engine';
import { DEFAULT_ESDB_NAMESPACE } from '@ballast/event-store';
import { startServer } from '@ballast/server';
import { once } from 'node:events';
import { existsSync, statSync } from 'node:fs';
import { appendAnchorLine, readSigningKey, requireNotFolder } from '../anchors/anchor-files';
import { EXIT, UsageError } from '../cli-io';
import type { CliCommand } from '../command';
import { openWriterStore, requireFolderOf } from '../store-options';

const DEFAULT_PORT = 8787;

const positiveInt = (
  value: unknown,
  name: string,
  fallback: number,
  min = 1,
  max = Number.MAX_SAFE_INTEGER,
): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(
      `--${name} must be an integer from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}, got ${String(value)}`,
    );
  return n;
};

/** Checkpoints live beside a SQLite store (`x.db` → `x.checkpoints.db`), so one folder holds a whole Ballast. */
export const checkpointsPathOf = (db: string): string => db.replace(/(\.db)?$/, '.checkpoints.db');

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the HTTP API: commands, reads, live streams, API keys',
  help: `Usage: ballast serve (--db PATH | --store URL) [--port N] [--host ADDRESS] [options]

One process owns the store: it runs the read models and process managers and serves the HTTP
API to agents, operators and services, each with an API key (create the first operator key with
'ballast keys --create' before starting). Stops cleanly on Ctrl-C or SIGTERM: no new requests,
requests in flight finish, checkpoints are saved.

Options:
  --db PATH            the SQLite store (created if missing); this process becomes its writer
  --store URL          an EventStoreDB store instead: esdb://host:2113?tls=false
  --namespace NAME     Ballast's stream prefix in EventStoreDB (default ${DEFAULT_ESDB_NAMESPACE})
  --checkpoints PATH   read-model checkpoints (default: beside --db, PATH.checkpoints.db;
                       with --store, ./data/checkpoints-NAMESPACE.db)
  --host ADDRESS       where to listen (default 127.0.0.1: loopback only; 0.0.0.0 exposes it)
  --port N             the port (default ${DEFAULT_PORT}; 0 picks a free one)
  --insurance-pool ID  the pool that pays automatic default claims on expired escrows (default main)
  --rate-limit N       requests per key per minute (default 6000)
  --body-limit BYTES   the largest request body (default 65536)
  --audit-every MIN    audit the whole store in the background every MIN minutes (default 60; 0: only
                       when an operator asks, POST /v1/audit); the dashboard's alerts show the result
  --anchor-key PATH    sign an anchor of the whole log after every audit that passes (ballast anchor
                       --help), with this Ed25519 key (ballast anchor keygen); needs --anchor-out
  --anchor-out FILE    the anchor file to append to (keep a copy off this machine: docs in the README)
  --anchor-every-events N
                       also audit and anchor once N events have landed since the last anchor
                       (default 0: only on the audit's schedule and POST /v1/audit)
  --log                log each request to stderr as JSON lines, when it comes and when it is
                       answered (method, URL, status, time; never a key or a body)
  -h, --help           show this help

Prints "listening on URL" when ready for requests.

Exit codes: 0 stopped cleanly, 2 bad usage, 3 the store could not be opened (a writer has it).`,
  options: {
    db: { type: 'string' },
    store: { type: 'string' },
    namespace: { type: 'string' },
    checkpoints: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'insurance-pool': { type: 'string' },
    'rate-limit': { type: 'string' },
    'body-limit': { type: 'string' },
    'audit-every': { type: 'string' },
    'anchor-key': { type: 'string' },
    'anchor-out': { type: 'string' },
    'anchor-every-events': { type: 'string' },
    log: { type: 'boolean' },
  },
  run: async (values, io, signal) => {
    const db = values.db as string | undefined;
    const port = positiveInt(values.port, 'port', DEFAULT_PORT, 0, 65535);
    const limits = {
      ratePerMinute: positiveInt(values['rate-limit'], 'rate-limit', 6000),
      bodyLimit: positiveInt(values['body-limit'], 'body-limit', 65536),
    };
    const namespace = (values.namespace as string | undefined) ?? DEFAULT_ESDB_NAMESPACE;
    const checkpointsPath =
      (values.checkpoints as string | undefined) ??
      (db !== undefined ? checkpointsPathOf(db) : `./data/checkpoints-${namespace}.db`);
    requireFolderOf(checkpointsPath, '--checkpoints');
    const anchors = anchorWritingOf(values);
    const { store } = await openWriterStore(values);
    const server = await startServer({
      store,
      checkpoints: openSqliteCheckpoints(checkpointsPath),
      port,
      ...(values.host === undefined ? {} : { host: values.host as string }),
      ...(values['insurance-pool'] === undefined ? {} : { insurancePool: values['insurance-pool'] as string }),
      limits,
      auditIntervalMs: positiveInt(values['audit-every'], 'audit-every', 60, 0, 7 * 24 * 60) * 60_000,
      logger: values.log ? { level: 'info', stream: process.stderr } : false,
      ...(anchors === undefined ? {} : { anchors }),
    });
    io.out(`listening on ${server.url}`);
    if (!signal.aborted) await once(signal, 'abort');
    io.err('stopping: finishing requests in flight, saving checkpoints');
    await server.close();
    return EXIT.ok;
  },
};

/** --anchor-key with --anchor-out (both or neither); the key is read and checked before the store opens. */
const anchorWritingOf = (values: Readonly<Record<string, string | boolean | undefined>>) => {
  const key = values['anchor-key'] as string | undefined;
  const out = values['anchor-out'] as string | undefined;
  const every = values['anchor-every-events'];
  if (key === undefined && out === undefined) {
    if (every !== undefined) throw new UsageError('--anchor-every-events needs --anchor-key and --anchor-out');
    return undefined;
  }
  if (key === undefined || out === undefined)
    throw new UsageError(
      'give --anchor-key PATH and --anchor-out FILE together (the signing key, and where anchors go)',
    );
  requireFolderOf(out, '--anchor-out');
  requireNotFolder(out, '--anchor-out');
  // The size this server left the file at: anything else means someone appended, moved or cut it.
  let leftAt: number | undefined;
  return {
    signingKey: readSigningKey(key, '--anchor-key'),
    write: (line: string) => {
      leftAt = appendAnchorLine(out, line);
    },
    untouched: () => leftAt !== undefined && existsSync(out) && statSync(out).size === leftAt,
    everyEvents: positiveInt(every, 'anchor-every-events', 0, 0),
  };
};
