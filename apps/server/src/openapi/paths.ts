import type { KindName } from '@ballast/engine';
import { READ_MODELS } from '../read-models';
import { rolesDescription } from './command-roles';
import {
  failures,
  ID_PARAM,
  json,
  KEYED,
  pathParam,
  positionParam,
  queryParam,
  WAIT_PARAMS,
  WITH_BODY,
  type Operation,
} from './operations';
import { COMMAND_KINDS, commandSchemaName, ref } from './schemas';

/** The pattern the command route checks an Idempotency-Key against (1 to 64 characters). */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$';

const PUBLIC = { security: [] } as const;
const capital = (s: string) => s[0]!.toUpperCase() + s.slice(1);
const eventSchemaName = (kind: KindName) => `${commandSchemaName(kind).replace(/Command$/, '')}Event`;

const committed = (kind: KindName) => ({
  allOf: [ref('Committed')],
  properties: { events: { items: ref(eventSchemaName(kind)) } },
});

const commandOperation = (facade: string, kind: KindName): Operation => ({
  operationId: `send${capital(kind)}Command`,
  tags: [facade],
  summary: `Send one command to a ${kind}`,
  description:
    `One ${commandSchemaName(kind)} as JSON, decoded by the same codec the engine uses (\`at\` is stamped by the ` +
    'server, and the actor is the key’s principal).\n\n' +
    rolesDescription(kind),
  parameters: [
    ID_PARAM,
    {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'makes a retry safe: the same key and body answer the first result (200, `replayed`)',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
    },
  ],
  requestBody: { required: true, ...json(ref(commandSchemaName(kind))) },
  responses: {
    200: {
      description: 'a retry answered from the first result, or a command that appended nothing',
      ...json(committed(kind)),
    },
    201: {
      description: 'appended: the events, their last `position` and the stream’s `revision`',
      ...json(committed(kind)),
    },
    202: {
      description:
        'held for approvals, not executed: the spend policy’s threshold was crossed, so only the request ' +
        '(`ApprovalRequested`) was appended; `pending` says what waits for whom and until when. The last ' +
        'approval needed executes it, re-checked then (a retry of this command answers 200 with `pending`)',
      ...json({
        ...committed(kind),
        properties: { ...committed(kind).properties, pending: ref('Pending') },
        required: ['pending'],
      }),
    },
    ...failures(...WITH_BODY, 403, 409, 422),
  },
});

const readOperation = (facade: string, kind: KindName): Operation => ({
  operationId: `read${capital(kind)}`,
  tags: [facade],
  summary: `A ${kind}’s state, now or at a time`,
  description:
    'For the agent it concerns, operators and services; a missing id is 403 to anyone else, as one they may not see.',
  parameters: [
    ID_PARAM,
    queryParam(
      'at',
      { type: 'string', format: 'date-time' },
      'the state as of this ISO-8601 UTC time (events with `at` ≤ it)',
    ),
    ...WAIT_PARAMS,
  ],
  responses: {
    200: { description: 'the state', ...json(ref('AggregateState')) },
    ...failures(400, 401, 403, 404, 429, 504),
  },
});

const READ_MODEL_NAME = pathParam('name', { type: 'string', enum: Object.keys(READ_MODELS) }, 'a read model');

