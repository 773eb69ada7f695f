import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import type { FastifyInstance } from 'fastify';
import { openApiDocument, type OpenApiDocument } from '../src/openapi/openapi-document';
import { registeredRoutes, type RegisteredRoute } from '../src/openapi/openapi-route';
import { URL_KINDS } from '../src/url-kinds';
import { documentAjv } from './openapi-ajv';
import { startTestServer, type Answer, type TestServer } from './server-fixture';

type Json = Record<string, unknown>;
interface Documented {
  readonly path: string;
  readonly method: string;
  readonly op: Json & { responses: Json; parameters?: { name: string; in: string; schema: Json }[] };
}

const operationsOf = (doc: OpenApiDocument): Documented[] =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Documented['op'] })),
  );

/** A documented path with a sample value for each parameter (an enum's first value). */
const sampleUrl = ({ path, op }: Documented): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const schema = op.parameters?.find((p) => p.in === 'path' && p.name === name)?.schema;
    return Array.isArray(schema?.enum) ? String(schema.enum[0]) : `sample-${name}`;
  });

/** The registered route that Fastify's router picks for a documented operation, and the params it binds. */
const routeOf = (app: FastifyInstance, routes: readonly RegisteredRoute[], d: Documented) => {
  const url = sampleUrl(d);
  const found = app.findRoute({ method: d.method as 'GET', url });
  if (found === null) return undefined;
  const params = found.params as Record<string, string>;
  const route = routes.find(
    (r) => r.method === d.method && r.url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? '?') === url,
  );
  return route === undefined ? undefined : { route, params };
};

/** What is wrong between the document and the routes the server registered: both ways. */
const mismatches = (doc: OpenApiDocument, app: FastifyInstance): string[] => {
  const routes = registeredRoutes(app);
  const documented = operationsOf(doc);
  const problems: string[] = [];
  const covered = new Set<RegisteredRoute>();
  for (const d of documented) {
    const found = routeOf(app, routes, d);
    if (found === undefined) problems.push(`documented ${d.method} ${d.path} has no route on the server`);
    else {
      covered.add(found.route);
      // A facade in a documented path must be one the server takes (it answers 404 to any other).
      if (found.params.facade !== undefined && !(found.params.facade in URL_KINDS))
        problems.push(`documented ${d.method} ${d.path}: no collection ${found.params.facade} on the server`);
    }
  }
  // Fastify adds a HEAD route for each GET on its own.
  // The dashboard's files (a web page for people, not the API: dashboard-routes.ts) are left out of the document.
  const own = routes.filter(
    (r) =>
      !(r.method === 'HEAD' && routes.some((g) => g.method === 'GET' && g.url === r.url)) &&
      !r.url.startsWith('/dashboard'),
  );
  for (const r of own) if (!covered.has(r)) problems.push(`route ${r.method} ${r.url} is not in the document`);
  // Each collection the server takes has every operation the others have.
  for (const facade of Object.keys(URL_KINDS))
    for (const d of documented.filter((x) => x.path.startsWith('/v1/treasuries/')))
      if (!documented.some((x) => x.method === d.method && x.path === d.path.replace('treasuries', facade)))
        problems.push(`no ${d.method} ${d.path.replace('treasuries', facade)} in the document`);
  return problems;
};

