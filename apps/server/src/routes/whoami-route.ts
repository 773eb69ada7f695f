import type { FastifyInstance } from 'fastify';

/**
 * `GET /v1/whoami`: who the key is (any valid key, any role). A client that acts as itself (an
 * approver's `approver` field, an operator's `by`) learns its principal here instead of being told
 * it separately, so the name it sends can never disagree with the key it sends it with.
 */
export const whoamiRoute = (app: FastifyInstance): void => {
  app.get('/v1/whoami', async (request) => {
    const { id, role, keyId } = request.principal!;
    return { principal: id, role, keyId };
  });
};
