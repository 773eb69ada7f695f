import { openBallast } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/run-cli';
import { agentConfig, T0 } from '../../../tests/support/treasury-fixtures';
import { cutStreamEnd, rewriteEvent } from '../../../tests/support/store-tampering';
import { spawnChild } from '../../../tests/event-store/child-process';

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** Two treasuries with bets, and a plain stream of 120 events (long enough to cut 50 off its end). */
const writeStore = async (path: string, extra = 0): Promise<void> => {
  const store = openSqliteStore(path);
  let now = T0;
  const ballast = openBallast({ store, clock: { now: () => now } });
  const run = async (id: string, command: unknown, commandId: string) => {
    const r = await ballast.treasuries.executeJson(id, command, { commandId });
    if (E.isLeft(r)) throw new Error(r.left.message);
  };
  for (const id of ['alpha', 'beta']) {
    await run(id, { type: 'OpenTreasury', config: agentConfig({ sizing: 'lottery' }) }, `${id}-open`);
    await run(id, { type: 'Deposit', amount: '1000' }, `${id}-dep`);
    for (let i = 0; i < 3; i++) {
      now += 3_600_000;
      await run(id, { type: 'PlaceBet', betId: `b${i}`, game: 'coin_flip' }, `${id}-bet-${i}`);
      await run(id, { type: 'SettleBet', betId: `b${i}`, won: i % 2 === 0 }, `${id}-settle-${i}`);
    }
  }
  for (let i = 0; i < 120 + extra; i++)
    await store.append('notes-1', [{ type: 'Noted', version: 1, data: { i } }], {
      expectedRevision: 'any',
      commandId: `note-${i}`,
    });
  await store.close();
};

const appendNotes = async (path: string, from: number, count: number): Promise<void> => {
  const store = openSqliteStore(path);
  for (let i = from; i < from + count; i++)
    await store.append('notes-2', [{ type: 'Noted', version: 1, data: { i } }], {
      expectedRevision: 'any',
      commandId: `later-${i}`,
    });
  await store.close();
};

