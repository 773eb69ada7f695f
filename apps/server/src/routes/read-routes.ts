import { InstantCodec } from '@ballast/domain';
import { AGGREGATE_KINDS, replayStream, stateToJson, streamIdOf } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalidAggregateId } from '../aggregate-id';
import { badRequest, forbiddenTo, notFound } from '../http-failures';
import type { Principal } from '../principals';
import { canReadAll, mayRead } from '../read-access';
import { READ_MODELS, readModelBody } from '../read-models';
import type { ServerContext } from '../server-context';
import { send } from './command-routes';
import { own } from '../own';
import { URL_KINDS } from '../url-kinds';

const MAX_PAGE = 1000;

const forbidden = (reply: FastifyReply, p: Principal, what: string) => send(reply, forbiddenTo(p, `read ${what}`));

const nonNegativeInt = (value: unknown, name: string, fallback: number): number | string => {
  if (value === undefined) return fallback;
  const n = Number(value);
  return typeof value === 'string' && /^[0-9]{1,15}$/.test(value) && Number.isSafeInteger(n)
    ? n
    : `${name} must be a non-negative integer, got ${JSON.stringify(value)}`;
};

/** Waits until every read model has processed `position` (read your own writes), or the timeout passes. */
const waitFor = async (ctx: ServerContext, request: FastifyRequest, reply: FastifyReply): Promise<boolean> => {
  const query = request.query as Record<string, unknown>;
  const position = nonNegativeInt(query.waitFor, 'waitFor', 0);
  const timeout = nonNegativeInt(query.timeoutMs, 'timeoutMs', 5000);
  if (typeof position === 'string' || typeof timeout === 'string') {
    send(reply, badRequest(typeof position === 'string' ? position : (timeout as string)));
    return false;
  }
  if (position === 0) return true;
  const wait = Math.min(timeout, ctx.limits.maxWaitMs);
  let timer: NodeJS.Timeout | undefined;
  const reached = await Promise.race([
    Promise.all([...ctx.projections.values()].map((p) => p.whenProcessed(position))).then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), wait))),
  ]);
  clearTimeout(timer);
  if (!reached) {
    const behind = Math.min(...[...ctx.projections.values()].map((p) => p.position()));
    send(reply, {
      status: 504,
      body: {
        code: 'NOT_CAUGHT_UP',
        message: `the read models reached position ${behind}, not ${position}, within ${wait} ms; ask again`,
        details: { waitFor: position, reached: behind, waitedMs: wait },
      },
    });
  }
  return reached;
};

export const readRoutes = (app: FastifyInstance, ctx: ServerContext): void => {
  app.get<{ Params: { facade: string; id: string }; Querystring: { at?: string } }>(
    '/v1/:facade/:id',
    async (request, reply) => {
      const kindName = own(URL_KINDS, request.params.facade);
      if (kindName === undefined) return send(reply, notFound(`no such collection ${request.params.facade}`));
      const kind = AGGREGATE_KINDS[kindName];
      const { id } = request.params;
      const badId = invalidAggregateId(kindName, id);
      if (badId !== undefined) return send(reply, badId);
      const principal = request.principal!;
      if (!(await mayRead(ctx, principal, kindName, id))) return forbidden(reply, principal, `${kindName} ${id}`);
      if (!(await waitFor(ctx, request, reply))) return reply;
      const streamId = streamIdOf(kind, id);
      const missing = () => send(reply, notFound(`no ${kindName} ${id}`));
      let state: unknown;
      let revision: number;
      if (request.query.at !== undefined) {
        const at = InstantCodec.decode(request.query.at);
        if (E.isLeft(at))
          return send(
            reply,
            badRequest(`at must be an ISO-8601 UTC time such as 2026-03-01T12:00:00Z, got ${request.query.at}`),
          );
        const replayed = await replayStream(ctx.ballast.store, kind, streamId, (e) => e.at <= at.right);
        if (E.isLeft(replayed)) throw new Error(replayed.left.message);
        if (replayed.right.firstAt === undefined) return missing();
        // Before its first event the aggregate did not exist yet: the same 404 as a read now of one that never did.
        if (replayed.right.revision < 0)
          return send(
            reply,
            notFound(
              `no ${kindName} ${id} at ${request.query.at}: its first event is at ${new Date(replayed.right.firstAt).toISOString()}`,
            ),
          );
        ({ state, revision } = replayed.right);
      } else {
        const loaded = await ctx.ballast[kind.facade].load(id);
        if (loaded.revision < 0) return missing();
        ({ state, revision } = loaded);
      }
      return {
        streamId,
        revision,
        ...(request.query.at === undefined ? {} : { at: request.query.at }),
        state: stateToJson(state),
      };
    },
  );

  app.get('/v1/read-models', async (request, reply) => {
    if (!canReadAll(request.principal!)) return forbidden(reply, request.principal!, 'read models');
    return { readModels: Object.keys(READ_MODELS) };
  });

  app.get<{ Params: { name: string } }>('/v1/read-models/:name', async (request, reply) => {
    const principal = request.principal!;
    if (!canReadAll(principal)) return forbidden(reply, principal, 'read models');
    const model = own(READ_MODELS, request.params.name);
    if (model === undefined)
      return send(reply, notFound(`no read model ${request.params.name} (${Object.keys(READ_MODELS).join(', ')})`));
    if (!(await waitFor(ctx, request, reply))) return reply;
    const running = ctx.projections.get(model.projection)!;
    return reply.type('application/json').send(readModelBody(request.params.name, model, running));
  });

  app.get('/v1/events', async (request, reply) => {
    const principal = request.principal!;
    if (!canReadAll(principal)) return forbidden(reply, principal, 'the event log');
    const query = request.query as Record<string, unknown>;
    const from = nonNegativeInt(query.from, 'from', 0);
    const limit = nonNegativeInt(query.limit, 'limit', 100);
    if (typeof from === 'string') return send(reply, badRequest(from));
    if (typeof limit === 'string' || limit < 1 || limit > MAX_PAGE)
      return send(reply, badRequest(`limit must be an integer from 1 to ${MAX_PAGE}`));
    const events = [];
    for await (const e of ctx.ballast.store.readAll({ fromPosition: from, maxCount: limit })) events.push(e);
    const last = events.at(-1);
    // `next` is the cursor for the following page: one past the last position returned.
    return { events, ...(last === undefined ? {} : { next: last.position + 1 }) };
  });
};
