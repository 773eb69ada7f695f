import rateLimit from '@fastify/rate-limit';
import sse from '@fastify/sse';
import { EngineError } from '@ballast/engine';
import { StoreError } from '@ballast/event-store';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import { openApiRoutes, recordRoutes } from './openapi/openapi-route';
import type { InFlight } from './in-flight';
import { type AuthFailure, isAuthFailure, type Principal } from './principals';
import { alertsRoutes } from './routes/alerts-routes';
import { commandRoutes } from './routes/command-routes';
import { keyRoutes } from './routes/key-routes';
import { readRoutes } from './routes/read-routes';
import { streamRoutes } from './routes/stream-routes';
import { whoamiRoute } from './routes/whoami-route';
import { DASHBOARD_ROUTES, dashboardRoutes } from './dashboard-routes';
import type { ServerContext } from './server-context';
import { storeUnavailable } from './http-failures';

/** Routes anyone may call without a key: liveness, readiness and the OpenAPI document carry no data. */
const PUBLIC = new Set<string>(['/health', '/ready', '/openapi.json', ...DASHBOARD_ROUTES]);

/**
 * The Fastify app over a running engine. Limits: body size (413), a rate per key (429), a
 * request timeout (503). No log line carries a key: Fastify's request log has no headers, and
 * error bodies never echo one.
 */
export const buildApp = async (
  ctx: ServerContext,
  options: { logger?: FastifyServerOptions['logger']; inFlight?: InFlight } = {},
): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: ctx.limits.bodyLimit,
    requestTimeout: ctx.limits.requestTimeoutMs,
    return503OnClosing: true,
  });
  app.decorateRequest('principal', null);
  // The rate limiter and the authentication hook both need the caller: the key is checked (a SHA-256
  // and a lookup) once per request, whichever of them asks first.
  const checked = new WeakMap<FastifyRequest, Principal | AuthFailure>();
  const authenticate = (request: FastifyRequest): Principal | AuthFailure => {
    let result = checked.get(request);
    if (result === undefined) {
      result = ctx.keys.authenticate(request.headers.authorization);
      checked.set(request, result);
    }
    return result;
  };
  options.inFlight?.register(app);
  recordRoutes(app);

  await app.register(rateLimit, {
    max: ctx.limits.ratePerMinute,
    timeWindow: 60_000,
    // Per key, once the key is proven (key ids are public: trusting a claimed one would let anyone who read an id in
    // a log spend that key's allowance); without a valid key, per address. Keyed by id, never by secret.
    keyGenerator: (request) => {
      const principal = authenticate(request);
      return isAuthFailure(principal) ? `ip:${request.ip}` : `key:${principal.keyId}`;
    },
    allowList: (request) => PUBLIC.has(request.routeOptions.url ?? ''),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `more than ${context.max} requests in ${context.after}; slow down`,
      details: { max: context.max, retryAfter: context.after },
    }),
  });
  await app.register(sse, { heartbeatInterval: 15_000 });

  // Only JSON bodies: Fastify's default text/plain parser would hand a route a string (400) where 415 is the answer.
  app.removeContentTypeParser('text/plain');

  // preParsing, not onRequest: @fastify/rate-limit counts in a route-level onRequest hook, which runs after every
  // app-level onRequest hook, so a 401 sent there was never counted (unauthenticated requests had no limit). Still
  // before the body is read.
  app.addHook('preParsing', async (request, reply, payload) => {
    if (PUBLIC.has(request.routeOptions.url ?? '')) return payload;
    const principal = authenticate(request);
    if (isAuthFailure(principal))
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ code: principal.code, message: principal.message });
    request.principal = principal;
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    // Fastify's own refusals of a request, with a stable code instead of its internal one.
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return reply.code(413).send({
        code: 'BODY_TOO_LARGE',
        message: `the body is larger than ${ctx.limits.bodyLimit} bytes`,
        details: { limit: ctx.limits.bodyLimit },
      });
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply
        .code(415)
        .send({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send JSON: Content-Type: application/json' });
    if (error.statusCode === 429) return reply.code(429).send(error);
    // Another process kept winning the race for the stream (a store shared over EventStoreDB): try again.
    if (error instanceof EngineError && error.code === 'CONFLICT_RETRIES_EXHAUSTED')
      return reply.code(409).send({ code: error.code, message: `${error.message}; send the request again` });
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
      return reply.code(error.statusCode).send({
        code: error.statusCode === 400 ? 'INVALID_JSON' : 'BAD_REQUEST',
        message: error.message,
      });
    const unavailable = error instanceof StoreError ? storeUnavailable(error) : undefined;
    request.log.error({ err: error }, unavailable === undefined ? 'request failed' : 'the store failed the request');
    if (unavailable !== undefined) return reply.code(unavailable.status).send(unavailable.body);
    return reply.code(500).send({ code: 'INTERNAL', message: 'the server failed on this request; it is logged' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'NOT_FOUND', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) =>
    ctx.ready()
      ? { status: 'ready', position: Math.min(...[...ctx.projections.values()].map((p) => p.position())) }
      : reply.code(503).send({ status: 'starting', code: 'NOT_READY', message: 'the read models are catching up' }),
  );
  openApiRoutes(app);
  dashboardRoutes(app);
  commandRoutes(app, ctx);
  readRoutes(app, ctx);
  keyRoutes(app, ctx);
  whoamiRoute(app);
  streamRoutes(app, ctx);
  alertsRoutes(app, ctx);
  return app;
};
