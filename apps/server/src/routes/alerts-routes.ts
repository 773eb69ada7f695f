import type { DeadLetter } from '@ballast/engine';
import type { FastifyInstance } from 'fastify';
import { forbiddenTo } from '../http-failures';
import { canReadAll } from '../read-access';
import type { ServerContext } from '../server-context';
import { send } from './command-routes';

/** Parked events answered per projection: the last ones (a poison event type can park thousands). */
export const DEAD_LETTERS_SHOWN = 100;

/**
 * One projection's parked events: those its checkpoints hold and those it parked since its last
 * save (reported live, saved within a second), by position, without repeats.
 */
const parkedBy = async (ctx: ServerContext, name: string, live: readonly DeadLetter[]) => {
  const byPosition = new Map<number, DeadLetter>();
  for (const letter of [...(await ctx.parked.checkpoints.deadLetters(name)), ...live])
    byPosition.set(letter.position, letter);
  const all = [...byPosition.values()].sort((a, b) => a.position - b.position);
  return { name, total: all.length, deadLetters: all.slice(-DEAD_LETTERS_SHOWN) };
};

/**
 * What an operator must look at that no read model shows: events a read model or a process manager
 * parked after failing on them, and the last background audit of the store. Operators and services
 * read them (as the read models); only operators start an audit.
 */
export const alertsRoutes = (app: FastifyInstance, ctx: ServerContext): void => {
  app.get('/v1/dead-letters', async (request, reply) => {
    const principal = request.principal!;
    if (!canReadAll(principal)) return send(reply, forbiddenTo(principal, 'read parked events'));
    const projections = await Promise.all(
      ctx.parked.running.map((running) => {
        // deadLetters$ replays what it reported (its last 1,000) to a subscriber, synchronously.
        const live: DeadLetter[] = [];
        running.deadLetters$.subscribe((letter) => live.push(letter)).unsubscribe();
        return parkedBy(ctx, running.name, live);
      }),
    );
    return { limit: DEAD_LETTERS_SHOWN, projections: projections.filter((p) => p.total > 0) };
  });

  app.get('/v1/audit/last', async (request, reply) => {
    const principal = request.principal!;
    if (!canReadAll(principal)) return send(reply, forbiddenTo(principal, 'read the audit'));
    return ctx.audit.status();
  });

  // On demand: answered at once (an audit of a large store takes seconds); GET /v1/audit/last says when it is done.
  app.post('/v1/audit', async (request, reply) => {
    const principal = request.principal!;
    if (principal.role !== 'operator') return send(reply, forbiddenTo(principal, 'start an audit'));
    void ctx.audit.runNow();
    return reply.code(202).send(ctx.audit.status());
  });
};
