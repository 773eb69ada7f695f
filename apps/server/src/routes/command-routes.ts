import { createHash, randomUUID } from 'node:crypto';
import { AGGREGATE_KINDS, EngineError, stateToJson, streamIdOf } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { invalidAggregateId } from '../aggregate-id';
import { authorizeCommand, ruleOf, type EscrowParties } from '../authorize';
import { badRequest, commandFailure, type HttpFailure } from '../http-failures';
import type { Principal } from '../principals';
import type { ServerContext } from '../server-context';
import { own } from '../own';
import { pendingOf } from '../pending-answer';
import { selfApproval } from '../self-approval';
import { URL_KINDS } from '../url-kinds';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;

export const send = (reply: FastifyReply, failure: HttpFailure) => reply.code(failure.status).send(failure.body);

/**
 * The command id an Idempotency-Key maps to: scoped by the principal (a short digest of its id), so
 * two agents choosing the same key never collide, and the same key sent again by the same principal
 * is the same command: its first answer when the body is the same, 409 when it is not.
 */
const commandIdOf = (principal: Principal, key: string | undefined): string =>
  key === undefined
    ? `req.${randomUUID()}`
    : `idem.${createHash('sha256').update(principal.id).digest('hex').slice(0, 16)}.${key}`;

const escrowParties = async (ctx: ServerContext, id: string): Promise<EscrowParties> => {
  const { state } = await ctx.ballast.escrows.load(id);
  return {
    ...(state.payer === undefined ? {} : { payer: state.payer }),
    ...(state.payee === undefined ? {} : { payee: state.payee }),
  };
};

export const commandRoutes = (app: FastifyInstance, ctx: ServerContext): void => {
  app.post<{ Params: { facade: string; id: string } }>('/v1/:facade/:id/commands', async (request, reply) => {
    const kindName = own(URL_KINDS, request.params.facade);
    if (kindName === undefined)
      return send(reply, {
        status: 404,
        body: {
          code: 'NOT_FOUND',
          message: `no command route for ${request.params.facade} (${Object.keys(URL_KINDS).join(', ')})`,
        },
      });
    const kind = AGGREGATE_KINDS[kindName];
    const principal = request.principal!;
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return send(
        reply,
        badRequest('the body must be one JSON command object with a "type"', [
          { path: '', message: 'expected an object' },
        ]),
      );
    const command = body as Record<string, unknown>;
    if (typeof command.type !== 'string')
      return send(reply, badRequest('the command needs a "type"', [{ path: 'type', message: 'expected a string' }]));

    const key = request.headers['idempotency-key'];
    if (key !== undefined && (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)))
      return send(
        reply,
        badRequest('Idempotency-Key must be 1 to 64 letters, digits and _ . : - (starting with a letter or digit)', [
          { path: 'Idempotency-Key', message: 'invalid header' },
        ]),
      );

    const id = request.params.id;
    // Before the parties of an escrow or the requester of an approval are read from the store with it.
    const badId = invalidAggregateId(kindName, id);
    if (badId !== undefined) return send(reply, badId);
    const rule = ruleOf(kindName, command.type);
    const parties = rule?.who === 'party' ? await escrowParties(ctx, id) : undefined;
    const forbidden = authorizeCommand(principal, kindName, id, command, parties);
    if (forbidden !== undefined) {
      const { status, ...body } = forbidden;
      return send(reply, { status, body });
    }

    if (kindName === 'treasury' && command.type === 'ApproveRequest') {
      const own4eyes = await selfApproval(ctx, principal, id, command.requestId);
      if (own4eyes !== undefined) return send(reply, own4eyes);
    }

    const commandId = commandIdOf(principal, key);
    try {
      // The actor is the key's principal: nothing in the body can claim to be someone else.
      const result = await ctx.ballast[kind.facade].executeJson(id, command, { commandId, actor: principal.id });
      if (E.isLeft(result)) {
        // A refusal the decider records (CommandRejected, a breaker trip) was appended under this command id: its
        // position lets the caller wait for the read models to show it.
        const recorded = 'recorded' in result.left && result.left.recorded.length > 0;
        const appended = recorded ? await ctx.ballast.store.commandResult(commandId) : undefined;
        return send(reply, commandFailure(result.left, appended?.lastPosition));
      }
      const { replayed } = result.right;
      const appended = result.right.result;
      const events = stateToJson(result.right.events) as unknown[];
      // A move above the approval threshold was held, not executed: 202 (a retry stays 200, `replayed`).
      const pending = pendingOf(events);
      const status = replayed || events.length === 0 ? 200 : pending === undefined ? 201 : 202;
      return reply.code(status).send({
        streamId: streamIdOf(kind, id),
        commandId,
        replayed,
        events,
        ...(appended === undefined ? {} : { position: appended.lastPosition, revision: appended.nextExpectedRevision }),
        ...(pending === undefined ? {} : { pending }),
      });
    } catch (error) {
      if (error instanceof EngineError && error.code === 'CONFLICT_RETRIES_EXHAUSTED')
        return send(reply, {
          status: 409,
          body: { code: error.code, message: `${error.message}; send the command again` },
        });
      throw error;
    }
  });
};
