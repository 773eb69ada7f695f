import { AGGREGATE_KINDS, type AnyKind } from '@ballast/engine';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import {
  AWKWARD_STRINGS,
  garbageJsonText,
  nearValid,
  PROTOTYPE_KEYS,
  toJsonText,
  trickyString,
} from '../../../tests/fuzz/arbitraries';
import { fuzzParams, fuzzTimeoutMs } from '../../../tests/fuzz/fuzz-settings';
import { validExamples } from '../../../tests/fuzz/valid-examples';
import { startTestServer, type TestServer } from './server-fixture';

// Fewer cases than the pure decoders: each is a request over loopback. BALLAST_FUZZ_RUNS sets the long mode.
const CI_RUNS = 200;
const BODY_LIMIT = 64 * 1024;

/** Bytes as %XX: any string (a lone surrogate included) as a path segment that reaches the router. */
const segment = (s: string): string =>
  [...Buffer.from(s.slice(0, 200), 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const commandExamples = (kind: AnyKind): unknown[] =>
  validExamples(kind.commandCodec).valid.map((command) => {
    const { at: _stamped, ...rest } = command as { at?: number };
    return rest;
  });

const ROUTES = [
  { path: '/v1/treasuries/alpha/commands', kind: AGGREGATE_KINDS.treasury },
  { path: '/v1/pools/alpha/commands', kind: AGGREGATE_KINDS.pool },
  { path: '/v1/escrows/e1/commands', kind: AGGREGATE_KINDS.escrow },
  { path: '/v1/keys', kind: undefined },
  { path: '/v1/keys/abcdefgh12/revoke', kind: undefined },
] as const;

const KEY_BODIES = [{ principal: 'agent-7', role: 'agent' }, { reason: 'rotated' }];

const path = fc.oneof(
  { arbitrary: fc.constantFrom(...ROUTES), weight: 8 },
  {
    arbitrary: fc
      .tuple(fc.oneof(fc.constantFrom('treasuries', 'pools', 'escrows', ...PROTOTYPE_KEYS), trickyString), trickyString)
      .map(([facade, id]) => ({ path: `/v1/${segment(facade)}/${segment(id)}/commands`, kind: undefined })),
    weight: 2,
  },
  {
    arbitrary: trickyString.map((id) => ({ path: `/v1/keys/${segment(id)}/revoke`, kind: undefined })),
    weight: 1,
  },
  // A real collection, a near-valid command of its kind, an id no stream can have.
  {
    arbitrary: fc
      .tuple(fc.constantFrom(...ROUTES.filter((r) => r.kind !== undefined)), trickyString)
      .map(([r, id]) => ({
        path: r.path.replace(/\/(alpha|e1)\/commands$/, `/${segment(id)}/commands`),
        kind: r.kind,
      })),
    weight: 2,
  },
);

const bodyFor = (kind: AnyKind | undefined): fc.Arbitrary<string> =>
  fc.oneof(
    { arbitrary: nearValid(kind === undefined ? KEY_BODIES : commandExamples(kind)).map(toJsonText), weight: 5 },
    { arbitrary: garbageJsonText.map((text) => text.slice(0, 4 * BODY_LIMIT)), weight: 4 },
    // Past the body limit, a little or a lot.
    {
      arbitrary: fc
        .integer({ min: BODY_LIMIT + 1, max: 3 * BODY_LIMIT })
        .map((n) => `{"type":"Deposit","amount":"${'9'.repeat(n)}"}`),
      weight: 1,
    },
  );

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 8 },
  {
    arbitrary: fc.constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'APPLICATION/JSON',
      'application/jsonx',
      'application/json, text/plain',
      'application/octet-stream',
      '*/*',
      '',
    ),
    weight: 2,
  },
);

// Header values must be visible ASCII for fetch to send them at all.
const idempotencyKey = fc.option(
  fc.oneof(
    fc.constantFrom('k-1', 'k-2', '__proto__', '', ' ', 'a'.repeat(65), '$all', '../x'),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 70 }),
  ),
);

