import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { startTestServer, type TestServer } from './server-fixture';

const config = TreasuryConfigCodec.encode(agentPreset());
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ballast serve: commands and reads over HTTP on loopback', () => {
  let s: TestServer;
  let ops: string;
  let agent1: string;
  let agent2: string;
  let service: string;
  /** An instant after the treasury was opened and before the first deposit. */
  let beforeDeposit: string;
  let depositPosition: number;

  beforeAll(async () => {
    s = await startTestServer();
    ops = s.operatorKey;
    agent1 = (await s.keyFor('agent-1', 'agent')).key;
    agent2 = (await s.keyFor('agent-2', 'agent')).key;
    service = (await s.keyFor('reporting', 'service')).key;
  });
  afterAll(() => s.close());

  it('answers /health and /ready without a key', async () => {
    expect(await s.call('GET', '/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
    // Ready once the read models have caught up with the head found at start (a few events: quick).
    let ready = await s.call('GET', '/ready');
    for (let i = 0; i < 50 && ready.status !== 200; i++) {
      await sleep(20);
      ready = await s.call('GET', '/ready');
    }
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready', position: expect.any(Number) } });
  });

  it('an operator opens a treasury; its owner deposits (201 with events, position and revision)', async () => {
    const opened = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: ops,
      body: { type: 'OpenTreasury', config },
      headers: { 'idempotency-key': 'open-1' },
    });
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ streamId: 'treasury-agent-1', replayed: false, revision: 0 });
    await sleep(5);
    beforeDeposit = new Date().toISOString();
    await sleep(5);

    const head = await s.head();
    const deposited = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: agent1,
      body: { type: 'Deposit', amount: '1000' },
      headers: { 'idempotency-key': 'dep-1' },
    });
    expect(deposited.status).toBe(201);
    expect(deposited.body).toMatchObject({
      streamId: 'treasury-agent-1',
      replayed: false,
      events: expect.arrayContaining([expect.objectContaining({ type: 'FundsDeposited' })]),
      position: expect.any(Number),
      revision: expect.any(Number),
    });
    expect(deposited.body.position).toBe(await s.head());
    expect(deposited.body.position).toBeGreaterThan(head);
    expect(deposited.body.revision).toBeGreaterThan(0);
    depositPosition = deposited.body.position;
  });

  it('the same Idempotency-Key and body is answered again (200, replayed) and appends nothing', async () => {
    const head = await s.head();
    const count = (await s.events()).length;
    const again = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: agent1,
      body: { type: 'Deposit', amount: '1000' },
      headers: { 'idempotency-key': 'dep-1' },
    });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, position: depositPosition });
    expect(await s.head()).toBe(head);
    expect((await s.events()).length).toBe(count);
  });

  it('the same Idempotency-Key with another body is 409 COMMAND_ID_REUSED and appends nothing', async () => {
    const head = await s.head();
    const reused = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: agent1,
      body: { type: 'Deposit', amount: '999' },
      headers: { 'idempotency-key': 'dep-1' },
    });
    expect(reused.status).toBe(409);
    expect(reused.body.code).toBe('COMMAND_ID_REUSED');
    expect(await s.head()).toBe(head);
  });

  it("another agent's same Idempotency-Key is its own command, not a collision", async () => {
    await s.call('POST', '/v1/treasuries/agent-2/commands', {
      key: ops,
      body: { type: 'OpenTreasury', config },
    });
    const other = await s.call('POST', '/v1/treasuries/agent-2/commands', {
      key: agent2,
      body: { type: 'Deposit', amount: '5' },
      headers: { 'idempotency-key': 'dep-1' },
    });
    expect(other).toMatchObject({ status: 201, body: { replayed: false } });
  });

  it("a rule's refusal is 422 with its code and numbers (a bet on a negative edge)", async () => {
    const head = await s.head();
    const bet = {
      key: agent1,
      body: { type: 'PlaceBet', betId: 'b1', game: 'dice_over50', stake: '1' },
      headers: { 'idempotency-key': 'bet-1' },
    };
    const refused = await s.call('POST', '/v1/treasuries/agent-1/commands', bet);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'NEGATIVE_EDGE', details: { edge: expect.any(String) } });
    expect(Number(refused.body.details.edge)).toBeLessThan(0);
    // The refusal is recorded for the audit (one CommandRejected), and its position is in the answer.
    expect(await s.head()).toBe(head + 1);
    expect(refused.body.position).toBe(head + 1);
    const rejected = (await s.events()).at(-1)!;
    expect(rejected).toMatchObject({ type: 'CommandRejected', streamId: 'treasury-agent-1' });
    expect(rejected.metadata.actor).toBe('agent-1');
    // Sent again under the same key: the same refusal, nothing more recorded.
    const again = await s.call('POST', '/v1/treasuries/agent-1/commands', bet);
    expect(again).toMatchObject({ status: 422, body: { code: 'NEGATIVE_EDGE' } });
    expect(await s.head()).toBe(head + 1);
  });

  it('an agent reads its own treasury now, and as it was before the deposit with ?at=', async () => {
    const now = await s.call('GET', '/v1/treasuries/agent-1', { key: agent1 });
    expect(now.status).toBe(200);
    expect(now.body).toMatchObject({ streamId: 'treasury-agent-1', state: expect.any(Object) });
    expect(JSON.stringify(now.body.state)).toContain('1000');

    const then = await s.call('GET', `/v1/treasuries/agent-1?at=${encodeURIComponent(beforeDeposit)}`, {
      key: agent1,
    });
    expect(then.status).toBe(200);
    expect(then.body).toMatchObject({ at: beforeDeposit, revision: 0 });
    expect(then.body.revision).toBeLessThan(now.body.revision);
    expect(JSON.stringify(then.body.state)).not.toContain('1000');

    const beforeOpen = await s.call('GET', '/v1/treasuries/agent-1?at=2000-01-01T00:00:00Z', { key: agent1 });
    expect(beforeOpen).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    const badAt = await s.call('GET', '/v1/treasuries/agent-1?at=yesterday', { key: agent1 });
    expect(badAt).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT' } });
  });

  it('a read model with ?waitFor=<position> reflects the write', async () => {
    const deposited = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: agent1,
      body: { type: 'Deposit', amount: '234.5' },
    });
    expect(deposited.status).toBe(201);
    const model = await s.call('GET', `/v1/read-models/treasury-overview?waitFor=${deposited.body.position}`, {
      key: service,
    });
    expect(model.status).toBe(200);
    expect(model.body.position).toBeGreaterThanOrEqual(deposited.body.position);
    expect(JSON.stringify(model.body.state)).toContain('agent-1');
    expect(JSON.stringify(model.body.state)).toContain('1234.5');
  });

  it('GET /v1/events pages the whole log with `next`', async () => {
    const head = await s.head();
    const seen: number[] = [];
    let from = 0;
    for (let page = 0; page < 100; page++) {
      const answer = await s.call('GET', `/v1/events?from=${from}&limit=3`, { key: ops });
      expect(answer.status).toBe(200);
      expect(answer.body.events.length).toBeLessThanOrEqual(3);
      seen.push(...answer.body.events.map((e: { position: number }) => e.position));
      if (answer.body.next === undefined) break;
      from = answer.body.next;
    }
    expect(seen).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    expect(await s.call('GET', '/v1/events?limit=0', { key: ops })).toMatchObject({ status: 400 });
  });

  it("the actor of every event is the key's principal, whatever the body says", async () => {
    const events = await s.events();
    const deposits = events.filter((e) => e.streamId === 'treasury-agent-1' && e.type === 'FundsDeposited');
    expect(deposits.length).toBeGreaterThan(0);
    for (const e of deposits) expect(e.metadata.actor).toBe('agent-1');
    expect(events.find((e) => e.streamId === 'treasury-agent-1' && e.type === 'TreasuryOpened')?.metadata.actor).toBe(
      'ops',
    );

    const head = await s.head();
    const mallory = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: ops,
      body: { type: 'ResumeRisk', operator: 'mallory' },
    });
    expect(mallory).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { principal: 'ops' } } });
    const vote = await s.call('POST', '/v1/pools/main/commands', {
      key: agent1,
      body: { type: 'CastVote', claimId: 'c1', voter: 'agent-2', approve: true },
    });
    expect(vote).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    // Not even an operator votes for an agent.
    const opVote = await s.call('POST', '/v1/pools/main/commands', {
      key: ops,
      body: { type: 'CastVote', claimId: 'c1', voter: 'agent-2', approve: true },
    });
    expect(opVote).toMatchObject({ status: 403, body: { code: 'FORBIDDEN' } });
    expect(await s.head()).toBe(head);
  });

  it('creates 48 keys at once (one stream, access-keys): every one 201, none lost to the race', async () => {
    const answers = await Promise.all(
      Array.from({ length: 48 }, (_, i) =>
        s.call('POST', '/v1/keys', { key: ops, body: { principal: `burst-${i}`, role: 'agent' } }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const listed = await s.call('GET', '/v1/keys', { key: ops });
    const principals = (listed.body as { keys: { principal: string }[] }).keys.map((k) => k.principal);
    for (let i = 0; i < 48; i++) expect(principals).toContain(`burst-${i}`);
  });
});