describe('signed anchors: a log cut off, rolled back, rewritten or re-signed fails verify/audit --anchor', () => {
  let dir: string;
  let pristine: string;
  let key: string;
  let pub: string;
  let anchors: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ballast-anchor-'));
    pristine = join(dir, 'pristine.db');
    await writeStore(pristine);
    key = join(dir, 'anchor.key');
    pub = `${key}.pub`;
    const made = await cli('anchor', 'keygen', '--key', key);
    expect(made.code).toBe(0);
    anchors = join(dir, 'anchors.jsonl');
    const created = await cli('anchor', 'create', '--db', pristine, '--key', key, '--out', anchors);
    expect(created).toMatchObject({ code: 0, err: '' });
    expect(created.out).toMatch(/^anchored {2}144 events, 3 streams/);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A fresh copy of the anchored store to tamper with. */
  const copy = (name: string): string => {
    const path = join(dir, name);
    copyFileSync(pristine, path);
    return path;
  };
  const check = (command: 'verify' | 'audit', db: string, file = anchors, trusted = pub) =>
    cli(command, '--db', db, '--anchor', file, '--anchor-key', trusted);

  it('keygen writes a private key only its owner reads, and never overwrites one', async () => {
    expect(statSync(key).mode & 0o777).toBe(0o600);
    expect(readFileSync(pub, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const again = await cli('anchor', 'keygen', '--key', key);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/exists already; a signing key is never overwritten/);
  });

  it('an untouched store passes verify and audit against its anchor, digest included', async () => {
    const verified = await check('verify', pristine);
    expect(verified.code).toBe(0);
    expect(verified.out).toMatch(
      /anchors {3}ok: 1 anchor\(s\); the newest \(.*144 events, 3 streams, key [0-9a-f]{16}\) matches the log/,
    );
    const audited = await check('audit', pristine);
    expect(audited.code).toBe(0);
    expect(audited.out).toMatch(/matches the log and the audit digest matches/);
  });

  it("a store that grew after its anchor still passes: the heads are compared at the anchor's point", async () => {
    const grown = copy('grown.db');
    await appendNotes(grown, 0, 30);
    expect((await check('audit', grown)).code).toBe(0);
  });

  it('a second anchor appended to the file lists only the heads that changed; its line alone does not verify', async () => {
    const grown = copy('two-anchors.db');
    const file = join(dir, 'two.jsonl');
    writeFileSync(file, readFileSync(anchors, 'utf8'));
    await appendNotes(grown, 0, 30);
    expect((await cli('anchor', 'create', '--db', grown, '--key', key, '--out', file)).code).toBe(0);
    const [first, second] = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(first).toHaveProperty('heads');
    expect(second).not.toHaveProperty('heads');
    expect(second).toMatchObject({
      events: 174,
      streams: 4,
      base: first!.headsRoot,
      changes: [['notes-2', 29, expect.any(String)]],
    });
    const both = await check('audit', grown, file);
    expect(both.code).toBe(0);
    expect(both.out).toMatch(/anchors {3}ok: 2 anchor\(s\); the newest \(.*174 events, 4 streams/);
    const alone = join(dir, 'second-alone.jsonl');
    writeFileSync(alone, `${JSON.stringify(second)}\n`);
    const refused = await check('verify', grown, alone);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(
      /ANCHOR_MALFORMED {2}line 1: its changes build on an anchor with root [0-9a-f]{16}…, which is not the line before it/,
    );
    // Cut the store back to before the second anchor: the first still passes, the second names the cut.
    const cut = await check('verify', pristine, file);
    expect(cut.out).toMatch(/LOG_CUT_OFF {2}the log holds 144 events; the anchor of .* \(line 2\) covers 174/);
    expect(cut.out).toMatch(/STREAM_MISSING {2}stream notes-2 \(anchored at revision 29\) is not in the log/);
  });

  it('the last 50 events of a stream deleted with the head fixed: verify alone passes, --anchor names the stream', async () => {
    const cut = copy('cut.db');
    cutStreamEnd(cut, 'notes-1', 50);
    expect((await cli('verify', '--db', cut)).code).toBe(0);
    expect((await cli('audit', '--db', cut)).code).toBe(0);
    const verified = await check('verify', cut);
    expect(verified.code).toBe(1);
    expect(verified.out).toMatch(/LOG_CUT_OFF {2}the log holds 94 events; the anchor of .* covers 144/);
    expect(verified.out).toMatch(
      /STREAM_BEHIND {2}stream notes-1 ends at revision 69; the anchor has revision 119: 50 event\(s\) removed/,
    );
    const json = JSON.parse(
      (await cli('audit', '--db', cut, '--anchor', anchors, '--anchor-key', pub, '--json')).out,
    ) as {
      ok: boolean;
      anchors: { ok: boolean; problems: { code: string; streamId?: string; anchored?: number; found?: number }[] };
    };
    expect(json.ok).toBe(true);
    expect(json.anchors.ok).toBe(false);
    expect(json.anchors.problems).toContainEqual(
      expect.objectContaining({ code: 'STREAM_BEHIND', streamId: 'notes-1', anchored: 119, found: 69 }),
    );
  });

  it("a cut-off end hidden by later writes (more events than anchored) still fails at the anchor's point", async () => {
    const cut = copy('cut-then-written.db');
    cutStreamEnd(cut, 'notes-1', 50);
    await appendNotes(cut, 0, 80);
    const verified = await check('verify', cut);
    expect(verified.code).toBe(1);
    expect(verified.out).not.toMatch(/LOG_CUT_OFF/);
    expect(verified.out).toMatch(/STREAM_BEHIND {2}stream notes-1 ends at revision 69/);
    expect(verified.out).toMatch(/STREAM_NOT_ANCHORED {2}stream notes-2 is in the log before the anchor's point/);
  });

  it('an older copy put back (rolled back) fails with LOG_CUT_OFF', async () => {
    const older = join(dir, 'older.db');
    await writeStore(older, -20);
    const verified = await check('verify', older);
    expect(verified.code).toBe(1);
    expect(verified.out).toMatch(/LOG_CUT_OFF {2}the log holds 124 events/);
    expect(verified.out).toMatch(/STREAM_BEHIND {2}stream notes-1 ends at revision 99; the anchor has revision 119/);
  });

  it('a stream rewritten with its chain recomputed (a replaced stream) fails with STREAM_REPLACED', async () => {
    const rewritten = copy('rewritten.db');
    rewriteEvent(rewritten, 'notes-1', 3, (data) => ({ ...data, i: 1000 }));
    expect((await cli('verify', '--db', rewritten)).code).toBe(0);
    const verified = await check('verify', rewritten);
    expect(verified.code).toBe(1);
    expect(verified.out).toMatch(
      /STREAM_REPLACED {2}stream notes-1 revision 119 has hash [0-9a-f]{16}…; the anchor has [0-9a-f]{16}…: the stream was rewritten/,
    );
  });

  it('a forgery re-signed with another key fails, whatever key id it claims; an edited statement or heads list fails', async () => {
    const rewritten = copy('forged.db');
    rewriteEvent(rewritten, 'notes-1', 0, (data) => ({ ...data, i: -1 }));
    const forgerKey = join(dir, 'forger.key');
    await cli('anchor', 'keygen', '--key', forgerKey);
    const forged = join(dir, 'forged.jsonl');
    expect((await cli('anchor', 'create', '--db', rewritten, '--key', forgerKey, '--out', forged)).code).toBe(0);
    const wrongKey = await check('verify', rewritten, forged);
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.out).toMatch(
      /ANCHOR_WRONG_KEY {2}line 1: signed by key [0-9a-f]{16}, not by the trusted key [0-9a-f]{16}/,
    );

    // The forger claims the trusted key's id: the signature then fails under the trusted key.
    const trustedId = (JSON.parse(readFileSync(anchors, 'utf8')) as { keyId: string }).keyId;
    const claimed = join(dir, 'claimed.jsonl');
    writeFileSync(claimed, readFileSync(forged, 'utf8').replace(/"keyId":"[0-9a-f]{16}"/, `"keyId":"${trustedId}"`));
    expect((await check('verify', rewritten, claimed)).out).toMatch(
      /ANCHOR_BAD_SIGNATURE {2}line 1: the signature does not verify/,
    );

    const original = readFileSync(anchors, 'utf8');
    const moreEvents = join(dir, 'edited.jsonl');
    writeFileSync(moreEvents, original.replace(/"events":144/, '"events":140'));
    expect((await check('verify', pristine, moreEvents)).out).toMatch(/ANCHOR_BAD_SIGNATURE/);
    const heads = join(dir, 'heads.jsonl');
    writeFileSync(heads, original.replace(/\["notes-1",119,"[0-9a-f]{64}"\]/, `["notes-1",119,"${'0'.repeat(64)}"]`));
    expect((await check('verify', pristine, heads)).out).toMatch(/ANCHOR_HEADS_ALTERED/);
    const garbage = join(dir, 'garbage.jsonl');
    writeFileSync(garbage, `${original}{"format":"ballast-anchor/1"}\nnot json\n`);
    const read = await check('verify', pristine, garbage);
    expect(read.code).toBe(1);
    expect(read.out).toMatch(/ANCHOR_MALFORMED {2}line 2: /);
    expect(read.out).toMatch(/ANCHOR_MALFORMED {2}line 3: not JSON/);
  });

  it('a signer that signed a wrong audit digest is caught by audit --anchor (verify does not fold)', async () => {
    const line = JSON.parse(readFileSync(anchors, 'utf8')) as Record<string, unknown>;
    const { signature: _s, heads, ...statement } = line;
    const wrong = { ...statement, auditDigest: 'f'.repeat(64) };
    const { canonicalJson } = await import('@ballast/domain');
    const signingKey = (await import('node:crypto')).createPrivateKey(readFileSync(key, 'utf8'));
    const signature = sign(null, Buffer.from(canonicalJson(wrong)), signingKey).toString('base64');
    const file = join(dir, 'wrong-digest.jsonl');
    writeFileSync(file, `${JSON.stringify({ ...wrong, signature, heads })}\n`);
    expect((await check('verify', pristine, file)).code).toBe(0);
    const audited = await check('audit', pristine, file);
    expect(audited.code).toBe(1);
    expect(audited.out).toMatch(
      /AUDIT_DIGEST_DIFFERS {2}the audit of the first 144 events gives [0-9a-f]{64}; the anchor signed f{64}/,
    );
  });

  it('committed events lost with the -wal file after a kill -9 fail against an anchor taken before the kill', async () => {
    const db = copy('wal.db');
    const writer = spawnChild('hold-writer.ts', [db]);
    await writer.waitFor(/^READY$/);
    for (let i = 0; i < 40; i++) writer.process.stdin.write(`line ${i}\n`);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (writer.lines.filter((l) => l === 'APPENDED').length < 40) return;
        clearInterval(poll);
        resolve();
      }, 20);
    });
    const file = join(dir, 'wal-anchors.jsonl');
    expect((await cli('anchor', 'create', '--db', db, '--key', key, '--out', file)).code).toBe(0);
    writer.process.kill('SIGKILL');
    await writer.exited;
    expect(existsSync(`${db}-wal`)).toBe(true);
    rmSync(`${db}-wal`);
    rmSync(`${db}-shm`, { force: true });
    expect((await cli('audit', '--db', db)).code).toBe(0);
    const verified = await check('verify', db, file);
    expect(verified.code).toBe(1);
    expect(verified.out).toMatch(/LOG_CUT_OFF {2}the log holds 144 events; the anchor of .* covers 184/);
    expect(verified.out).toMatch(/STREAM_MISSING {2}stream s-held \(anchored at revision 39\) is not in the log/);
  });

  it('bad usage: --anchor without the trusted key, a file that is not a key, an empty anchor file, a missing file', async () => {
    const noKey = await cli('verify', '--db', pristine, '--anchor', anchors);
    expect(noKey.code).toBe(2);
    expect(noKey.err).toMatch(/--anchor needs --anchor-key PUBLIC-KEY-FILE/);
    const notKey = await check('verify', pristine, anchors, anchors);
    expect(notKey.code).toBe(2);
    expect(notKey.err).toMatch(/--anchor-key .*anchors.jsonl is not a public key in PEM form/);
    const rsa = join(dir, 'rsa.pub');
    writeFileSync(
      rsa,
      generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect((await check('verify', pristine, anchors, rsa)).err).toMatch(
      /is a rsa key; anchors are signed with Ed25519/,
    );
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '\n');
    expect((await check('verify', pristine, empty)).err).toMatch(/the file holds no anchor/);
    expect((await check('audit', pristine, join(dir, 'nope.jsonl'))).err).toMatch(
      /nope.jsonl: cannot read it \(ENOENT\)/,
    );
    expect((await cli('anchor', 'create', '--db', pristine, '--key', pub, '--out', join(dir, 'x.jsonl'))).err).toMatch(
      /--key .* is not a private key in PEM form/,
    );
    expect((await cli('anchor', 'frobnicate')).err).toMatch(
      /give an action: keygen, create, show \(got 'frobnicate'\)/,
    );
  });

  it('a store that fails its audit is not anchored, and the anchor file is left as it was', async () => {
    const broken = copy('broken.db');
    const db = new (await import('better-sqlite3')).default(broken);
    expect(db.prepare(`UPDATE events SET data = '{"i":999}' WHERE data = '{"i":5}'`).run().changes).toBe(1);
    db.close();
    const file = join(dir, 'never.jsonl');
    const created = await cli('anchor', 'create', '--db', broken, '--key', key, '--out', file);
    expect(created.code).toBe(1);
    expect(created.err).toMatch(/the store failed its audit, so nothing was anchored: stream .* \(HASH_MISMATCH\)/);
    expect(existsSync(file)).toBe(false);
  });

  it('a published statement alone (anchor show --json) checks the log by its root', async () => {
    const published = join(dir, 'published.jsonl');
    writeFileSync(published, `${(await cli('anchor', 'show', '--anchor', anchors, '--json')).out}\n`);
    const passed = await check('audit', pristine, published);
    expect(passed.code).toBe(0);
    expect(passed.out).toMatch(/anchors {3}ok: 1 anchor\(s\)/);
    const rewritten = copy('published-rewritten.db');
    rewriteEvent(rewritten, 'notes-1', 7, (data) => ({ ...data, i: 70 }));
    const failed = await check('verify', rewritten, published);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(
      /HEADS_ROOT_DIFFERS {2}line 1: after 144 events the log's stream heads hash to another root/,
    );
    const cut = copy('published-cut.db');
    cutStreamEnd(cut, 'notes-1', 1);
    expect((await check('verify', cut, published)).out).toMatch(/LOG_CUT_OFF/);
  });

  it('create refuses to anchor a store with fewer events than the file already anchors (cut off or rolled back)', async () => {
    const file = join(dir, 'rollback.jsonl');
    writeFileSync(file, readFileSync(anchors, 'utf8'));
    const cut = copy('rollback.db');
    cutStreamEnd(cut, 'notes-1', 5);
    const refused = await cli('anchor', 'create', '--db', cut, '--key', key, '--out', file);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(
      /the store holds 139 events, fewer than the anchor on line 1 .* \(144\): it was cut off or rolled back/,
    );
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(anchors, 'utf8'));
  });

  it('a torn last line (a crash mid-write) does not swallow the next anchor', async () => {
    const file = join(dir, 'torn.jsonl');
    writeFileSync(file, readFileSync(anchors, 'utf8').slice(0, 300));
    expect((await cli('anchor', 'create', '--db', pristine, '--key', key, '--out', file)).code).toBe(0);
    const checked = await check('verify', pristine, file);
    expect(checked.out).toMatch(/ANCHOR_MALFORMED {2}line 1: not JSON/);
    expect(checked.out).not.toMatch(/line 2: /);
    expect(checked.out.match(/^ {2}[A-Z_]+ {2}/gm)).toHaveLength(1);
  });

  it('show prints the signed statement to publish, without the heads', async () => {
    const shown = await cli('anchor', 'show', '--anchor', anchors, '--json');
    expect(shown.code).toBe(0);
    const statement = JSON.parse(shown.out) as Record<string, unknown>;
    expect(Object.keys(statement).sort()).toEqual(
      [
        'auditDigest',
        'createdAt',
        'events',
        'format',
        'headPosition',
        'headsRoot',
        'keyId',
        'signature',
        'streams',
      ].sort(),
    );
  });
});
