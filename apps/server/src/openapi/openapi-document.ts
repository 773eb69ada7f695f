import { alertPaths } from './alert-paths';
import { componentSchemas } from './schemas';
import { restPaths } from './paths';
import { streamPaths } from './stream-paths';

/** The API's version: apps/server/package.json's (a test keeps them equal). */
export const API_VERSION = '0.1.0';

export interface OpenApiOptions {
  /** Where the server is reached; the default, `/`, is wherever this document was fetched from. */
  readonly serverUrl?: string;
}

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the codecs (every command, event and id
 * schema is `jsonSchemaOf` a codec), COMMAND_RULES (who may send what) and READ_MODELS: nothing
 * here is a hand-written copy of a body the server decodes. Pure; served at `GET /openapi.json`.
 */
export const openApiDocument = (options: OpenApiOptions = {}) => ({
  openapi: '3.1.0',
  info: {
    title: 'Ballast',
    version: API_VERSION,
    description:
      'Treasuries, insurance pools and escrows for agents, over one event-sourced store. Every request but ' +
      '`/health`, `/ready` and `/openapi.json` carries an API key. Amounts and decimals are decimal strings; ' +
      'times in bodies are epoch milliseconds.',
  },
  servers: [
    {
      url: options.serverUrl ?? '/',
      description: 'the server that serves this document (`ballast serve` listens on 127.0.0.1:8787 by default)',
    },
  ],
  security: [{ bearer: [] }],
  tags: ['treasuries', 'pools', 'escrows', 'read models', 'events', 'keys', 'service'].map((name) => ({ name })),
  paths: { ...restPaths(), ...streamPaths(), ...alertPaths() },
  components: {
    securitySchemes: {
      bearer: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'bk_<key id>_<secret>',
        description: 'An API key `bk_<key id>_<secret>` (an operator creates it with POST /v1/keys; shown once).',
      },
    },
    schemas: componentSchemas(),
  },
});

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