describe('the OpenAPI document against a running server', () => {
  const doc = openApiDocument();
  const { responseErrors, requestErrors, operation, compile } = documentAjv(doc);
  let s: TestServer;
  let ops: string;
  let agent1: string;
  let agent2: string;

  beforeAll(async () => {
    // A short stall limit: a stream's write still waiting when the server closes holds the process that long.
    s = await startTestServer({ limits: { sseStallMs: 300 } });
    ops = s.operatorKey;
    agent1 = (await s.keyFor('agent-1', 'agent')).key;
    agent2 = (await s.keyFor('agent-2', 'agent')).key;
  });
  afterAll(() => s.close());

  /** The answer conforms to what the document says of its status for this operation. */
  const conforms = (path: string, method: string, answer: Answer) =>
    expect({ status: answer.status, errors: responseErrors(path, method, answer.status, answer.body) }).toEqual({
      status: answer.status,
      errors: null,
    });

  it('serves the document at GET /openapi.json without a key', async () => {
    const answer = await s.call('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body).toEqual(JSON.parse(JSON.stringify(doc)));
    conforms('/openapi.json', 'GET', answer);
  });

  it('documents every route the server registers, and every documented path is a route', () => {
    const routes = registeredRoutes(s.server.app);
    expect(routes.length).toBeGreaterThan(10);
    expect(mismatches(doc, s.server.app)).toEqual([]);
    // The check sees a path missing from the document, a collection the server lacks, a route the document lacks.
    const { '/v1/events': _events, ...fewer } = doc.paths;
    expect(mismatches({ ...doc, paths: fewer } as OpenApiDocument, s.server.app)).toEqual([
      'route GET /v1/events is not in the document',
    ]);
    const extra = { ...doc.paths, '/v1/widgets/{id}': doc.paths['/v1/pools/{id}'] };
    expect(mismatches({ ...doc, paths: extra } as OpenApiDocument, s.server.app)).toEqual([
      'documented GET /v1/widgets/{id}: no collection widgets on the server',
    ]);
    const unrouted = { ...doc.paths, '/v1/keys/{keyId}': doc.paths['/v1/keys'] };
    expect(mismatches({ ...doc, paths: unrouted } as OpenApiDocument, s.server.app)).toEqual([
      'documented POST /v1/keys/{keyId} has no route on the server',
      // GET /v1/keys/x is routed to /v1/:facade/:id, which has no collection `keys`.
      'documented GET /v1/keys/{keyId}: no collection keys on the server',
    ]);
  });

  it('every operation but the public ones answers 401 without a key, as documented', async () => {
    for (const d of operationsOf(doc)) {
      const answer = await s.call(d.method, sampleUrl(d), d.method === 'POST' ? { body: {} } : {});
      if (Array.isArray(d.op.security)) expect([d.path, answer.status]).not.toEqual([d.path, 401]);
      else {
        expect([d.path, answer.status]).toEqual([d.path, 401]);
        expect(answer.headers.get('www-authenticate')).toBe('Bearer');
        conforms(d.path, d.method, answer);
      }
    }
  });

  it('every JSON operation, called by an operator with sample values, answers a documented status and body', async () => {
    for (const d of operationsOf(doc).filter((x) => !x.path.endsWith('/stream'))) {
      const answer = await s.call(d.method, sampleUrl(d), { key: ops, ...(d.method === 'POST' ? { body: {} } : {}) });
      conforms(d.path, d.method, answer);
    }
  });

  it('the live streams answer text/event-stream as documented', async () => {
    const stream = operation('/v1/events/stream', 'GET');
    expect(Object.keys(stream.responses[200].content)).toEqual(['text/event-stream']);
    const abort = new AbortController();
    // After the one before last: one event to send, so the server holds no write in flight when the client goes.
    const head = await s.head();
    const response = await fetch(`${s.url}/v1/events/stream?after=${head - 1}`, {
      headers: { authorization: `Bearer ${ops}`, accept: 'text/event-stream' },
      signal: abort.signal,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    // The message's data is a RecordedEvent, as the document says.
    const data = /^data: ?(.*)$/m.exec(text)![1]!;
    expect(text).toMatch(new RegExp(`^id: ?${head}$`, 'm'));
    expect(compile(stream.responses[200].content['text/event-stream']['x-message-data'])(JSON.parse(data))).toBe(true);
    abort.abort();
  });

  describe('commands: what the server accepts is what the document says, and so are its answers', () => {
    const treasury = '/v1/treasuries/{id}/commands';
    const send = (key: string, body: unknown, idempotencyKey?: string, id = 'agent-1') =>
      s.call('POST', `/v1/treasuries/${id}/commands`, {
        key,
        body,
        ...(idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': idempotencyKey } }),
      });

    it('accepted commands conform to the request schema; 201 and a replayed 200 to the response schema', async () => {
      const open = { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) };
      const deposit = { type: 'Deposit', amount: '1000' };
      for (const body of [open, deposit]) expect(requestErrors(treasury, 'POST', body)).toBeNull();
      const opened = await send(ops, open, 'open-1');
      expect(opened.status).toBe(201);
      conforms(treasury, 'POST', opened);
      const deposited = await send(agent1, deposit, 'dep-1');
      expect(deposited.status).toBe(201);
      conforms(treasury, 'POST', deposited);
      const replayed = await send(agent1, deposit, 'dep-1');
      expect(replayed).toMatchObject({ status: 200, body: { replayed: true } });
      conforms(treasury, 'POST', replayed);
    }, 30_000);

    it('refusals (403, 409, 422) and bad input (400, 413, 415) conform to the Failure schema', async () => {
      const answers = [
        await send(agent2, { type: 'Deposit', amount: '5' }), // 403: not its treasury
        await send(agent1, { type: 'Deposit', amount: '6' }, 'dep-1'), // 409: the key with another body
        await send(agent1, { type: 'PlaceBet', betId: 'b1', game: 'dice_over50', stake: '1' }), // 422
        await send(agent1, { type: 'Deposit', amount: '1e3' }), // 400
        await send(agent1, { type: 'Deposit', amount: '5' }, 'not a key'), // 400: the header
        await s.call('POST', '/v1/treasuries/agent-1/commands', { key: agent1, raw: 'x'.repeat(70_000) }), // 413
        await s.call('POST', '/v1/treasuries/agent-1/commands', {
          key: agent1,
          raw: 'Deposit',
          headers: { 'content-type': 'text/plain' },
        }), // 415
      ];
      expect(answers.map((a) => a.status)).toEqual([403, 409, 422, 400, 400, 413, 415]);
      for (const answer of answers) conforms(treasury, 'POST', answer);
      expect(answers[2]!.body.position).toEqual(expect.any(Number));
      expect(answers[3]!.body.issues).toEqual([expect.objectContaining({ path: expect.stringContaining('amount') })]);
    });

    it('the request schema and the server agree on bad bodies and on the Idempotency-Key pattern', async () => {
      for (const body of [
        { type: 'Deposit', amount: '1e3' },
        { type: 'Deposit', amount: '-5' },
        { type: 'Deposit' },
        { type: 'Deposit', amount: '5', extra: 1 },
        { type: 'Deposit', amount: '5', at: 1 },
        { type: 'NoSuchCommand' },
      ]) {
        expect(requestErrors(treasury, 'POST', body)).not.toBeNull();
        expect([body, (await send(agent1, body)).status]).toEqual([body, 400]);
      }
      const header = operation(treasury, 'POST').parameters.find((p: Json) => p.name === 'Idempotency-Key');
      const pattern = new RegExp(header.schema.pattern as string);
      for (const key of ['a', 'A-b_c.d:e', 'x'.repeat(64), 'x'.repeat(65), '-a', '.a', 'a b', 'a/b']) {
        const answer = await send(agent1, { type: 'Deposit', amount: '1' }, key);
        expect([key, answer.status === 400]).toEqual([key, !pattern.test(key)]);
      }
    });
  });

  it('reads, the event log and keys answer as documented', async () => {
    const checks: [string, string, string, Parameters<TestServer['call']>[2]][] = [
      ['/v1/treasuries/{id}', 'GET', '/v1/treasuries/agent-1', { key: agent1 }],
      ['/v1/treasuries/{id}', 'GET', `/v1/treasuries/agent-1?at=${new Date().toISOString()}`, { key: agent1 }],
      ['/v1/treasuries/{id}', 'GET', '/v1/treasuries/agent-1?at=yesterday', { key: agent1 }],
      ['/v1/treasuries/{id}', 'GET', '/v1/treasuries/agent-1', { key: agent2 }],
      ['/v1/read-models/{name}', 'GET', '/v1/read-models/treasury-overview?waitFor=1', { key: ops }],
      ['/v1/read-models', 'GET', '/v1/read-models', { key: agent1 }],
      ['/v1/events', 'GET', '/v1/events?from=0&limit=1000', { key: ops }],
      ['/v1/events', 'GET', '/v1/events?limit=0', { key: ops }],
      ['/v1/keys', 'GET', '/v1/keys', { key: ops }],
      ['/ready', 'GET', '/ready', {}],
      ['/health', 'GET', '/health', {}],
    ];
    const statuses = [];
    for (const [path, method, url, options] of checks) {
      const answer = await s.call(method, url, options);
      statuses.push(answer.status);
      conforms(path, method, answer);
      if (path === '/v1/events' && answer.status === 200) expect(answer.body.events.length).toBeGreaterThan(5);
    }
    expect(statuses).toEqual([200, 200, 400, 403, 200, 403, 200, 400, 200, expect.any(Number), 200]);

    const create = { principal: 'agent-3', role: 'agent' };
    expect(requestErrors('/v1/keys', 'POST', create)).toBeNull();
    const created = await s.call('POST', '/v1/keys', { key: ops, body: create });
    expect(created.status).toBe(201);
    conforms('/v1/keys', 'POST', created);
    const bad = { principal: 'agent-4', role: 'admin' };
    expect(requestErrors('/v1/keys', 'POST', bad)).not.toBeNull();
    const refused = await s.call('POST', '/v1/keys', { key: ops, body: bad });
    expect(refused.status).toBe(400);
    conforms('/v1/keys', 'POST', refused);
    const revoke = `/v1/keys/${created.body.keyId as string}/revoke`;
    expect(requestErrors('/v1/keys/{keyId}/revoke', 'POST', { reason: 'done' })).toBeNull();
    const revoked = await s.call('POST', revoke, { key: ops, body: { reason: 'done' } });
    expect(revoked.status).toBe(200);
    conforms('/v1/keys/{keyId}/revoke', 'POST', revoked);
    const again = await s.call('POST', revoke, { key: ops, body: { reason: 'done' } });
    expect(again.status).toBe(422);
    conforms('/v1/keys/{keyId}/revoke', 'POST', again);
  });
});
