import { anchorLine, createAnchor, generateAnchorKey, lastAnchorIn, statementOf } from '@ballast/engine';
import { existsSync, writeFileSync } from 'node:fs';
import {
  appendAnchorLine,
  readAnchorLines,
  readExistingAnchors,
  readSigningKey,
  requireNotFolder,
} from '../anchors/anchor-files';
import { EXIT, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { openExistingStore, requireFolderOf, STORE_HELP, STORE_OPTIONS } from '../store-options';

const ACTIONS = ['keygen', 'create', 'show'] as const;

export const anchorCommand: CliCommand = {
  name: 'anchor',
  summary: 'sign checkpoints of the whole log, kept outside the store (keygen, create, show)',
  help: `Usage: ballast anchor keygen --key PATH
       ballast anchor create (--db PATH | --store URL) --key PATH --out FILE [--json]
       ballast anchor show --anchor FILE [--all] [--json]

A hash chain kept in the same file as the data cannot show that its own end was cut off, or that
an older copy was put back. An anchor can: it is a signed statement of the whole log at one moment
(how many events, the head position, a Merkle root of every stream's head, and the audit's total
digest), written to a file outside the store. Later, 'ballast verify --anchor FILE --anchor-key
KEY.pub' (or 'audit --anchor') fails if the log no longer holds what was anchored, naming the stream.

  keygen   write a new Ed25519 key pair: PATH (the signing key, mode 600) and PATH.pub (the public
           key auditors check with). Keep PATH off the machine that holds the store: whoever holds
           both the store and the signing key can rewrite history and sign it again.
  create   audit the store and, if the audit passes, append one signed anchor (one JSON line) to
           FILE (created if missing). Works beside a running server. 'ballast serve --anchor-key'
           writes one after each background audit.
  show     print the anchors of FILE (the newest, or --all): the statement that was signed, without
           the list of heads. What it prints is what to publish elsewhere (a ticket, a chat, a
           transparency log): anyone with the public key can check it.

Options:
${STORE_HELP}
  --key PATH        keygen: where to write the key pair; create: the signing key
  --out FILE        create: the anchor file to append to
  --anchor FILE     show: the anchor file to read
  --all             show: every anchor, oldest first
  --json            print JSON (show: one statement per line, as signed, with its signature)
  -h, --help        show this help

Exit codes: 0 ok, 1 the store failed its audit (nothing was anchored) or, for show, a line of FILE
is not an anchor, 2 bad usage (a key file that exists already, a file that is not a key), 3 the
store could not be opened.`,
  options: {
    ...STORE_OPTIONS,
    key: { type: 'string' },
    out: { type: 'string' },
    anchor: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  takesArguments: true,
  run: async (values, io, _signal, args) => {
    const [action, ...extra] = args;
    if (action === undefined || !(ACTIONS as readonly string[]).includes(action))
      throw new UsageError(`give an action: ${ACTIONS.join(', ')}${action === undefined ? '' : ` (got '${action}')`}`);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
    if (action === 'keygen') return keygen(requireString(values, 'key'), io);
    if (action === 'show') return show(requireString(values, 'anchor'), values, io);
    const keyPath = requireString(values, 'key');
    const out = requireString(values, 'out');
    requireFolderOf(out, '--out');
    requireNotFolder(out, '--out');
    const signingKey = readSigningKey(keyPath);
    const { store, label } = await openExistingStore(values);
    try {
      // Appended to a file of this key's anchors, the anchor lists only the heads that changed since the last.
      const existing = readExistingAnchors(out);
      const previous = lastAnchorIn(existing, signingKey);
      const created = await createAnchor(store, signingKey, new Date().toISOString(), previous);
      if (!created.ok) {
        const p = created.report.problem!;
        io.err(
          'ballast anchor: the store failed its audit, so nothing was anchored: ' +
            `stream ${p.streamId} revision ${p.revision} (${p.kind}): ${p.message}`,
        );
        return EXIT.checkFailed;
      }
      // A store with fewer events than an anchor already in the file was cut off or rolled back:
      // signing it would bless the loss.
      const ahead = existing.find((l) => 'anchor' in l && l.anchor.events > created.anchor.events);
      if (ahead !== undefined && 'anchor' in ahead) {
        io.err(
          `ballast anchor: the store holds ${created.anchor.events} events, fewer than the anchor on line ${ahead.line} of ${out} ` +
            `(${ahead.anchor.events}): it was cut off or rolled back, so it is not anchored; ` +
            `'ballast verify --anchor ${out}' names what differs`,
        );
        return EXIT.checkFailed;
      }
      appendAnchorLine(out, anchorLine(created.anchor));
      const statement = { ...statementOf(created.anchor), signature: created.anchor.signature };
      if (values.json) io.out(JSON.stringify({ store: label, out, ...statement }));
      else {
        io.out(
          `anchored  ${statement.events} events, ${statement.streams} streams, head position ${statement.headPosition}`,
        );
        io.out(`root      ${statement.headsRoot}`);
        io.out(`audit     ${statement.auditDigest}`);
        io.out(`signed    key ${statement.keyId} at ${statement.createdAt}`);
        io.out(`written   to ${out}`);
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};

const keygen = (path: string, io: { out(line: string): void }): number => {
  requireFolderOf(path, '--key');
  const pub = `${path}.pub`;
  for (const p of [path, pub])
    if (existsSync(p))
      throw new UsageError(
        `--key ${path}: ${p} exists already; a signing key is never overwritten (choose another path)`,
      );
  const pair = generateAnchorKey();
  // 'wx': fails rather than follows a file created since the check above.
  writeFileSync(path, pair.privatePem, { mode: 0o600, flag: 'wx' });
  writeFileSync(pub, pair.publicPem, { mode: 0o644, flag: 'wx' });
  io.out(`key id    ${pair.keyId}`);
  io.out(`signing   ${path} (mode 600): keep it off the machine that holds the store`);
  io.out(`public    ${pub}: give it to whoever checks anchors (verify --anchor-key)`);
  return EXIT.ok;
};

const show = (file: string, values: Readonly<Record<string, unknown>>, io: { out(line: string): void }): number => {
  const lines = readAnchorLines(file);
  const chosen = values.all ? lines : lines.slice(-1);
  let bad = 0;
  for (const l of chosen) {
    if ('problem' in l) {
      bad += 1;
      io.out(
        values.json
          ? JSON.stringify({ line: l.line, problem: l.problem })
          : `line ${l.line}  ${l.problem.code}: ${l.problem.message}`,
      );
      continue;
    }
    const statement = { ...statementOf(l.anchor), signature: l.anchor.signature };
    if (values.json) io.out(JSON.stringify(statement));
    else
      io.out(
        `line ${l.line}  ${statement.createdAt}  ${statement.events} events  ${statement.streams} streams  ` +
          `root ${statement.headsRoot}  audit ${statement.auditDigest}  key ${statement.keyId}`,
      );
  }
  return bad === 0 ? EXIT.ok : EXIT.checkFailed;
};
