import type { FastifyInstance } from 'fastify';
import { openApiDocument } from './openapi-document';

/** A route as registered: its method and Fastify URL pattern (`/v1/:facade/:id`). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
}

const registered = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Records every route registered on `app` from now on, for the test that checks the document against them. */
export const recordRoutes = (app: FastifyInstance): void => {
  const routes: RegisteredRoute[] = [];
  registered.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
};

export const registeredRoutes = (app: FastifyInstance): readonly RegisteredRoute[] => registered.get(app) ?? [];

/** `GET /openapi.json`: public (build-app's PUBLIC set), built once. */
export const openApiRoutes = (app: FastifyInstance): void => {
  let document: string | undefined;
  app.get('/openapi.json', async (_request, reply) =>
    reply.type('application/json').send((document ??= JSON.stringify(openApiDocument()))),
  );
};
