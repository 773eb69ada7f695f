import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ProtocolDouble, startProtocolDouble } from '../../../tests/esdb/double/start-double';
import { runCli } from '../src/run-cli';

const cli = async (...args: string[]) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

/** Read models that record global positions, which are store-specific (log offsets in EventStoreDB). */
const POSITIONED = ['audit-trail', 'breaker-history'];

/**
 * `ballast simulate --store esdb://…` and the read commands, through the real client over gRPC to
 * the protocol test double (no EventStoreDB can run here; see README).
 */
describe('ballast with --store esdb://… (protocol double)', () => {
  let double: ProtocolDouble;
  let dir: string;
  beforeAll(async () => {
    double = await startProtocolDouble();
    dir = mkdtempSync(join(tmpdir(), 'ballast-esdb-cli-'));
  });
  afterAll(async () => {
    await double.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('simulates into EventStoreDB, and every aggregate audits to the same digest as on SQLite', async () => {
    const esdb = await cli(
      'simulate',
      '--store',
      double.url,
      '--days',
      '4',
      '--seed',
      '11',
      '--out',
      join(dir, 'esdb'),
    );
    expect(esdb.err).toBe('');
    expect(esdb.code).toBe(0);
    expect(esdb.out).toContain(`EventStoreDB ${double.url}, namespace ballast`);
    expect(esdb.out).toMatch(/audit: ok/);
    const sqlite = await cli(
      'simulate',
      '--db',
      join(dir, 'b.db'),
      '--days',
      '4',
      '--seed',
      '11',
      '--out',
      join(dir, 'sqlite'),
    );
    expect(sqlite.code).toBe(0);
    const summary = (name: string) => {
      const { audit: _audit, ...rest } = JSON.parse(readFileSync(join(dir, name, 'summary.json'), 'utf8'));
      return rest;
    };
    expect(summary('esdb')).toEqual(summary('sqlite'));

    const esdbAudit = await cli('audit', '--store', double.url, '--json');
    const sqliteAudit = await cli('audit', '--db', join(dir, 'b.db'), '--json');
    expect(esdbAudit.code).toBe(0);
    const a = JSON.parse(esdbAudit.out);
    const b = JSON.parse(sqliteAudit.out);
    expect(a.ok).toBe(true);
    expect(a.aggregates).toEqual(b.aggregates);
    const positionFree = (report: { projections: { name: string }[] }) =>
      report.projections.filter((p) => !POSITIONED.includes(p.name));
    expect(positionFree(a)).toEqual(positionFree(b));
    expect(a.events).toBe(b.events);
  }, 120_000);

  it('verifies, inspects, tails and replays the same store', async () => {
    const verify = await cli('verify', '--store', double.url, '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.out)).toMatchObject({ store: double.url, ok: true });
    const inspect = await cli('inspect', '--store', double.url, '--stream', 'treasury-agent-1', '--limit', '3');
    expect(inspect.code).toBe(0);
    expect(inspect.out).toContain('treasury-agent-1');
    const tail = await cli('tail', '--store', double.url, '--json');
    expect(tail.code).toBe(0);
    const lines = tail.out.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(10);
    const replay = await cli('replay', '--store', double.url, '--stream', 'treasury-agent-1', '--revision', '2');
    expect(replay.code).toBe(0);
  });

  it('refuses a namespace that already holds events, and takes a new one', async () => {
    const again = await cli('simulate', '--store', double.url, '--days', '1', '--out', join(dir, 'again'));
    expect(again.code).toBe(2);
    expect(again.err).toContain('already holds events');
    const other = await cli(
      'simulate',
      '--store',
      double.url,
      '--namespace',
      'run2',
      '--days',
      '1',
      '--out',
      join(dir, 'run2'),
    );
    expect(other.code).toBe(0);
    expect((await cli('audit', '--store', double.url, '--namespace', 'run2')).code).toBe(0);
  }, 120_000);

  it('a SQLite export imports into an empty namespace: the same aggregates, and the SQLite anchors verify it', async () => {
    const sqliteDb = join(dir, 'b.db');
    const file = join(dir, 'b.jsonl');
    expect((await cli('export', '--db', sqliteDb, '--out', file)).code).toBe(0);
    const key = join(dir, 'anchor.key');
    expect((await cli('anchor', 'keygen', '--key', key)).code).toBe(0);
    const anchors = join(dir, 'anchors.jsonl');
    expect((await cli('anchor', 'create', '--db', sqliteDb, '--key', key, '--out', anchors)).code).toBe(0);

    const imported = await cli('import', '--from', file, '--store', double.url, '--namespace', 'copy');
    expect(imported.err).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/positions \d+ events have other global positions than in the export/);
    const a = JSON.parse((await cli('audit', '--store', double.url, '--namespace', 'copy', '--json')).out);
    const b = JSON.parse((await cli('audit', '--db', sqliteDb, '--json')).out);
    expect(a.ok).toBe(true);
    expect(a.aggregates).toEqual(b.aggregates);
    const checked = await cli(
      'verify',
      '--store',
      double.url,
      '--namespace',
      'copy',
      '--anchor',
      anchors,
      '--anchor-key',
      `${key}.pub`,
    );
    expect(checked.code).toBe(0);
    expect(checked.out).toMatch(/anchors {3}ok/);

    const again = await cli('import', '--from', file, '--store', double.url, '--namespace', 'copy');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds events.*\[IMPORT_TARGET_NOT_EMPTY\]; nothing imported/);
  }, 120_000);

  it('G3: audit exits 1 naming the stream and revision of an event edited on the server', async () => {
    const index = double.log.records.findIndex((r) => r.stream === 'ballast.treasury-agent-2' && r.revision === 3);
    const record = double.log.records[index]!;
    const data = JSON.parse(Buffer.from(record.data).toString('utf8'));
    double.log.tamper(index, { data: Buffer.from(JSON.stringify({ ...data, tampered: '1' })) });
    const audit = await cli('audit', '--store', double.url);
    expect(audit.code).toBe(1);
    expect(audit.out).toContain('FAILED at stream treasury-agent-2 revision 3');
  });

  it('says what is wrong with the address: bad usage exits 2, an unreachable server 3', async () => {
    const notUrl = await cli('audit', '--store', 'localhost:2113');
    expect(notUrl.code).toBe(2);
    const both = await cli('audit', '--store', double.url, '--db', 'x.db');
    expect(both.code).toBe(2);
    const namespaceWithDb = await cli('verify', '--db', 'x.db', '--namespace', 'n');
    expect(namespaceWithDb.code).toBe(2);
    const badNamespace = await cli('audit', '--store', double.url, '--namespace', 'Not Valid');
    expect(badNamespace.code).toBe(2);
    expect(badNamespace.err).toContain('options.namespace');
    const closed = await startProtocolDouble();
    await closed.close();
    const down = await cli('audit', '--store', closed.url);
    expect(down.code).toBe(3);
    expect(down.err).toContain('[STORE_UNREACHABLE]');
  });
});
