import { agentPreset, defaultPoolConfig, PoolConfigCodec, TreasuryConfigCodec } from '@ballast/domain';
import { startTestServer, type TestServer } from './server-fixture';

// Found by a review on a fresh clone: each of these failed before its fix.
const config = TreasuryConfigCodec.encode(agentPreset());
const SECRET = 'A'.repeat(43);

describe('ballast serve: names from outside never reach Object.prototype, and revoked keys end live streams', () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer({ limits: { ratePerMinute: 5 } });
  });
  afterAll(() => s.close());

  it('a key id named like a prototype member is just an unknown key (401), and is rate-limited', async () => {
    const head = await s.head();
    const statuses: number[] = [];
    for (const id of ['constructor', 'tostring', 'hasownproperty', 'constructor', 'constructor', 'constructor'])
      statuses.push((await s.call('GET', '/v1/events', { key: `bk_${id}_${SECRET}` })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    expect(await s.head()).toBe(head);
  });
});

describe('ballast serve: paths and bodies', () => {
  let s: TestServer;
  let ops: string;
  let agent1: string;

  beforeAll(async () => {
    s = await startTestServer();
    ops = s.operatorKey;
    agent1 = (await s.keyFor('agent-1', 'agent')).key;
    await s.call('POST', '/v1/treasuries/agent-1/commands', { key: ops, body: { type: 'OpenTreasury', config } });
  });
  afterAll(() => s.close());

  it('prototype member names in paths are 404, never 500', async () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect((await s.call('POST', `/v1/${name}/x/commands`, { key: agent1, body: { type: 'Deposit' } })).status).toBe(
        404,
      );
      expect((await s.call('GET', `/v1/${name}/x`, { key: ops })).status).toBe(404);
      expect((await s.call('GET', `/v1/read-models/${name}`, { key: ops })).status).toBe(404);
    }
    expect(
      (await s.call('POST', '/v1/treasuries/agent-1/commands', { key: agent1, body: { type: 'constructor' } })).status,
    ).toBe(400);
  });

  it('an escrow or pool named otherwise in the body than in the path is refused (400), nothing appended', async () => {
    const head = await s.head();
    const escrow = await s.call('POST', '/v1/escrows/e1/commands', {
      key: agent1,
      body: {
        type: 'CreateEscrow',
        escrowId: 'e9',
        payer: 'agent-1',
        payee: 'agent-2',
        amount: '10',
        deadline: Date.now() + 3_600_000,
      },
    });
    expect(escrow).toMatchObject({ status: 400, body: { code: 'INVALID_INPUT', issues: [{ path: 'escrowId' }] } });
    const pool = await s.call('POST', '/v1/pools/main/commands', {
      key: ops,
      body: { type: 'OpenPool', poolId: 'zzz', config: PoolConfigCodec.encode(defaultPoolConfig('standard')) },
    });
    expect(pool).toMatchObject({ status: 400, body: { issues: [{ path: 'poolId' }] } });
    expect(await s.head()).toBe(head);
  });

  it("a read model's position is the projection's now, also after events that leave its view as it was", async () => {
    await s.call('GET', '/v1/read-models/treasury-overview', { key: ops });
    // A key changes no treasury: the overview stays the same object, but its position moves on.
    const created = await s.call('POST', '/v1/keys', { key: ops, body: { principal: 'agent-9', role: 'agent' } });
    const head = await s.head();
    const read = await s.call('GET', `/v1/read-models/treasury-overview?waitFor=${head}`, { key: ops });
    expect(created.status).toBe(201);
    expect(read.body.position).toBe(head);
  });

  it('a live stream ends with closing KEY_REVOKED once its key is revoked', async () => {
    const watcher = await s.keyFor('watcher', 'service');
    const response = await fetch(`${s.url}/v1/events/stream?after=${await s.head()}`, {
      headers: { authorization: `Bearer ${watcher.key}` },
    });
    const reader = response.body!.getReader();
    let text = '';
    const reading = (async () => {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        text += new TextDecoder().decode(value);
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await s.call('POST', `/v1/keys/${watcher.keyId}/revoke`, { key: ops })).status).toBe(200);
    await s.call('POST', '/v1/treasuries/agent-1/commands', { key: agent1, body: { type: 'Deposit', amount: '1' } });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([reading, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    expect(text).toContain('"code":"KEY_REVOKED"');
    // Nothing after the revocation reached it: not the deposit.
    expect(text).not.toContain('FundsDeposited');
  });
});
