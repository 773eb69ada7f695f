import type { RecordedEvent } from '@ballast/domain';
import { AGGREGATE_KINDS, streamIdOf } from '@ballast/engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { auditTime } from 'rxjs';
import { invalidAggregateId } from '../aggregate-id';
import { badRequest, forbiddenTo, notFound } from '../http-failures';
import { canReadAll, mayRead } from '../read-access';
import { READ_MODELS, readModelBody } from '../read-models';
import type { ServerContext } from '../server-context';
import { send } from './command-routes';
import { own } from '../own';
import { URL_KINDS } from '../url-kinds';

const PAGE = 100;
/** Events go out as the JSON LiveStreams made once for all streams; anything else is serialized here. */
const SSE_ROUTE = {
  sse: { kind: 'only', serializer: (data: unknown) => (typeof data === 'string' ? data : JSON.stringify(data)) },
} as const;
/** A live stream re-reads at least this often even without a wake-up (a missed one costs a second, not a gap). */
const POLL_MS = 1000;

/** The cursor to resume from: `Last-Event-ID` (what EventSource sends on reconnect) wins over `?from`. */
const resumeAfter = (request: FastifyRequest): number | string => {
  const header = request.headers['last-event-id'];
  const query = (request.query as Record<string, unknown>).after;
  const raw = typeof header === 'string' ? header : query;
  if (raw === undefined) return -1;
  return typeof raw === 'string' && /^[0-9]{1,15}$/.test(raw)
    ? Number(raw)
    : `Last-Event-ID (or ?after) must be an event id this stream sent (a non-negative integer), got ${JSON.stringify(raw)}`;
};

const forbidden = (reply: FastifyReply, what: string, request: FastifyRequest) =>
  send(reply, forbiddenTo(request.principal!, `follow ${what}`));

/** A stream's last word before it ends, if the client is still there to hear it. */
const sayClosing = (reply: FastifyReply, data: Record<string, string>): void => {
  if (reply.sse.isConnected) void reply.sse.send({ event: 'closing', data });
};

/** At shutdown every stream, the read models' too, says so before it ends: the client reconnects later and resumes. */
const STOPPING = { reason: 'the server is stopping; resume with Last-Event-ID' };

/** Ends a stream whose key was revoked after it connected: every read, live ones too, needs a key in force. */
const revoked = (ctx: ServerContext, request: FastifyRequest, reply: FastifyReply): boolean => {
  if (ctx.keys.isActive(request.principal!.keyId)) return false;
  sayClosing(reply, { reason: 'the key of this stream was revoked', code: 'KEY_REVOKED' });
  reply.sse.close();
  return true;
};

/**
 * Sends pages until the client goes or the server closes. Each write waits for the socket to
 * drain, so a slow client holds one page and a socket buffer, never the log; a client that takes
 * longer than `stallMs` for one write is told to resume (an `resume` event with its cursor) and let go.
 */

const pump = async (
  ctx: ServerContext,
  request: FastifyRequest,
  reply: FastifyReply,
  readPage: () => Promise<readonly RecordedEvent[]>,
  idOf: (e: RecordedEvent) => number,
  stallMs: number,
): Promise<void> => {
  const gone = new AbortController();
  reply.sse.onClose(() => gone.abort());
  // At once, not with the first event: a client at the head learns it is connected now, not at the next append.
  reply.sse.sendHeaders();
  reply.raw.flushHeaders();
  const untrack = ctx.live.track(() => {
    sayClosing(reply, STOPPING);
    gone.abort();
    reply.sse.close();
  });
  let last: number | undefined;
  try {
    while (!gone.signal.aborted) {
      if (revoked(ctx, request, reply)) return;
      const seen = ctx.live.head();
      const page = await readPage();
      for (const event of page) {
        if (gone.signal.aborted) return;
        let timer: NodeJS.Timeout | undefined;
        const written = reply.sse
          .send({ id: String(idOf(event)), event: 'event', data: ctx.live.json(event) })
          .then(() => true);
        // The write is queued on the socket now, even when it waits for a drain: the client has this event once it
        // reads what is buffered, so `resume` must name it (naming the one before made a client resuming from
        // `after` receive it twice).
        last = idOf(event);
        // The stall wait ends with the stream too, so a closed stream leaves no timer behind.
        let stopWaiting = (): void => undefined;
        const drained = await Promise.race([
          written,
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), stallMs);
            stopWaiting = () => resolve(false);
            gone.signal.addEventListener('abort', stopWaiting, { once: true });
          }),
        ]);
        gone.signal.removeEventListener('abort', stopWaiting);
        clearTimeout(timer);
        // Closed meanwhile (the client went, or the server stopped and already said `closing`): nothing more to write.
        if (gone.signal.aborted) return;
        if (!drained) {
          reply.raw.write(
            `event: resume\ndata: ${JSON.stringify({ after: last ?? null, reason: 'too far behind' })}\n\n`,
          );
          reply.sse.close();
          return;
        }
      }
      if (page.length < PAGE) await ctx.live.appendedFrom(seen + 1, POLL_MS);
    }
  } finally {
    untrack();
  }
};

