import {
  ActorIdCodec,
  CommandIdCodec,
  commandInputSchema,
  EventMetadataCodec,
  EventTypeCodec,
  jsonSchemaOf,
  KeyIdCodec,
  RoleCodec,
  SchemaVersionCodec,
  type JsonSchema,
} from '@ballast/domain';
import { AGGREGATE_KINDS, type KindName } from '@ballast/engine';
import { URL_KINDS } from '../url-kinds';

/** The kinds with a command route, in URL order: `treasuries` → `treasury`, … */
export const COMMAND_KINDS: readonly (readonly [facade: string, kind: KindName])[] = Object.entries(URL_KINDS);

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

/** `TreasuryCommand`, … : the component name of a kind's command union (its codec's name). */
export const commandSchemaName = (kind: KindName): string => AGGREGATE_KINDS[kind].commandCodec.name;

const schemaOf = (codec: Parameters<typeof jsonSchemaOf>[0]): JsonSchema => jsonSchemaOf(codec, { dialect: false });
const int = (description: string): JsonSchema => ({ type: 'integer', minimum: 0, description });
const object = (properties: Record<string, JsonSchema>, required: readonly string[], extra = {}): JsonSchema => ({
  type: 'object',
  properties,
  required,
  ...extra,
});

/** An API key as `Authorization: Bearer` takes it: the public key id, then a 32-byte secret (base64url). */
export const API_KEY_PATTERN = '^bk_[a-z0-9]{8,32}_[A-Za-z0-9_-]{43}$';

const failure = object(
  {
    code: { type: 'string', description: 'stable: INVALID_INPUT, FORBIDDEN, KEY_MISSING, a rule’s own code, …' },
    message: { type: 'string', description: 'for a person; may change' },
    details: { type: 'object', description: 'the numbers behind a refusal (limits, balances, who may)' },
    issues: {
      type: 'array',
      description: 'each bad field of a 400, by path',
      items: object({ path: { type: 'string' }, message: { type: 'string' } }, ['path', 'message']),
    },
    position: int('the global position of the events recording the refusal, when it was recorded (a breaker trip)'),
  },
  ['code', 'message'],
);

/** The caller's metadata (a strict codec) plus the id of the command that appended the event. */
const recordedMetadata = (): JsonSchema => {
  const metadata = schemaOf(EventMetadataCodec) as { properties: object; required?: string[] };
  return {
    ...metadata,
    title: 'RecordedMetadata',
    properties: { ...metadata.properties, commandId: schemaOf(CommandIdCodec) },
    required: [...(metadata.required ?? []), 'commandId'],
  };
};

const recordedEvent = object(
  {
    streamId: { type: 'string' },
    revision: int('0-based within its stream'),
    eventId: { type: 'string' },
    type: schemaOf(EventTypeCodec),
    version: schemaOf(SchemaVersionCodec),
    data: { type: 'object' },
    metadata: recordedMetadata(),
    position: { type: 'integer', minimum: 1, description: 'global, strictly increasing in commit order' },
    hash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  },
  ['streamId', 'revision', 'eventId', 'type', 'version', 'data', 'metadata', 'position', 'hash'],
);

const accessKey = object(
  {
    keyId: schemaOf(KeyIdCodec),
    principal: schemaOf(ActorIdCodec),
    role: schemaOf(RoleCodec),
    createdAt: { type: 'string', format: 'date-time' },
    revokedAt: { type: 'string', format: 'date-time' },
  },
  ['keyId', 'principal', 'role', 'createdAt'],
);

/** Every schema the document names, each command union straight from its codec. */
export const componentSchemas = (): Record<string, JsonSchema> => ({
  ...Object.fromEntries(
    COMMAND_KINDS.map(([, kind]) => [
      commandSchemaName(kind),
      commandInputSchema(AGGREGATE_KINDS[kind].commandCodec, { dialect: false }),
    ]),
  ),
  ...Object.fromEntries(
    COMMAND_KINDS.map(([, kind]) => [
      `${commandSchemaName(kind).replace(/Command$/, '')}Event`,
      jsonSchemaOf(AGGREGATE_KINDS[kind].eventCodec, { dialect: false }),
    ]),
  ),
  Failure: failure,
  Committed: object(
    {
      streamId: { type: 'string' },
      commandId: { type: 'string', description: 'derived from the Idempotency-Key and the key’s principal' },
      replayed: { type: 'boolean', description: 'true for a retry answered from the first result' },
      events: {
        type: 'array',
        items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
      },
      position: int('global position of the last event appended'),
      revision: int('the stream’s revision after the command'),
    },
    ['streamId', 'commandId', 'replayed', 'events'],
  ),
  Pending: object(
    {
      requestId: { type: 'string', description: 'name it in ApproveRequest or DenyRequest' },
      amount: { type: 'string', description: 'what the move pays out (decimal)' },
      threshold: { type: 'string', description: 'the policy’s approval threshold it crossed (decimal)' },
      required: { type: 'integer', minimum: 1, description: 'distinct approvals needed' },
      approvers: {
        type: 'array',
        items: schemaOf(ActorIdCodec),
        description: 'whose approvals count (empty: any distinct operators)',
      },
      expiresAt: int('epoch ms (event time) after which the request expires and never executes'),
    },
    ['requestId', 'amount', 'threshold', 'required', 'approvers', 'expiresAt'],
  ),
  Whoami: object({ principal: schemaOf(ActorIdCodec), role: schemaOf(RoleCodec), keyId: schemaOf(KeyIdCodec) }, [
    'principal',
    'role',
    'keyId',
  ]),
  AggregateState: object(
    {
      streamId: { type: 'string' },
      revision: int('of the last event folded'),
      at: { type: 'string', description: 'the ?at asked for' },
      state: { type: 'object' },
    },
    ['streamId', 'revision', 'state'],
  ),
  ReadModel: object({ name: { type: 'string' }, position: int('the last global position it processed'), state: {} }, [
    'name',
    'position',
    'state',
  ]),
  RecordedEvent: recordedEvent,
  EventPage: object(
    { events: { type: 'array', items: ref('RecordedEvent') }, next: int('the `from` of the following page') },
    ['events'],
  ),
  CreateKey: object({ principal: schemaOf(ActorIdCodec), role: schemaOf(RoleCodec) }, ['principal', 'role'], {
    additionalProperties: false,
  }),
  CreatedKey: object(
    {
      keyId: schemaOf(KeyIdCodec),
      principal: schemaOf(ActorIdCodec),
      role: schemaOf(RoleCodec),
      key: { type: 'string', pattern: API_KEY_PATTERN, description: 'shown once; only its SHA-256 is stored' },
    },
    ['keyId', 'principal', 'role', 'key'],
  ),
  AccessKey: accessKey,
});