describe('fuzzed HTTP bodies: garbage gets a 4xx JSON answer with a code, never a 500, and appends nothing', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    for (const [path, body] of [
      [
        '/v1/treasuries/alpha/commands',
        { type: 'OpenTreasury', config: (commandExamples(AGGREGATE_KINDS.treasury)[0] as { config: unknown }).config },
      ],
      ['/v1/treasuries/alpha/commands', { type: 'Deposit', amount: '1000' }],
    ] as const) {
      const answer = await s.call('POST', path, { key: s.operatorKey, body });
      if (answer.status >= 300) throw new Error(`setup ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
  });
  afterAll(() => s.close());

  it(
    'POST routes: any body, content type and Idempotency-Key get a status below 500; a refusal is JSON with a code',
    async () => {
      const request = path.chain((route) =>
        fc.record({ route: fc.constant(route), body: bodyFor(route.kind), type: contentType, key: idempotencyKey }),
      );
      await fc.assert(
        fc.asyncProperty(request, async ({ route, body, type, key }) => {
          const before = await s.head();
          const headers: Record<string, string> = { 'content-type': type };
          if (key !== null) headers['idempotency-key'] = key;
          const answer = await s.call('POST', route.path, { key: s.operatorKey, raw: body, headers });
          const after = await s.head();
          const shown = `${answer.status} for ${route.path} ${type} ${body.slice(0, 200)}`;
          expect({ shown, below500: answer.status < 500 }).toEqual({ shown, below500: true });
          if (answer.status < 400) return;
          expect(typeof answer.body).toBe('object');
          expect(typeof answer.body.code).toBe('string');
          expect(typeof answer.body.message).toBe('string');
          // A rule's refusal (422) may be recorded on purpose (a breaker trip, CommandRejected): other refusals never are.
          if (answer.status !== 422) expect({ shown, appended: after - before }).toEqual({ shown, appended: 0 });
          // What the kind's codec refuses is 400 (or refused before it: 403, 404, 409, 413, 415), never 422 or 2xx.
          if (route.kind !== undefined && answer.status === 400) expect(answer.body.code).toMatch(/^INVALID_/);
        }),
        fuzzParams(CI_RUNS),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 60),
  );

  it(
    'a body the codec refuses is a 400 naming the field, whatever else it carries, and appends nothing',
    async () => {
      const refused = fc
        .constantFrom('treasury', 'pool', 'escrow' as const)
        .chain((name) => nearValid(commandExamples(AGGREGATE_KINDS[name])).map((command) => ({ name, command })))
        .filter(({ name, command }) => {
          if (typeof command !== 'object' || command === null || Array.isArray(command)) return false;
          if (typeof (command as { type?: unknown }).type !== 'string' || 'at' in command) return false;
          return E.isLeft(AGGREGATE_KINDS[name].commandCodec.decode({ ...command, at: 0 }));
        });
      await fc.assert(
        fc.asyncProperty(refused, async ({ name, command }) => {
          const before = await s.head();
          const route = ROUTES.find((r) => r.kind === AGGREGATE_KINDS[name])!.path;
          const answer = await s.call('POST', route, { key: s.operatorKey, raw: toJsonText(command) });
          expect(await s.head()).toBe(before);
          // 403 and 404 come first for some commands (an agent's own fields, an escrow with no parties yet), 413 for a body
          // past the limit.
          const refusedAs = [400, 403, 404, 413].includes(answer.status) ? 'a refusal' : `${answer.status}`;
          expect(`${refusedAs} for ${toJsonText(command).slice(0, 200)}`).toMatch(/^a refusal for/);
          if (answer.status === 400) {
            expect(answer.body.code).toMatch(/^INVALID_/);
            expect(Array.isArray(answer.body.issues) || answer.body.code === 'INVALID_JSON').toBe(true);
          }
        }),
        fuzzParams(Math.ceil(CI_RUNS / 2)),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 60),
  );

  it(
    'GET routes with garbage ids and queries answer below 500 with a JSON code',
    async () => {
      const get = fc
        .tuple(
          fc.constantFrom('/v1/treasuries/', '/v1/pools/', '/v1/escrows/', '/v1/read-models/', '/v1/keys/'),
          fc.oneof(trickyString, fc.constantFrom(...AWKWARD_STRINGS)),
          fc.constantFrom('at', 'from', 'limit', 'type', 'stream'),
          trickyString,
        )
        .map(([prefix, id, name, value]) => `${prefix}${segment(id)}?${name}=${segment(value)}`);
      const events = fc
        .tuple(fc.constantFrom('from', 'limit', 'type', 'stream', '__proto__'), trickyString)
        .map(([name, value]) => `/v1/events?${name}=${segment(value)}`);
      await fc.assert(
        fc.asyncProperty(fc.oneof(get, events), async (url) => {
          const answer = await s.call('GET', url, { key: s.operatorKey });
          expect({ url, below500: answer.status < 500 }).toEqual({ url, below500: true });
          if (answer.status >= 400) expect(typeof answer.body.code).toBe('string');
        }),
        fuzzParams(Math.ceil(CI_RUNS / 2)),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 60),
  );

  // Found by the GET property: a URL id no stream can have reached the store, which throws on such a name: a 500 (an
  // event stream opened, then failed).
  it.each([
    ['GET', '/v1/treasuries/%EF%BF%BD', undefined],
    ['GET', '/v1/pools/a%20b?at=2026-01-01T00:00:00Z', undefined],
    ['GET', '/v1/escrows/%24all/events/stream', undefined],
    ['POST', '/v1/treasuries/%EF%BF%BD/commands', { type: 'ApproveRequest', requestId: 'req-1', approver: 'ops' }],
    ['POST', '/v1/escrows/%EF%BF%BD/commands', { type: 'ReleaseEscrow', proof: 'delivered' }],
  ])('%s %s: an id no stream can have is a 400 naming the id, before the store is read', async (method, url, body) => {
    const before = await s.head();
    const answer = await s.call(method, url, { key: s.operatorKey, ...(body === undefined ? {} : { body }) });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'id' }] });
    expect(await s.head()).toBe(before);
  });
});