export const streamRoutes = (app: FastifyInstance, ctx: ServerContext): void => {
  // The whole log, for services and operators: event ids are global positions.
  app.get('/v1/events/stream', SSE_ROUTE, async (request, reply) => {
    if (!canReadAll(request.principal!)) return forbidden(reply, 'the event log', request);
    const after = resumeAfter(request);
    if (typeof after === 'string') return send(reply, badRequest(after));
    let next = after + 1;
    await pump(
      ctx,
      request,
      reply,
      async () => {
        // At the live edge every stream reads the same few events: from memory, not a query each.
        const recent = ctx.live.recent(next, PAGE);
        const page: RecordedEvent[] = recent === undefined ? [] : [...recent];
        if (recent === undefined)
          for await (const e of ctx.ballast.store.readAll({ fromPosition: next, maxCount: PAGE })) page.push(e);
        if (page.length > 0) next = page.at(-1)!.position + 1;
        return page;
      },
      (e) => e.position,
      ctx.limits.sseStallMs,
    );
    return reply;
  });

  // One aggregate's events, for whoever may read it: event ids are the stream's revisions.
  app.get<{ Params: { facade: string; id: string } }>(
    '/v1/:facade/:id/events/stream',
    SSE_ROUTE,
    async (request, reply) => {
      const kindName = own(URL_KINDS, request.params.facade);
      if (kindName === undefined) return send(reply, notFound(`no such collection ${request.params.facade}`));
      const { id } = request.params;
      const badId = invalidAggregateId(kindName, id);
      if (badId !== undefined) return send(reply, badId);
      if (!(await mayRead(ctx, request.principal!, kindName, id)))
        return forbidden(reply, `${kindName} ${id}`, request);
      const after = resumeAfter(request);
      if (typeof after === 'string') return send(reply, badRequest(after));
      const streamId = streamIdOf(AGGREGATE_KINDS[kindName], id);
      let next = after + 1;
      await pump(
        ctx,
        request,
        reply,
        async () => {
          const page: RecordedEvent[] = [];
          for await (const e of ctx.ballast.store.readStream(streamId, { from: next, maxCount: PAGE })) page.push(e);
          if (page.length > 0) next = page.at(-1)!.revision + 1;
          return page;
        },
        (e) => e.revision,
        ctx.limits.sseStallMs,
      );
      return reply;
    },
  );

  // A read model's view, whenever it changes: the latest state wins (at most one send in flight,
  // changes meanwhile coalesce), so a slow client gets fewer updates, never a growing queue.
  app.get<{ Params: { name: string } }>('/v1/read-models/:name/stream', SSE_ROUTE, async (request, reply) => {
    if (!canReadAll(request.principal!)) return forbidden(reply, 'read models', request);
    const model = own(READ_MODELS, request.params.name);
    if (model === undefined) return send(reply, notFound(`no read model ${request.params.name}`));
    const running = ctx.projections.get(model.projection)!;
    const after = resumeAfter(request);
    if (typeof after === 'string') return send(reply, badRequest(after));
    await new Promise<void>((resolve) => {
      let sending = false;
      let dirty = false;
      // A reconnecting client has the view at Last-Event-ID: it is not sent again, nor an older one (a read model
      // restarted from its checkpoint after a crash is behind what its clients saw until it catches up). An id
      // beyond the head is from another history (a store made afresh): the view now is sent.
      let sent = after > ctx.live.head() ? -1 : after;
      // At once, not with the first view: a client that has the view now may wait long for the next one.
      reply.sse.sendHeaders();
      reply.raw.flushHeaders();
      const flush = async (): Promise<void> => {
        if (sending || !reply.sse.isConnected || revoked(ctx, request, reply)) return;
        const position = running.position();
        if (position <= sent) return;
        sending = true;
        dirty = false;
        await reply.sse.send({
          id: String(position),
          event: 'state',
          data: readModelBody(request.params.name, model, running),
        });
        sent = position;
        sending = false;
        if (dirty) void flush();
      };
      const changes = running.state$.pipe(auditTime(50)).subscribe(() => {
        dirty = true;
        void flush();
      });
      const finish = () => {
        changes.unsubscribe();
        untrack();
        resolve();
      };
      const untrack = ctx.live.track(() => {
        sayClosing(reply, STOPPING);
        reply.sse.close();
        finish();
      });
      reply.sse.onClose(finish);
      void flush();
    });
    return reply;
  });
};
