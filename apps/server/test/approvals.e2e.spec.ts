import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { openApiDocument } from '../src/openapi/openapi-document';
import { documentAjv } from './openapi-ajv';
import { sseMessages } from './sse-text';
import { startTestServer, type TestServer } from './server-fixture';

/** The agent preset with lottery sizing (so a bet passes its own rules) and a spend policy. */
const config = {
  ...TreasuryConfigCodec.encode(agentPreset()),
  sizing: 'lottery',
  policy: {
    budgets: [{ name: 'withdrawals-24h', window: '24h', category: 'withdrawal', limit: '100000' }],
    approvals: { threshold: '50000', approvers: ['alice', 'bob'], required: 2, expiresMs: 86_400_000 },
  },
};

const { responseErrors } = documentAjv(openApiDocument());
const COMMANDS = '/v1/treasuries/{id}/commands';

describe('spend policies and approvals over HTTP', () => {
  let s: TestServer;
  let ops: string;
  let alice: string;
  let bob: string;
  let agent: string;
  let other: string;
  let service: string;
  const send = (key: string, body: unknown, id = 'agent-1') =>
    s.call('POST', `/v1/treasuries/${id}/commands`, { key, body });
  /** Every bucket of agent-1 together (the server's rebalancer may move money between them after a withdrawal). */
  const balance = async (): Promise<number> => {
    const read = await s.call('GET', '/v1/treasuries/agent-1', { key: ops });
    return Object.values(read.body.state.treasury.buckets as Record<string, string>).reduce((n, b) => n + Number(b), 0);
  };
  const readModel = (name: string, key: string, waitFor = 0) =>
    s.call('GET', `/v1/read-models/${name}?waitFor=${waitFor}`, { key });

  beforeAll(async () => {
    s = await startTestServer();
    ops = s.operatorKey;
    alice = (await s.keyFor('alice', 'operator')).key;
    bob = (await s.keyFor('bob', 'operator')).key;
    agent = (await s.keyFor('agent-1', 'agent')).key;
    other = (await s.keyFor('agent-2', 'agent')).key;
    service = (await s.keyFor('reporting', 'service')).key;
    expect((await send(ops, { type: 'OpenTreasury', config })).status).toBe(201);
    expect((await send(agent, { type: 'Deposit', amount: '1000000' })).status).toBe(201);
    expect((await send(ops, { type: 'OpenTreasury', config }, 'agent-2')).status).toBe(201);
    expect((await send(other, { type: 'Deposit', amount: '1000000' }, 'agent-2')).status).toBe(201);
  });
  afterAll(() => s.close());

  it('GET /v1/whoami tells any key its principal, role and key id; no key is 401', async () => {
    const me = await s.call('GET', '/v1/whoami', { key: alice });
    expect(me).toMatchObject({ status: 200, body: { principal: 'alice', role: 'operator' } });
    expect(me.body.keyId).toMatch(/^[a-z0-9]{8,32}$/);
    expect(responseErrors('/v1/whoami', 'GET', 200, me.body)).toBeNull();
    expect(alice).toContain(`bk_${me.body.keyId as string}_`);
    expect((await s.call('GET', '/v1/whoami', { key: agent })).body).toMatchObject({ principal: 'agent-1' });
    expect((await s.call('GET', '/v1/whoami', { key: service })).body).toMatchObject({ role: 'service' });
    expect((await s.call('GET', '/v1/whoami')).status).toBe(401);
  });

  it('an agent cannot send any spend-control command, even naming itself (403)', async () => {
    for (const body of [
      { type: 'EmergencyStop', by: 'agent-1' },
      { type: 'LiftEmergencyStop', by: 'agent-1' },
      { type: 'SetMode', mode: 'reduce-only', by: 'agent-1' },
      { type: 'ChangePolicy', policy: { budgets: [] }, by: 'agent-1' },
      { type: 'ApproveRequest', requestId: 'req-1', approver: 'agent-1' },
      { type: 'DenyRequest', requestId: 'req-1', by: 'agent-1' },
    ]) {
      const answer = await send(agent, body);
      expect({ type: body.type, status: answer.status, code: answer.body.code }).toEqual({
        type: body.type,
        status: 403,
        code: 'FORBIDDEN',
      });
      expect(answer.body.message).toContain('it needs an operator key');
    }
  });

  it('a withdrawal over the threshold is held: 202 with `pending`, nothing withdrawn; the read model lists it', async () => {
    const before = await balance();
    const withdraw = { type: 'Withdraw', bucket: 'referral', amount: '60000', to: 'bank:acme-1' };
    const idempotent = { key: agent, body: withdraw, headers: { 'idempotency-key': 'big-1' } };
    const held = await s.call('POST', '/v1/treasuries/agent-1/commands', idempotent);
    expect(held.status).toBe(202);
    expect(responseErrors(COMMANDS, 'POST', 202, held.body)).toBeNull();
    // Without `pending` it is not what the document says of a 202.
    expect(responseErrors(COMMANDS, 'POST', 202, { ...held.body, pending: undefined })).not.toBeNull();
    expect(held.body).toMatchObject({
      streamId: 'treasury-agent-1',
      replayed: false,
      events: [expect.objectContaining({ type: 'ApprovalRequested', requestId: 'req-1' })],
      position: expect.any(Number),
      revision: expect.any(Number),
      pending: {
        requestId: 'req-1',
        amount: '60000',
        threshold: '50000',
        required: 2,
        approvers: ['alice', 'bob'],
        expiresAt: expect.any(Number),
      },
    });
    expect(held.body.pending.expiresAt - held.body.events[0].at).toBe(86_400_000);
    expect(await balance()).toBe(before);
    // A retry is the first answer again: 200, replayed, still saying what it waits for; no second request.
    const retried = await s.call('POST', '/v1/treasuries/agent-1/commands', idempotent);
    expect(retried).toMatchObject({ status: 200, body: { replayed: true, pending: held.body.pending } });

    const pending = await readModel('pending-approvals', ops, held.body.position);
    expect(pending.status).toBe(200);
    expect(pending.body.state).toEqual([
      {
        treasuryId: 'agent-1',
        requestId: 'req-1',
        command: {
          type: 'Withdraw',
          at: expect.any(Number),
          bucket: 'referral',
          amount: '60000',
          to: 'bank:acme-1',
        },
        amount: '60000',
        policyVersion: 1,
        approvers: ['alice', 'bob'],
        required: 2,
        approvedBy: [],
        requestedAt: held.body.events[0].at,
        expiresAt: held.body.pending.expiresAt,
      },
    ]);
    // The live stream starts with the same view.
    const abort = new AbortController();
    const stream = await fetch(`${s.url}/v1/read-models/pending-approvals/stream`, {
      headers: { authorization: `Bearer ${ops}` },
      signal: abort.signal,
    });
    expect(stream.status).toBe(200);
    const first = (await sseMessages(stream.body!).next()).value!;
    abort.abort();
    expect(first.event).toBe('state');
    expect(JSON.parse(first.data).state).toEqual(pending.body.state);
  });

  it('agents may not read the approvals or controls read models (theirs or another’s); services may', async () => {
    for (const name of ['pending-approvals', 'treasury-controls'])
      for (const key of [agent, other]) {
        const answer = await readModel(name, key);
        expect({ name, status: answer.status, code: answer.body.code }).toEqual({
          name,
          status: 403,
          code: 'FORBIDDEN',
        });
      }
    const refused = await fetch(`${s.url}/v1/read-models/pending-approvals/stream`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    expect(refused.status).toBe(403);
    expect((await readModel('pending-approvals', service)).status).toBe(200);
    expect((await s.call('GET', '/v1/read-models', { key: ops })).body.readModels).toEqual(
      expect.arrayContaining(['pending-approvals', 'treasury-controls']),
    );
  });

  it('approvals: not the agent, not in another’s name, once each; the second executes the withdrawal', async () => {
    const approve = (key: string, approver: string) =>
      send(key, { type: 'ApproveRequest', requestId: 'req-1', approver });
    expect((await approve(agent, 'agent-1')).status).toBe(403);
    const impersonated = await approve(alice, 'bob');
    expect(impersonated.status).toBe(403);
    expect(impersonated.body.message).toContain('approver must be alice');
    const before = await balance();

    const first = await approve(alice, 'alice');
    expect(first.status).toBe(201);
    expect(first.body.events).toEqual([
      expect.objectContaining({ type: 'RequestApproved', requestId: 'req-1', approver: 'alice', approvals: 1 }),
    ]);
    expect(first.body.pending).toBeUndefined();
    const listed = await readModel('pending-approvals', ops, first.body.position);
    expect(listed.body.state).toEqual([expect.objectContaining({ requestId: 'req-1', approvedBy: ['alice'] })]);

    const again = await approve(alice, 'alice');
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({
      code: 'ALREADY_APPROVED',
      details: { requestId: 'req-1', approvals: 1, required: 2 },
    });
    expect(await balance()).toBe(before);

    const second = await approve(bob, 'bob');
    expect(second.status).toBe(201);
    expect(second.body.events.map((e: { type: string }) => e.type)).toEqual([
      'RequestApproved',
      'RequestExecuted',
      'OutflowChecked',
      'FundsWithdrawn',
    ]);
    expect(second.body.events[3]).toMatchObject({ bucket: 'referral', amount: '60000', to: 'bank:acme-1' });
    expect(await balance()).toBe(before - 60000);

    const after = await readModel('pending-approvals', ops, second.body.position);
    expect(after.body.state).toEqual([]);
    const controls = await readModel('treasury-controls', ops, second.body.position);
    expect(controls.body.state).toEqual([
      {
        treasuryId: 'agent-1',
        policyVersion: 1,
        mode: 'normal',
        emergencyStop: null,
        budgets: [{ name: 'withdrawals-24h', window: '24h', category: 'withdrawal', limit: '100000', spent: '60000' }],
      },
      expect.objectContaining({ treasuryId: 'agent-2', budgets: [expect.objectContaining({ spent: '0' })] }),
    ]);
    // Executed requests are closed: approving again names it.
    expect((await approve(alice, 'alice')).body.code).toBe('REQUEST_CLOSED');
  });

  it('a withdrawal past the 24h budget is refused BUDGET_EXCEEDED with its numbers', async () => {
    const refused = await send(agent, { type: 'Withdraw', bucket: 'referral', amount: '50000', to: 'bank:acme-1' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      details: {
        budget: 'withdrawals-24h',
        window: '24h',
        category: 'withdrawal',
        limit: '100000',
        spent: '60000',
        amount: '50000',
        wouldBe: '110000',
        freesAt: expect.any(Number),
        policyVersion: 1,
      },
      position: expect.any(Number),
    });
  });

  it('a held move denied by an approver never executes and leaves the list', async () => {
    // Under the budget's remaining 40000 is not over the threshold; a fresh treasury shows the deny path.
    const held = await send(other, { type: 'Withdraw', bucket: 'referral', amount: '55000' }, 'agent-2');
    expect(held).toMatchObject({ status: 202, body: { pending: { requestId: 'req-1' } } });
    const deny = { type: 'DenyRequest', requestId: 'req-1', by: 'bob', reason: 'not today' };
    expect((await send(alice, deny, 'agent-2')).status).toBe(403);
    const denied = await send(bob, deny, 'agent-2');
    expect(denied.status).toBe(201);
    expect(denied.body.events.map((e: { type: string }) => e.type)).toEqual(['CommandRejected', 'RequestDenied']);
    expect((await readModel('pending-approvals', ops, denied.body.position)).body.state).toEqual([]);
  });

  it('an emergency stop by an operator freezes the agent’s bets (EMERGENCY_STOP) until it is lifted', async () => {
    const bet = { type: 'PlaceBet', betId: 'b1', game: 'dice_over50', stake: '10' };
    expect((await send(agent, { type: 'EmergencyStop', by: 'alice' })).status).toBe(403);
    expect((await send(alice, { type: 'EmergencyStop', by: 'bob' })).status).toBe(403);
    const stopped = await send(alice, { type: 'EmergencyStop', by: 'alice', reason: 'drill' });
    expect(stopped.status).toBe(201);
    const refused = await send(agent, bet);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      code: 'EMERGENCY_STOP',
      details: { stoppedBy: 'alice', liftVotes: 0, liftRequired: 1, amount: '10' },
    });
    const controls = await readModel('treasury-controls', ops, refused.body.position);
    expect(controls.body.state[0].emergencyStop).toEqual({
      by: 'alice',
      at: expect.any(Number),
      reason: 'drill',
      lifts: [],
      liftRequired: 1,
    });
    expect((await send(bob, { type: 'LiftEmergencyStop', by: 'bob' })).status).toBe(201);
    expect((await send(agent, bet)).status).toBe(201);
  });

  it('policy and mode are an operator’s as themselves; a new policy version shows in the controls', async () => {
    expect((await send(alice, { type: 'SetMode', mode: 'reduce-only', by: 'bob' })).status).toBe(403);
    const mode = await send(alice, { type: 'SetMode', mode: 'reduce-only', by: 'alice' });
    expect(mode.status).toBe(201);
    const bet = await send(agent, { type: 'PlaceBet', betId: 'b2', game: 'dice_over50', stake: '10' });
    expect(bet.body.code).toBe('REDUCE_ONLY');
    // The policy has approvals, so a change waits for them too: one operator cannot loosen it alone.
    const asked = await send(ops, { type: 'ChangePolicy', policy: { budgets: [] }, by: 'ops' });
    expect(asked.status).toBe(202);
    const { requestId } = asked.body.pending as { requestId: string };
    expect((await send(alice, { type: 'ApproveRequest', requestId, approver: 'alice' })).status).toBe(201);
    const changed = await send(bob, { type: 'ApproveRequest', requestId, approver: 'bob' });
    expect(changed.status).toBe(201);
    const controls = await readModel('treasury-controls', ops, changed.body.position);
    expect(controls.body.state[0]).toMatchObject({ policyVersion: 2, mode: 'reduce-only', budgets: [] });
  });

  it('whoever sent a held move cannot approve it: four eyes, whatever the policy requires (403 SELF_APPROVAL)', async () => {
    // An operator may act on any treasury; its own large withdrawal is held like an agent's.
    const held = await send(
      alice,
      { type: 'Withdraw', bucket: 'reserve', amount: '50001', to: 'bank:acme-9' },
      'agent-2',
    );
    expect(held.status).toBe(202);
    const { requestId } = held.body.pending as { requestId: string };
    const own = await send(alice, { type: 'ApproveRequest', requestId, approver: 'alice' }, 'agent-2');
    expect(own).toMatchObject({
      status: 403,
      body: { code: 'SELF_APPROVAL', details: { principal: 'alice', requestId } },
    });
    const other = await send(bob, { type: 'ApproveRequest', requestId, approver: 'bob' }, 'agent-2');
    expect(other.status).toBe(201);
    expect(other.body.events.map((e: { type: string }) => e.type)).toEqual(['RequestApproved']);
  });
});
