import { failures, json, KEYED, WITH_BODY, type Operation } from './operations';

const integer = { type: 'integer' } as const;
const string = { type: 'string' } as const;

const deadLetter = {
  type: 'object',
  properties: {
    position: integer,
    streamId: string,
    revision: integer,
    type: string,
    error: string,
    attempts: integer,
  },
  required: ['position', 'streamId', 'revision', 'type', 'error', 'attempts'],
} as const;

const auditResult = {
  type: 'object',
  properties: {
    outcome: {
      enum: ['passed', 'failed', 'inconclusive'],
      description:
        'failed: the store has a problem; inconclusive: the audit could not finish (an error, or writes raced its ' +
        'check of the stream heads on every try)',
    },
    ok: { type: 'boolean' },
    startedAt: { ...integer, description: 'epoch ms' },
    finishedAt: { ...integer, description: 'epoch ms' },
    durationMs: integer,
    tries: integer,
    events: integer,
    headPosition: integer,
    aggregates: integer,
    totalDigest: { ...string, description: 'sha256 over every aggregate’s and re-folded read model’s digest' },
    anchor: {
      type: 'object',
      description:
        'with ballast serve --anchor-key: the signed anchor this audit appended to the anchor file, or why none was',
      properties: {
        written: { type: 'boolean' },
        createdAt: string,
        events: integer,
        headsRoot: string,
        keyId: string,
        error: string,
      },
      required: ['written'],
    },
    problem: {
      type: 'object',
      properties: { kind: string, streamId: string, revision: integer, message: string },
      required: ['kind', 'streamId', 'revision', 'message'],
    },
  },
  required: [
    'outcome',
    'ok',
    'startedAt',
    'finishedAt',
    'durationMs',
    'tries',
    'events',
    'headPosition',
    'aggregates',
    'totalDigest',
  ],
} as const;

const auditStatus = {
  type: 'object',
  properties: {
    intervalMs: { ...integer, description: 'how often the server audits its store; 0: only on demand' },
    running: { type: 'boolean' },
    nextAt: { ...integer, description: 'epoch ms of the next periodic audit' },
    last: { oneOf: [auditResult, { type: 'null' }] },
  },
  required: ['intervalMs', 'running', 'last'],
} as const;

/** What an operator must look at that no read model shows: parked events and the store's audit. */
export const alertPaths = (): Record<string, Record<string, Operation>> => ({
  '/v1/dead-letters': {
    get: {
      operationId: 'readDeadLetters',
      tags: ['service'],
      summary: 'Events each read model and process manager parked after failing on them (operators, services)',
      description:
        'Only projections that parked something are listed, each with its `total` and its last `limit` parked events.',
      responses: {
        200: {
          description: 'the parked events by projection',
          ...json({
            type: 'object',
            properties: {
              limit: integer,
              projections: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { name: string, total: integer, deadLetters: { type: 'array', items: deadLetter } },
                  required: ['name', 'total', 'deadLetters'],
                },
              },
            },
            required: ['limit', 'projections'],
          }),
        },
        ...failures(...KEYED, 403),
      },
    },
  },
  '/v1/audit/last': {
    get: {
      operationId: 'readLastAudit',
      tags: ['service'],
      summary: 'The last background audit of the store: hash chains, folds, ledger (operators, services)',
      responses: {
        200: { description: 'the schedule and the last result (null before the first)', ...json(auditStatus) },
        ...failures(...KEYED, 403),
      },
    },
  },
  '/v1/audit': {
    post: {
      operationId: 'startAudit',
      tags: ['service'],
      summary: 'Audit the store now, unless an audit is running (operators)',
      description: 'Answered at once; `GET /v1/audit/last` has the result when `running` is false again.',
      responses: {
        202: { description: 'started (or already running)', ...json(auditStatus) },
        ...failures(...WITH_BODY, 403),
      },
    },
  },
});
