import type { JsonSchema } from '@ballast/domain';
import { ref } from './schemas';

/** The pieces every operation is built from. */
export type Operation = Readonly<Record<string, unknown>>;

export const json = (schema: JsonSchema) => ({ content: { 'application/json': { schema } } });

const failure = (description: string) => ({ description, ...json(ref('Failure')) });

/** The failures by status, as the server answers them (http-failures.ts, build-app.ts). */
export const FAILURES = {
  400: failure('INVALID_INPUT: bad JSON, a bad field (each named in `issues`) or a bad query parameter'),
  401: failure('KEY_MISSING, KEY_MALFORMED, KEY_UNKNOWN or KEY_REVOKED; with `WWW-Authenticate: Bearer`'),
  403: failure('FORBIDDEN: the key’s principal or role may not do this; `details` say who asked'),
  404: failure('NOT_FOUND'),
  409: failure('COMMAND_ID_REUSED (an Idempotency-Key sent again with another body) or CONFLICT_RETRIES_EXHAUSTED'),
  413: failure('BODY_TOO_LARGE: over the body limit (`details.limit`, bytes)'),
  415: failure('UNSUPPORTED_MEDIA_TYPE: send `Content-Type: application/json`'),
  422: failure('a rule’s refusal, with its own code and the numbers behind it in `details`'),
  429: failure('RATE_LIMITED: over the rate per key (`details.max` a minute); `Retry-After` says when'),
  504: failure('NOT_CAUGHT_UP: the read models did not reach `waitFor` in time; ask again'),
} as const;

export type FailureStatus = keyof typeof FAILURES;

export const failures = (...statuses: FailureStatus[]) =>
  Object.fromEntries(statuses.map((status) => [String(status), FAILURES[status]]));

/** Every keyed route may answer 401 and 429; every route with a body 400, 413 and 415 too. */
export const KEYED: readonly FailureStatus[] = [401, 429];
export const WITH_BODY: readonly FailureStatus[] = [400, 401, 413, 415, 429];

const position = { type: 'integer', minimum: 0, maximum: 999_999_999_999_999 } as const;

export const pathParam = (name: string, schema: JsonSchema, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema,
});

export const queryParam = (name: string, schema: JsonSchema, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export const ID_PARAM = pathParam('id', { type: 'string', minLength: 1 }, 'the aggregate’s id');

/** `waitFor` and `timeoutMs`: read your own write. */
export const WAIT_PARAMS = [
  queryParam(
    'waitFor',
    position,
    'answer only once every read model has processed this global position (a command’s `position`)',
  ),
  queryParam('timeoutMs', { ...position, default: 5000 }, 'how long to wait for `waitFor` (capped by the server)'),
];

export const positionParam = (name: string, description: string, extra: JsonSchema = {}) =>
  queryParam(name, { ...position, ...extra }, description);