/** Every path the server answers, by path then method. The stream paths are in stream-paths.ts. */
export const restPaths = (): Record<string, Record<string, Operation>> => ({
  ...Object.fromEntries(
    COMMAND_KINDS.flatMap(([facade, kind]) => [
      [`/v1/${facade}/{id}/commands`, { post: commandOperation(facade, kind) }],
      [`/v1/${facade}/{id}`, { get: readOperation(facade, kind) }],
    ]),
  ),
  '/v1/read-models': {
    get: {
      operationId: 'listReadModels',
      tags: ['read models'],
      summary: 'The read models’ names (operators, services)',
      responses: {
        200: {
          description: 'their names',
          ...json({
            type: 'object',
            properties: { readModels: { type: 'array', items: READ_MODEL_NAME.schema } },
            required: ['readModels'],
          }),
        },
        ...failures(...KEYED, 403),
      },
    },
  },
  '/v1/read-models/{name}': {
    get: {
      operationId: 'readReadModel',
      tags: ['read models'],
      summary: 'One read model’s view (operators, services)',
      parameters: [READ_MODEL_NAME, ...WAIT_PARAMS],
      responses: {
        200: { description: 'its view', ...json(ref('ReadModel')) },
        ...failures(400, 401, 403, 404, 429, 504),
      },
    },
  },
  '/v1/events': {
    get: {
      operationId: 'readEvents',
      tags: ['events'],
      summary: 'A page of the log (operators, services)',
      parameters: [
        positionParam('from', 'the first global position (inclusive)', { default: 0 }),
        positionParam('limit', 'events in the page', { minimum: 1, maximum: 1000, default: 100 }),
      ],
      responses: {
        200: { description: 'the page and the cursor of the next', ...json(ref('EventPage')) },
        ...failures(400, 401, 403, 429),
      },
    },
  },
  '/v1/keys': {
    post: {
      operationId: 'createKey',
      tags: ['keys'],
      summary: 'Create an API key (operators)',
      requestBody: { required: true, ...json(ref('CreateKey')) },
      responses: {
        201: { description: 'the key, shown this once', ...json(ref('CreatedKey')) },
        ...failures(...WITH_BODY, 403, 422),
      },
    },
    get: {
      operationId: 'listKeys',
      tags: ['keys'],
      summary: 'Every key, revoked ones too, without secrets or hashes (operators)',
      responses: {
        200: {
          description: 'the keys',
          ...json({
            type: 'object',
            properties: { keys: { type: 'array', items: ref('AccessKey') } },
            required: ['keys'],
          }),
        },
        ...failures(...KEYED, 403),
      },
    },
  },
  '/v1/keys/{keyId}/revoke': {
    post: {
      operationId: 'revokeKey',
      tags: ['keys'],
      summary: 'Revoke a key at once (operators)',
      parameters: [pathParam('keyId', { type: 'string' }, 'the public key id')],
      requestBody: {
        required: false,
        ...json({ type: 'object', properties: { reason: { type: 'string' } } }),
      },
      responses: {
        200: {
          description: 'revoked',
          ...json({
            type: 'object',
            properties: { keyId: { type: 'string' }, revoked: { const: true } },
            required: ['keyId', 'revoked'],
          }),
        },
        ...failures(...WITH_BODY, 403, 422),
      },
    },
  },
  '/v1/whoami': {
    get: {
      operationId: 'whoami',
      tags: ['keys'],
      summary: 'Who the calling key is (any key): its principal, role and id',
      responses: {
        200: { description: 'the key’s principal', ...json(ref('Whoami')) },
        ...failures(...KEYED),
      },
    },
  },
  '/health': {
    get: {
      operationId: 'health',
      tags: ['service'],
      summary: 'Liveness (no key)',
      ...PUBLIC,
      responses: {
        200: {
          description: 'alive',
          ...json({ type: 'object', properties: { status: { const: 'ok' } }, required: ['status'] }),
        },
      },
    },
  },
  '/ready': {
    get: {
      operationId: 'ready',
      tags: ['service'],
      summary: 'Readiness: every read model caught up (no key)',
      ...PUBLIC,
      responses: {
        200: {
          description: 'ready',
          ...json({
            type: 'object',
            properties: { status: { const: 'ready' }, position: { type: 'integer' } },
            required: ['status', 'position'],
          }),
        },
        503: {
          description: 'NOT_READY: starting or stopping',
          ...json({ allOf: [ref('Failure')], properties: { status: { const: 'starting' } }, required: ['status'] }),
        },
      },
    },
  },
  '/openapi.json': {
    get: {
      operationId: 'openApi',
      tags: ['service'],
      summary: 'This document (no key)',
      ...PUBLIC,
      responses: {
        200: {
          description: 'OpenAPI 3.1',
          ...json({
            type: 'object',
            properties: { openapi: { const: '3.1.0' }, paths: { type: 'object' } },
            required: ['openapi', 'paths'],
          }),
        },
      },
    },
  },
});
