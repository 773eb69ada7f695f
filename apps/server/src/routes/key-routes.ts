import * as E from 'fp-ts/Either';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { createKey, loadAccessAt, revokeKey } from '../access-keys';
import { badRequest, commandFailure, forbiddenTo } from '../http-failures';
import type { Principal } from '../principals';
import type { ServerContext } from '../server-context';
import { send } from './command-routes';

const operatorOnly = (reply: FastifyReply, p: Principal): boolean => {
  if (p.role === 'operator') return true;
  send(reply, forbiddenTo(p, 'manage keys: it needs an operator key'));
  return false;
};

/** Key management: operators create (the key is in the answer, once), list (ids, never hashes) and revoke. */
export const keyRoutes = (app: FastifyInstance, ctx: ServerContext): void => {
  app.post('/v1/keys', async (request, reply) => {
    const p = request.principal!;
    if (!operatorOnly(reply, p)) return reply;
    const body = request.body as Record<string, unknown> | null;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return send(reply, badRequest('the body must be {"principal": ID, "role": "agent" | "operator" | "service"}'));
    const unknown = Object.keys(body).filter((k) => k !== 'principal' && k !== 'role');
    if (unknown.length > 0)
      return send(
        reply,
        badRequest(
          `unknown field ${unknown[0]}`,
          unknown.map((k) => ({ path: k, message: 'unknown field' })),
        ),
      );
    const created = await createKey(
      ctx.ballast,
      { principal: body.principal as string, role: body.role as string },
      { actor: p.id },
    );
    if (E.isLeft(created)) return send(reply, commandFailure(created.left));
    await ctx.keys.refresh(() => loadAccessAt(ctx.ballast));
    return reply.code(201).send(created.right);
  });

  app.get('/v1/keys', async (request, reply) => {
    if (!operatorOnly(reply, request.principal!)) return reply;
    return {
      keys: Object.values(ctx.keys.keys()).map(({ hash: _hash, ...key }) => ({
        ...key,
        createdAt: new Date(key.createdAt).toISOString(),
        ...(key.revokedAt === undefined ? {} : { revokedAt: new Date(key.revokedAt).toISOString() }),
      })),
    };
  });

  app.post<{ Params: { keyId: string } }>('/v1/keys/:keyId/revoke', async (request, reply) => {
    const p = request.principal!;
    if (!operatorOnly(reply, p)) return reply;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const reason = typeof body.reason === 'string' ? body.reason : undefined;
    const revoked = await revokeKey(ctx.ballast, request.params.keyId, reason, p.id);
    if (E.isLeft(revoked)) return send(reply, commandFailure(revoked.left));
    await ctx.keys.refresh(() => loadAccessAt(ctx.ballast));
    return { keyId: request.params.keyId, revoked: true };
  });
};
