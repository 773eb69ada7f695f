import { READ_MODELS } from '../read-models';
import { failures, ID_PARAM, pathParam, positionParam, type Operation } from './operations';
import { COMMAND_KINDS, ref } from './schemas';

const RESUME = [
  {
    name: 'Last-Event-ID',
    in: 'header',
    required: false,
    description: 'resume after this event id (what EventSource sends when it reconnects); wins over `after`',
    schema: { type: 'string', pattern: '^[0-9]{1,15}$' },
  },
  positionParam('after', 'resume after this event id'),
];

const eventStream = (description: string, data: string) => ({
  description,
  content: {
    'text/event-stream': {
      schema: { type: 'string', description: `server-sent events; each message's \`data\` is the JSON of ${data}` },
      'x-message-data': ref(data),
    },
  },
});

const stream = (
  operationId: string,
  tags: string[],
  summary: string,
  parameters: unknown[],
  ok: object,
): Operation => ({
  operationId,
  tags,
  summary,
  parameters,
  responses: {
    200: ok,
    406: { description: 'the request’s Accept refuses text/event-stream' },
    ...failures(400, 401, 403, 404, 429),
  },
});

/** The live streams (server-sent events); a `closing` event asks the client to reconnect and resume. */
export const streamPaths = (): Record<string, Record<string, Operation>> => ({
  '/v1/events/stream': {
    get: stream(
      'followEvents',
      ['events'],
      'The log, live (operators, services)',
      RESUME,
      eventStream('`event` messages, each a recorded event; the id is its global position', 'RecordedEvent'),
    ),
  },
  ...Object.fromEntries(
    COMMAND_KINDS.map(([facade, kind]) => [
      `/v1/${facade}/{id}/events/stream`,
      {
        get: stream(
          `follow${kind[0]!.toUpperCase()}${kind.slice(1)}`,
          [facade],
          `A ${kind}’s events, live (whoever may read it)`,
          [ID_PARAM, ...RESUME],
          eventStream('`event` messages, each a recorded event; the id is its revision', 'RecordedEvent'),
        ),
      },
    ]),
  ),
  '/v1/read-models/{name}/stream': {
    get: stream(
      'followReadModel',
      ['read models'],
      'A read model’s view whenever it changes (operators, services); the latest wins',
      [pathParam('name', { type: 'string', enum: Object.keys(READ_MODELS) }, 'a read model'), ...RESUME],
      eventStream('`state` messages; the id is the position the view reflects', 'ReadModel'),
    ),
  },
});
