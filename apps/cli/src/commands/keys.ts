import { openBallast, systemClock } from '@ballast/engine';
import { DEFAULT_ESDB_NAMESPACE } from '@ballast/event-store';
import { createKey, loadAccess, revokeKey } from '@ballast/server';
import * as E from 'fp-ts/Either';
import { EXIT, UsageError } from '../cli-io';
import { openExistingStore, openWriterStore } from '../store-options';
import { type CliCommand, requireString } from '../command';

const ACTIONS = ['create', 'list', 'revoke'] as const;

export const keysCommand: CliCommand = {
  name: 'keys',
  summary: 'create, list and revoke API keys in a store (while no server runs on it)',
  help: `Usage: ballast keys (--db PATH | --store URL) --create --principal ID --role agent|operator|service [--key-only]
       ballast keys (--db PATH | --store URL) --list [--json]
       ballast keys (--db PATH | --store URL) --revoke KEY-ID [--reason TEXT]

API keys for 'ballast serve', written into the store as events (only a SHA-256 of each key). Use it
to create the first operator key before starting the server; after that, an operator creates and
revokes keys over the API (POST /v1/keys) while the server runs. The key is printed once, here;
it cannot be shown again (revoke it and create another if it is lost).

  agent     acts on its own treasury (ID = the treasury's id), as itself in pools and escrows
  operator  opens treasuries and pools, settles, resumes breakers, manages keys
  service   reads read models, the event log and live streams; sends no commands

Options:
  --db PATH          the SQLite store (created if missing, in a folder that exists)
  --store URL        an EventStoreDB store instead: esdb://host:2113?tls=false
  --namespace NAME   Ballast's stream prefix in EventStoreDB (default ${DEFAULT_ESDB_NAMESPACE})
  --create           create a key (with --principal and --role)
  --principal ID     the agent id, or the operator's or service's name
  --role ROLE        agent, operator or service
  --list             list keys (ids, principals, roles, times; never a key or hash)
  --revoke KEY-ID    revoke a key: every request with it is refused from then on
  --reason TEXT      why, recorded with the revocation
  --key-only         with --create, print the key alone (for a script: OPS=$(ballast keys … --key-only))
  --json             print JSON
  -h, --help         show this help

Exit codes: 0 ok, 1 refused (e.g. the key id is unknown or already revoked), 2 bad usage, 3 the
store could not be opened (a server holds it: use the API instead; --list works beside a server).`,
  options: {
    db: { type: 'string' },
    store: { type: 'string' },
    namespace: { type: 'string' },
    create: { type: 'boolean' },
    list: { type: 'boolean' },
    revoke: { type: 'string' },
    principal: { type: 'string' },
    role: { type: 'string' },
    reason: { type: 'string' },
    'key-only': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  run: async (values, io) => {
    const chosen = ACTIONS.filter((a) => values[a] !== undefined && values[a] !== false);
    if (chosen.length !== 1) throw new UsageError('give exactly one of --create, --list or --revoke KEY-ID');
    if (chosen[0] === 'create') {
      requireString(values, 'principal');
      requireString(values, 'role');
    }
    // Listing only reads: it works on a copy while a server holds the store (and on an auditor's copy).
    const { store } = chosen[0] === 'list' ? await openExistingStore(values) : await openWriterStore(values);
    try {
      const ballast = openBallast({ store, clock: systemClock });
      if (chosen[0] === 'list') {
        const keys = Object.values((await loadAccess(ballast)).keys).map(({ hash: _hash, ...k }) => k);
        if (values.json) io.out(JSON.stringify({ keys }));
        else
          for (const k of keys)
            io.out(
              `${k.keyId}  ${k.role.padEnd(8)} ${k.principal}  created ${new Date(k.createdAt).toISOString()}` +
                `${k.revokedAt === undefined ? '' : `  REVOKED ${new Date(k.revokedAt).toISOString()}`}`,
            );
        return EXIT.ok;
      }
      const actor = process.env.USER ? `cli:${process.env.USER.replace(/[^A-Za-z0-9_.:@-]/g, '_')}` : 'cli';
      if (chosen[0] === 'create') {
        const created = await createKey(
          ballast,
          { principal: values.principal as string, role: values.role as string },
          { actor },
        );
        if (E.isLeft(created)) {
          io.err(`ballast keys: ${created.left.message} [${created.left.code}]`);
          return created.left.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.checkFailed;
        }
        if (values.json) io.out(JSON.stringify(created.right));
        else if (values['key-only']) io.out(created.right.key);
        else {
          io.out(`key id     ${created.right.keyId} (${created.right.role} ${created.right.principal})`);
          io.out(`key        ${created.right.key}`);
          io.out('Keep the key now: it is shown once and stored only as a hash.');
        }
        return EXIT.ok;
      }
      const revoked = await revokeKey(ballast, values.revoke as string, values.reason as string | undefined, actor);
      if (E.isLeft(revoked)) {
        io.err(`ballast keys: ${revoked.left.message} [${revoked.left.code}]`);
        return revoked.left.code === 'INVALID_INPUT' ? EXIT.usage : EXIT.checkFailed;
      }
      io.out(`revoked    ${values.revoke as string}`);
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
