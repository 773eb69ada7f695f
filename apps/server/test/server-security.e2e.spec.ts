import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { Writable } from 'node:stream';
import { COMMAND_RULES } from '../src';
import { type CallOptions, startTestServer, type TestServer } from './server-fixture';

const config = TreasuryConfigCodec.encode(agentPreset());
const FACADE: Readonly<Record<string, string>> = { treasury: 'treasuries', pool: 'pools', escrow: 'escrows' };

/** Every command type of a rule, as [kind, type]. */
const rulesWhere = (who: string): [string, string][] =>
  Object.entries(COMMAND_RULES).flatMap(([kind, rules]) =>
    Object.entries(rules)
      .filter(([, rule]) => rule.who === who)
      .map(([type]): [string, string] => [kind, type]),
  );

describe('ballast serve: refusals on loopback, each with its status, its code and nothing appended', () => {
  let s: TestServer;
  let ops: string;
  let agent1: string;
  let agent1Id: string;
  let agent2: string;
  let service: string;

  /** Sends a request, expects the status and code, and that the store's head did not move. */
  const refused = async (method: string, path: string, options: CallOptions, status: number, code: string) => {
    const head = await s.head();
    const answer = await s.call(method, path, options);
    expect({ status: answer.status, code: answer.body?.code }).toEqual({ status, code });
    expect(await s.head()).toBe(head);
    return answer;
  };
  const command = (key: string | undefined, body: unknown, id = 'agent-1', facade = 'treasuries') => ({
    path: `/v1/${facade}/${id}/commands`,
    options: { ...(key === undefined ? {} : { key }), body },
  });

  beforeAll(async () => {
    s = await startTestServer();
    ops = s.operatorKey;
    ({ key: agent1, keyId: agent1Id } = await s.keyFor('agent-1', 'agent'));
    agent2 = (await s.keyFor('agent-2', 'agent')).key;
    service = (await s.keyFor('reporting', 'service')).key;
    for (const id of ['agent-1', 'agent-2']) {
      const opened = await s.call('POST', `/v1/treasuries/${id}/commands`, {
        key: ops,
        body: { type: 'OpenTreasury', config },
      });
      expect(opened.status).toBe(201);
    }
    const deposit = await s.call('POST', '/v1/treasuries/agent-1/commands', {
      key: agent1,
      body: { type: 'Deposit', amount: '100' },
    });
    expect(deposit.status).toBe(201);
  });
  afterAll(() => s.close());

  describe('authentication (401)', () => {
    const deposit = { type: 'Deposit', amount: '1' };

    it('no key: KEY_MISSING, with WWW-Authenticate', async () => {
      const { path, options } = command(undefined, deposit);
      const answer = await refused('POST', path, options, 401, 'KEY_MISSING');
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
      await refused('GET', '/v1/treasuries/agent-1', {}, 401, 'KEY_MISSING');
      await refused('GET', '/v1/events', {}, 401, 'KEY_MISSING');
    });

    it('a malformed header or key: KEY_MALFORMED', async () => {
      const { path } = command(undefined, deposit);
      for (const authorization of ['Bearer', 'Bearer nope', `Basic ${agent1}`, `Bearer ${agent1} extra`, 'bk_x_y'])
        await refused('POST', path, { body: deposit, headers: { authorization } }, 401, 'KEY_MALFORMED');
    });

    it('a real key id with a wrong secret, or an id that does not exist: KEY_UNKNOWN', async () => {
      const wrongSecret = `bk_${agent1Id}_${'A'.repeat(43)}`;
      const { path, options } = command(wrongSecret, deposit);
      const answer = await refused('POST', path, options, 401, 'KEY_UNKNOWN');
      expect(JSON.stringify(answer.body)).not.toContain('AAAA');
      const noSuchId = `bk_0123456789abcdef_${'b'.repeat(43)}`;
      await refused('POST', path, { ...options, key: noSuchId }, 401, 'KEY_UNKNOWN');
    });

    it('a revoked key: KEY_REVOKED from the next request on', async () => {
      const { key, keyId } = await s.keyFor('agent-9', 'agent');
      expect((await s.call('GET', '/v1/treasuries/agent-9', { key })).status).toBe(404);
      const revoked = await s.call('POST', `/v1/keys/${keyId}/revoke`, { key: ops, body: { reason: 'lost' } });
      expect(revoked).toMatchObject({ status: 200, body: { keyId, revoked: true } });
      const { path, options } = command(key, deposit, 'agent-9');
      await refused('POST', path, options, 401, 'KEY_REVOKED');
      await refused('GET', '/v1/treasuries/agent-9', { key }, 401, 'KEY_REVOKED');
      // Revoking it again is a refusal of the access stream, not a second event.
      await refused('POST', `/v1/keys/${keyId}/revoke`, { key: ops, body: {} }, 422, 'KEY_REVOKED');
      await refused('POST', '/v1/keys/nosuchkey1/revoke', { key: ops, body: {} }, 422, 'KEY_NOT_FOUND');
    });
  });

  describe('authorization (403)', () => {
    it("an agent on another agent's treasury", async () => {
      for (const body of [
        { type: 'Deposit', amount: '1' },
        { type: 'Withdraw', bucket: 'reserve', amount: '1' },
        { type: 'Tick' },
      ]) {
        const { path, options } = command(agent1, body, 'agent-2');
        const answer = await refused('POST', path, options, 403, 'FORBIDDEN');
        expect(answer.body.details).toMatchObject({ principal: 'agent-1', role: 'agent', id: 'agent-2' });
      }
      const back = command(agent2, { type: 'Withdraw', bucket: 'reserve', amount: '1' }, 'agent-1');
      await refused('POST', back.path, back.options, 403, 'FORBIDDEN');
      await refused('GET', '/v1/treasuries/agent-1', { key: agent2 }, 403, 'FORBIDDEN');
    });

    it("an agent sending an operator's commands, even to its own treasury", async () => {
      for (const body of [
        { type: 'SettleBet', betId: 'b1', won: true },
        { type: 'MarkPrice', symbol: 'BTC', price: '1' },
        { type: 'OpenTreasury', config },
        { type: 'ResumeRisk', operator: 'agent-1' },
        { type: 'ResumeTrading', operator: 'agent-1' },
      ]) {
        const { path, options } = command(agent1, body);
        await refused('POST', path, options, 403, 'FORBIDDEN');
      }
      // Every operator-only command of every kind.
      for (const [kind, type] of rulesWhere('operator')) {
        const { path, options } = command(agent1, { type }, 'agent-1', FACADE[kind]);
        await refused('POST', path, options, 403, 'FORBIDDEN');
      }
    });

    it('internal commands (transfer legs, escrow locks) are refused to an operator too', async () => {
      const receive = {
        type: 'ReceiveTransfer',
        transferId: 't1',
        from: { kind: 'treasury', id: 'agent-2' },
        purpose: 'payment',
        amount: '1000000',
      };
      for (const body of [receive, { type: 'LockEscrow', escrowId: 'e1', amount: '10' }]) {
        for (const key of [ops, agent1]) {
          const { path, options } = command(key, body);
          await refused('POST', path, options, 403, 'FORBIDDEN');
        }
      }
      for (const [kind, type] of rulesWhere('internal')) {
        const { path, options } = command(ops, { type }, 'agent-1', FACADE[kind]);
        await refused('POST', path, options, 403, 'FORBIDDEN');
      }
    });

    it('a service key sends no command at all', async () => {
      for (const [kind, rules] of Object.entries(COMMAND_RULES))
        for (const type of Object.keys(rules)) {
          const { path, options } = command(service, { type }, 'agent-1', FACADE[kind]);
          await refused('POST', path, options, 403, 'FORBIDDEN');
        }
      const { path, options } = command(service, { type: 'Deposit', amount: '1' });
      await refused('POST', path, options, 403, 'FORBIDDEN');
    });

    it('an agent acts in pools only as itself, and in escrows only as a party', async () => {
      for (const body of [
        { type: 'JoinPool', agentId: 'agent-2' },
        { type: 'FileClaim', claimant: 'agent-2', claimId: 'c1', amount: '1' },
        { type: 'CastVote', claimId: 'c1', voter: 'agent-2', approve: true },
      ]) {
        const { path, options } = command(agent1, body, 'main', 'pools');
        await refused('POST', path, options, 403, 'FORBIDDEN');
      }
      const create = command(agent1, { type: 'CreateEscrow', payer: 'agent-2', payee: 'agent-1' }, 'e1', 'escrows');
      await refused('POST', create.path, create.options, 403, 'FORBIDDEN');
      const release = command(agent1, { type: 'ReleaseEscrow' }, 'e1', 'escrows');
      await refused('POST', release.path, release.options, 403, 'FORBIDDEN');
    });

    it("an agent reads neither read models, nor the event log, nor another's treasury", async () => {
      await refused('GET', '/v1/read-models', { key: agent1 }, 403, 'FORBIDDEN');
      await refused('GET', '/v1/read-models/treasury-overview', { key: agent1 }, 403, 'FORBIDDEN');
      await refused('GET', '/v1/events', { key: agent1 }, 403, 'FORBIDDEN');
      await refused('GET', '/v1/treasuries/agent-2', { key: agent1 }, 403, 'FORBIDDEN');
      await refused('GET', '/v1/treasuries/agent-2?at=2030-01-01T00:00:00Z', { key: agent1 }, 403, 'FORBIDDEN');
      // Not even whether another's pool or escrow exists: 403 for a missing one too, never 404.
      await refused('GET', '/v1/escrows/nobody-knows', { key: agent1 }, 403, 'FORBIDDEN');
      await refused('GET', '/v1/pools/nobody-knows', { key: agent1 }, 403, 'FORBIDDEN');
      // What it may read.
      expect((await s.call('GET', '/v1/treasuries/agent-1', { key: agent1 })).status).toBe(200);
      expect((await s.call('GET', '/v1/events', { key: service })).status).toBe(200);
    });

    it('only an operator manages keys', async () => {
      for (const key of [agent1, service]) {
        await refused('POST', '/v1/keys', { key, body: { principal: 'x', role: 'operator' } }, 403, 'FORBIDDEN');
        await refused('GET', '/v1/keys', { key }, 403, 'FORBIDDEN');
        await refused('POST', `/v1/keys/${agent1Id}/revoke`, { key, body: {} }, 403, 'FORBIDDEN');
      }
      await refused('POST', '/v1/keys', { key: ops, body: { principal: 'x', role: 'root' } }, 400, 'INVALID_INPUT');
      await refused(
        'POST',
        '/v1/keys',
        { key: ops, body: { principal: 'x', role: 'agent', hash: 'h' } },
        400,
        'INVALID_INPUT',
      );
      const listed = await s.call('GET', '/v1/keys', { key: ops });
      expect(listed.status).toBe(200);
      expect(JSON.stringify(listed.body)).not.toMatch(/bk_|hash/);
    });
  });

  describe('malformed requests (400, 413, 415)', () => {
    const deposit = (body: unknown) => command(agent1, body);

    it('JSON that does not parse: INVALID_JSON', async () => {
      for (const raw of ['{"type": "Deposit", "amount": ', '{type: Deposit}', '']) {
        const { path } = deposit({});
        await refused('POST', path, { key: agent1, raw }, 400, 'INVALID_JSON');
      }
    });

    it('not one command object, wrong types, unknown fields: INVALID_INPUT naming the field', async () => {
      const cases: [unknown, string][] = [
        [[{ type: 'Deposit', amount: '1' }], ''],
        ['Deposit', ''],
        [{ amount: '1' }, 'type'],
        [{ type: 7, amount: '1' }, 'type'],
        [{ type: 'Deposit', amount: 100 }, 'amount'],
        [{ type: 'Deposit', amount: '1', bucket: 7 }, 'bucket'],
        [{ type: 'Deposit', amount: '1', actor: 'ops' }, 'actor'],
        [{ type: 'Deposit', amount: '1', memo: 'x' }, 'memo'],
      ];
      for (const [body, field] of cases) {
        const { path, options } = deposit(body);
        const answer = await refused('POST', path, options, 400, 'INVALID_INPUT');
        if (field !== '') expect(JSON.stringify(answer.body.issues)).toContain(field);
      }
    });

    it('amounts that are not plain decimals of at most six places, or not positive', async () => {
      for (const amount of ['NaN', 'Infinity', '-Infinity', '1e3', '0x10', ' 1', '1.0000001', '-5', '0', '', '1,5']) {
        const { path, options } = deposit({ type: 'Deposit', amount });
        const answer = await refused('POST', path, options, 400, 'INVALID_INPUT');
        expect(JSON.stringify(answer.body.issues)).toContain('amount');
      }
    });

    it('`at` in the body: the engine stamps it', async () => {
      const { path, options } = deposit({ type: 'Deposit', amount: '1', at: 0 });
      const answer = await refused('POST', path, options, 400, 'INVALID_INPUT');
      expect(answer.body.issues).toEqual([expect.objectContaining({ path: 'at' })]);
    });

    it('a __proto__ key in the JSON is refused, and pollutes nothing', async () => {
      const { path } = deposit({});
      for (const raw of [
        '{"type":"Deposit","amount":"1","__proto__":{"polluted":true}}',
        '{"type":"Deposit","amount":"1","constructor":{"prototype":{"polluted":true}}}',
      ]) {
        const answer = await s.call('POST', path, { key: agent1, raw });
        expect(answer.status).toBe(400);
        expect(['INVALID_JSON', 'INVALID_INPUT']).toContain(answer.body.code);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('an unknown command type: 400 naming the known types', async () => {
      const { path, options } = deposit({ type: 'MintMoney', amount: '1' });
      const answer = await refused('POST', path, options, 400, 'INVALID_INPUT');
      expect(JSON.stringify(answer.body)).toContain('Deposit');
      expect(JSON.stringify(answer.body)).toContain('OpenTreasury');
      // A kind the command route does not take.
      await refused(
        'POST',
        '/v1/keys-stream/keys/commands',
        { key: ops, body: { type: 'CreateKey' } },
        404,
        'NOT_FOUND',
      );
      await refused('POST', '/v1/access/keys/commands', { key: ops, body: { type: 'CreateKey' } }, 404, 'NOT_FOUND');
    });

    it('a bad Idempotency-Key header', async () => {
      for (const key of ['has space', 'x'.repeat(65), '-starts-with-dash', 'a/b', 'ключ']) {
        const { path, options } = deposit({ type: 'Deposit', amount: '1' });
        const headers = { 'idempotency-key': encodeURI(key) === key ? key : encodeURI(key) };
        await refused('POST', path, { ...options, headers }, 400, 'INVALID_INPUT');
      }
    });

    it('a body that is not JSON: 415', async () => {
      const { path } = deposit({});
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])
        await refused(
          'POST',
          path,
          { key: agent1, raw: 'type=Deposit&amount=1', headers: { 'content-type': type } },
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        );
    });

    it('bad query parameters on reads', async () => {
      await refused('GET', '/v1/events?from=-1', { key: ops }, 400, 'INVALID_INPUT');
      await refused('GET', '/v1/events?limit=1001', { key: ops }, 400, 'INVALID_INPUT');
      await refused('GET', '/v1/events?limit=abc', { key: ops }, 400, 'INVALID_INPUT');
      await refused('GET', '/v1/read-models/treasury-overview?waitFor=1e3', { key: ops }, 400, 'INVALID_INPUT');
      await refused('GET', '/v1/read-models/no-such-model', { key: ops }, 404, 'NOT_FOUND');
      await refused('GET', '/v1/treasuries/agent-1?at=NaN', { key: ops }, 400, 'INVALID_INPUT');
    });
  });

  describe('limits', () => {
    it('a body over the limit: 413 BODY_TOO_LARGE', async () => {
      const small = await startTestServer({ limits: { bodyLimit: 1024 } });
      try {
        const agent = (await small.keyFor('agent-1', 'agent')).key;
        const head = await small.head();
        const answer = await small.call('POST', '/v1/treasuries/agent-1/commands', {
          key: agent,
          body: { type: 'Deposit', amount: '1', bucket: 'x'.repeat(2000) },
        });
        expect(answer).toMatchObject({ status: 413, body: { code: 'BODY_TOO_LARGE', details: { limit: 1024 } } });
        expect(await small.head()).toBe(head);
        // Just under the limit is read (and refused by the codec, not by the size).
        const under = await small.call('POST', '/v1/treasuries/agent-1/commands', {
          key: agent,
          body: { type: 'Deposit', amount: '1', bucket: 'x'.repeat(900) },
        });
        expect(under.status).toBe(400);
      } finally {
        await small.close();
      }
    });

    it('more requests than the rate per key: 429 RATE_LIMITED; other keys and /health go on', async () => {
      const limited = await startTestServer({ limits: { ratePerMinute: 5 } });
      try {
        const a = await limited.keyFor('agent-1', 'agent');
        const b = await limited.keyFor('agent-2', 'agent');
        // Someone who knows a key id (ids are public: logs, events, listings) but not its secret.
        const forged = `bk_${a.keyId}_${'Z'.repeat(43)}`;
        const forgedCodes: number[] = [];
        for (let i = 0; i < 6; i++)
          forgedCodes.push((await limited.call('GET', '/v1/treasuries/agent-1', { key: forged })).status);
        // Counted per address, not against the key it names.
        expect(forgedCodes).toEqual([401, 401, 401, 401, 401, 429]);
        expect(await limited.call('GET', '/v1/events')).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED' } });
        for (let i = 0; i < 5; i++)
          expect((await limited.call('GET', '/v1/treasuries/agent-1', { key: a.key })).status).toBe(404);
        const head = await limited.head();
        const answer = await limited.call('POST', '/v1/treasuries/agent-1/commands', {
          key: a.key,
          body: { type: 'Deposit', amount: '1' },
        });
        expect(answer).toMatchObject({ status: 429, body: { code: 'RATE_LIMITED', details: { max: 5 } } });
        expect(await limited.head()).toBe(head);
        expect((await limited.call('GET', '/v1/treasuries/agent-2', { key: b.key })).status).toBe(404);
        expect((await limited.call('GET', '/health')).status).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });
});

describe('ballast serve: logs', () => {
  it('never carry a key or a secret', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const s = await startTestServer({ logger: { level: 'info', stream } });
    try {
      const ops = s.operatorKey;
      const { key: agent, keyId } = await s.keyFor('agent-1', 'agent');
      await s.call('POST', '/v1/treasuries/agent-1/commands', { key: ops, body: { type: 'OpenTreasury', config } });
      await s.call('POST', '/v1/treasuries/agent-1/commands', {
        key: agent,
        body: { type: 'Deposit', amount: '10' },
        headers: { 'idempotency-key': 'd1' },
      });
      await s.call('GET', '/v1/treasuries/agent-1', { key: agent });
      await s.call('GET', '/v1/events', { key: `bk_${keyId}_${'Q'.repeat(43)}` });
      await s.call('GET', '/v1/events', { key: 'bk_broken' });
      await s.call('POST', '/v1/treasuries/agent-1/commands', { key: agent, raw: '{"type": ' });
      await s.call('POST', `/v1/keys/${keyId}/revoke`, { key: ops, body: {} });
      await s.call('GET', '/v1/treasuries/agent-1', { key: agent });
    } finally {
      await s.close();
    }
    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).not.toContain('bk_');
    expect(log.toLowerCase()).not.toContain('authorization');
  });
});
