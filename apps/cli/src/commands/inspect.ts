import type { RecordedEvent } from '@ballast/domain';
import { EXIT, UsageError } from '../cli-io';
import type { CliCommand } from '../command';
import { openExistingStore, STORE_HELP, STORE_OPTIONS } from '../store-options';
import { EVENT_HEADER, eventLine } from './event-lines';

export const inspectCommand: CliCommand = {
  name: 'inspect',
  summary: 'list events as a readable table or JSON lines',
  help: `Usage: ballast inspect (--db PATH | --store URL) [--stream ID] [--type TYPE] [--limit N] [--json]

Lists stored events in global order (or one stream's, in revision order), read-only.

Options:
${STORE_HELP}
  --stream ID    only this stream, e.g. treasury-alpha
  --type TYPE    only events of this type, e.g. BetPlaced
  --limit N      at most N events (default: all)
  --json         one JSON object per line (the full recorded event) instead of a table
  -h, --help     show this help

Exit codes: 0 ok, 2 bad usage, 3 the store could not be opened, 4 nothing to list: the stream
does not exist, no event has the type, or the store (or namespace) holds no events.`,
  options: {
    ...STORE_OPTIONS,
    stream: { type: 'string' },
    type: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async (values, io) => {
    const limit = values.limit === undefined ? Number.MAX_SAFE_INTEGER : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new UsageError(`--limit must be a positive integer, got ${String(values.limit)}`);
    const { store, where } = await openExistingStore(values);
    try {
      const stream = values.stream as string | undefined;
      const type = values.type as string | undefined;
      const events = stream === undefined ? store.readAll() : store.readStream(stream);
      let read = 0;
      let shown = 0;
      const show = (e: RecordedEvent) => {
        if (shown === 0 && !values.json) io.out(EVENT_HEADER);
        io.out(values.json ? JSON.stringify(e) : eventLine(e));
      };
      for await (const e of events) {
        read++;
        if (type !== undefined && e.type !== type) continue;
        show(e);
        if (++shown >= limit) break;
      }
      if (shown > 0) return EXIT.ok;
      if (read > 0) io.err(`ballast inspect: no ${type} event in ${stream ?? where} (${read} events read)`);
      else
        io.err(
          stream === undefined
            ? `ballast inspect: ${where} holds no events`
            : `ballast inspect: no stream ${stream} in ${where}`,
        );
      return EXIT.notFound;
    } finally {
      await store.close();
    }
  },
};
