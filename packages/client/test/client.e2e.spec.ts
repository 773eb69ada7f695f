import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { startTestServer, type TestServer } from '../../../apps/server/test/server-fixture';
import { ballastClient, type BallastClient } from '../src';

const config = TreasuryConfigCodec.encode(agentPreset());

describe('@ballast/client: commands and reads against a real server', () => {
  let s: TestServer;
  let ops: BallastClient;
  let agent: BallastClient;

  beforeAll(async () => {
    s = await startTestServer();
    ops = ballastClient({ url: s.url, key: s.operatorKey });
    const created = await ops.keys.create({ principal: 'client-agent', role: 'agent' });
    if (!created.ok) throw new Error(created.message);
    agent = ballastClient({ url: s.url, key: created.key });
  });
  afterAll(() => s.close());

  it('a command round trip: 201 with the events, position and revision; the read shows it (read your own write)', async () => {
    const opened = await ops.treasuries.execute('client-agent', { type: 'OpenTreasury', config });
    expect(opened).toMatchObject({ ok: true, status: 201, streamId: 'treasury-client-agent', revision: 0 });

    const deposited = await agent.treasuries.execute('client-agent', { type: 'Deposit', amount: '1000' });
    if (!deposited.ok) throw new Error(`refused: ${deposited.code}`);
    expect(deposited).toMatchObject({ status: 201, replayed: false, streamId: 'treasury-client-agent' });
    expect(deposited.events.map((e) => e.type)).toContain('FundsDeposited');
    expect(deposited.position).toBe(await s.head());

    const read = await agent.treasuries.get('client-agent', { waitFor: deposited.position! });
    expect(read).toMatchObject({ ok: true, status: 200, revision: deposited.revision });
    const overview = await ops.readModel('treasury-overview', { waitFor: deposited.position! });
    expect(overview).toMatchObject({ ok: true, name: 'treasury-overview' });
    if (overview.ok) expect(overview.position).toBeGreaterThanOrEqual(deposited.position!);
  });

  it('a refusal is data with its code and details, never an exception', async () => {
    const bet = await agent.treasuries.execute('client-agent', { type: 'PlaceBet', betId: 'b1', game: 'dice_over50' });
    expect(bet).toMatchObject({
      ok: false,
      status: 422,
      code: 'NEGATIVE_EDGE',
      details: expect.objectContaining({ game: 'dice_over50' }),
      position: expect.any(Number), // recorded as CommandRejected
    });
    const bad = await agent.treasuries.execute('client-agent', { type: 'Deposit', amount: '-5' });
    expect(bad).toMatchObject({ ok: false, status: 400, code: 'INVALID_INPUT', issues: expect.any(Array) });
    const forbidden = await agent.treasuries.get('someone-else');
    expect(forbidden).toMatchObject({ ok: false, status: 403, code: 'FORBIDDEN' });
    const unauthenticated = await ballastClient({ url: s.url, key: 'bk_nope' }).events();
    expect(unauthenticated).toMatchObject({ ok: false, status: 401 });
  });

  it('an idempotent retry is answered again (200, replayed) and appends nothing; another body is 409', async () => {
    const first = await agent.treasuries.execute(
      'client-agent',
      { type: 'Deposit', amount: '5' },
      { idempotencyKey: 'dep-5' },
    );
    expect(first).toMatchObject({ ok: true, status: 201, replayed: false });
    const head = await s.head();
    const again = await agent.treasuries.execute(
      'client-agent',
      { type: 'Deposit', amount: '5' },
      { idempotencyKey: 'dep-5' },
    );
    expect(again).toMatchObject({ ok: true, status: 200, replayed: true, position: first.ok && first.position });
    expect(await s.head()).toBe(head);
    const other = await agent.treasuries.execute(
      'client-agent',
      { type: 'Deposit', amount: '6' },
      { idempotencyKey: 'dep-5' },
    );
    expect(other).toMatchObject({ ok: false, status: 409, code: 'COMMAND_ID_REUSED' });
  });

  it('pages the log, reads at a time, lists and revokes keys', async () => {
    const page = await ops.events({ from: 1, limit: 3 });
    if (!page.ok) throw new Error(page.code);
    expect(page.events.map((e) => e.position)).toEqual([1, 2, 3]);
    expect(page.next).toBe(4);
    const past = await ops.treasuries.get('client-agent', { at: '2000-01-01T00:00:00Z' });
    expect(past).toMatchObject({ ok: false, status: 404 });

    const created = await ops.keys.create({ principal: 'short-lived', role: 'service' });
    if (!created.ok) throw new Error(created.code);
    const listed = await ops.keys.list();
    expect(listed.ok && listed.keys.map((k) => k.keyId)).toContain(created.keyId);
    expect(await ops.keys.revoke(created.keyId, { reason: 'test' })).toMatchObject({ ok: true, revoked: true });
    expect(await ballastClient({ url: s.url, key: created.key }).events()).toMatchObject({ ok: false, status: 401 });
    expect(await agent.keys.list()).toMatchObject({ ok: false, status: 403, code: 'FORBIDDEN' });
  });

  it('a network error rejects (nothing listens there)', async () => {
    const nobody = ballastClient({ url: 'http://127.0.0.1:1', key: 'bk_x' });
    await expect(nobody.events()).rejects.toThrow();
  });
});
