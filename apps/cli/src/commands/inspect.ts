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

Exit codes: 0 ok, 2 bad usage, 3 the store could not be opened.`,
  options: { ...STORE_OPTIONS, stream: { type: 'string' }, type: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  run: async (values, io) => {
    const limit = values.limit === undefined ? Number.MAX_SAFE_INTEGER : Number(values.limit);
    if (!Number.isSafeInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer, got ${String(values.limit)}`);
    const { store } = await openExistingStore(values);
    try {
      const events = typeof values.stream === 'string' ? store.readStream(values.stream) : store.readAll();
      if (!values.json) io.out(EVENT_HEADER);
      let shown = 0;
      for await (const e of events) {
        if (values.type !== undefined && e.type !== values.type) continue;
        io.out(values.json ? JSON.stringify(e) : eventLine(e));
        if (++shown >= limit) break;
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
