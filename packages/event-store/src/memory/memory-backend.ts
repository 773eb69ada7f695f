import * as E from 'fp-ts/Either';
import { Subject } from 'rxjs';
import type { AppendResultEither } from '../append-errors';
import type { ValidAppend } from '../append-input';
import { type CommandRecord, planAppend, resultOf } from '../append-plan';
import type { StoreBackend } from '../backend';
import type { StreamHead } from '../port';
import type { StoredRow } from '../stored-row';

interface MemoryStream {
  head: StreamHead;
  /** Indexes into the global log, by revision. */
  readonly positions: number[];
}

/** The in-memory adapter: the same rules and chain as SQLite, nothing durable. For tests and simulations. */
export const memoryBackend = (): StoreBackend => {
  const log: StoredRow[] = [];
  const streams = new Map<string, MemoryStream>();
  const commands = new Map<string, CommandRecord>();
  const committed$ = new Subject<void>();

  const write = async (input: ValidAppend): Promise<AppendResultEither> => {
    const stream = streams.get(input.streamId);
    const plan = planAppend(input, stream?.head, commands.get(input.commandId));
    if (E.isLeft(plan)) return plan;
    if (plan.right.kind === 'replay') return E.right(plan.right.result);
    const { rows } = plan.right;
    const firstPosition = log.length + 1;
    const entry = stream ?? { head: { streamId: input.streamId, revision: -1, hash: '' }, positions: [] };
    for (const row of rows) {
      log.push({ ...row, position: log.length + 1 });
      entry.positions.push(log.length);
    }
    const last = rows[rows.length - 1]!;
    entry.head = { streamId: input.streamId, revision: last.revision, hash: last.hash };
    streams.set(input.streamId, entry);
    const result = resultOf(input.streamId, rows, firstPosition, log.length);
    commands.set(input.commandId, { commandId: input.commandId, fingerprint: input.fingerprint, result });
    committed$.next();
    return E.right(result);
  };

  return {
    description: 'memory store',
    writable: true,
    write,
    streamPage: (streamId, fromRevision, direction, limit) => {
      const positions = streams.get(streamId)?.positions ?? [];
      if (direction === 'forwards') return positions.slice(fromRevision, fromRevision + limit).map((p) => log[p - 1]!);
      // Backwards from past the end starts at the last event, as SQL's `revision <= from` does.
      const end = Math.min(fromRevision, positions.length - 1) + 1;
      const slice = positions.slice(Math.max(0, end - limit), end).reverse();
      return slice.map((p) => log[p - 1]!);
    },
    allPage: (fromPosition, limit) => log.slice(Math.max(0, fromPosition - 1), Math.max(0, fromPosition - 1) + limit),
    headsPage: (after, limit) =>
      [...streams.values()]
        .map((s) => s.head)
        .filter((h) => h.streamId > after)
        .sort((a, b) => (a.streamId < b.streamId ? -1 : 1))
        .slice(0, limit),
    streamHead: (streamId) => streams.get(streamId)?.head,
    commandResult: (commandId) => commands.get(commandId)?.result,
    headPosition: () => log.length,
    committed$,
    close: async () => committed$.complete(),
  };
};
