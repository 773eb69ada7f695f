import { EXIT, UsageError } from '../cli-io';
import type { CliCommand } from '../command';
import { openExistingStore, STORE_HELP, STORE_OPTIONS } from '../store-options';
import { eventLine } from './event-lines';

export const tailCommand: CliCommand = {
  name: 'tail',
  summary: 'print the latest events, and with --follow every new one as it lands',
  help: `Usage: ballast tail (--db PATH | --store URL) [--from POSITION] [--follow] [--json]

Prints events from a global position (default: the last 10), read-only beside a running writer.
With --follow it keeps printing new events as they are committed until interrupted (Ctrl-C).

Options:
${STORE_HELP}
  --from POSITION   start at this global position (1 is the first event in SQLite; on
                    EventStoreDB positions are log offsets: 0, or one past a printed one)
  --follow          keep going: print events as they are committed
  --json            one JSON object per line instead of a readable line
  -h, --help        show this help

Exit codes: 0 ok, 2 bad usage, 3 the store could not be opened.`,
  options: { ...STORE_OPTIONS, from: { type: 'string' }, follow: { type: 'boolean' }, json: { type: 'boolean' } },
  run: async (values, io, signal) => {
    const { store } = await openExistingStore(values, { pollIntervalMs: 100 });
    try {
      let from: number;
      if (values.from !== undefined) {
        from = Number(values.from);
        if (!Number.isSafeInteger(from) || from < 0)
          throw new UsageError(`--from must be a non-negative integer, got ${String(values.from)}`);
      } else if (values.store === undefined) from = Math.max(0, (await store.headPosition()) - 9);
      else {
        // EventStoreDB positions are sparse log offsets: find the last ten by reading, not by arithmetic,
        // and start one past the eleventh-last (a cursor there must be one past a real position).
        const last: number[] = [];
        for await (const e of store.readAll()) if (last.push(e.position) > 11) last.shift();
        from = last.length === 11 ? last[0]! + 1 : 0;
      }
      const print = (e: Parameters<typeof eventLine>[0]) => io.out(values.json ? JSON.stringify(e) : eventLine(e));
      if (!values.follow) {
        for await (const e of store.readAll({ fromPosition: from })) print(e);
        return EXIT.ok;
      }
      await new Promise<void>((resolve, reject) => {
        const subscription = store
          .subscribe({ fromPosition: from })
          .subscribe({ next: print, error: reject, complete: resolve });
        const stop = () => {
          subscription.unsubscribe();
          resolve();
        };
        // Ctrl-C may come before the store was open: an abort already signalled fires no event.
        if (signal.aborted) stop();
        else signal.addEventListener('abort', stop, { once: true });
      });
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
