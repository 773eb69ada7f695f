import { openSqliteStore } from '@ballast/event-store';
import { EXIT, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { eventLine } from './event-lines';

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'print the latest events, and with --follow every new one as it lands',
  help: `Usage: ballast tail --db PATH [--from POSITION] [--follow] [--json]

Prints events from a global position (default: the last 10), read-only beside a running writer.
With --follow it keeps printing new events as they are committed until interrupted (Ctrl-C).

Options:
  --db PATH         the store file (required; it must exist)
  --from POSITION   start at this global position (1 is the first event)
  --follow          keep going: print events as they are committed
  --json            one JSON object per line instead of a readable line
  -h, --help        show this help

Exit codes: 0 ok, 2 bad usage, 3 the store could not be opened.`,
  options: { db: { type: 'string' }, from: { type: 'string' }, follow: { type: 'boolean' }, json: { type: 'boolean' } },
  run: async (values, io, signal) => {
    const store = openSqliteStore(requireString(values, 'db'), { readonly: true, pollIntervalMs: 100 });
    try {
      let from: number;
      if (values.from !== undefined) {
        from = Number(values.from);
        if (!Number.isSafeInteger(from) || from < 0) throw new UsageError(`--from must be a non-negative integer, got ${String(values.from)}`);
      } else from = Math.max(0, (await store.headPosition()) - 9);
      const print = (e: Parameters<typeof eventLine>[0]) => io.out(values.json ? JSON.stringify(e) : eventLine(e));
      if (!values.follow) {
        for await (const e of store.readAll({ fromPosition: from })) print(e);
        return EXIT.ok;
      }
      await new Promise<void>((resolve, reject) => {
        const subscription = store.subscribe({ fromPosition: from }).subscribe({ next: print, error: reject, complete: resolve });
        signal.addEventListener('abort', () => (subscription.unsubscribe(), resolve()), { once: true });
      });
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
