import { InstantCodec } from '@ballast/domain';
import { KINDS, kindOfStream, replayStream, stateToJson } from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { EXIT, UsageError } from '../cli-io';
import { type CliCommand, requireString } from '../command';
import { openExistingStore, STORE_HELP, STORE_OPTIONS } from '../store-options';
import { stateLines } from './state-lines';

export const replayCommand: CliCommand = {
  name: 'replay',
  summary: 'show an aggregate as it was at a time or revision',
  help: `Usage: ballast replay (--db PATH | --store URL) --stream ID (--at ISO-TIME | --revision N) [--json]

Re-folds one treasury, pool, escrow or access-keys stream from its first event up to a point and prints
its state then: up to revision N, or up to the last event whose event time is at or before
ISO-TIME (e.g. 2026-03-01T12:00:00Z). Prints the state readably (balances, status, open positions,
times in ISO); --json prints all of it.

Options:
${STORE_HELP}
  --stream ID      e.g. treasury-alpha, pool-main, escrow-e1
  --at ISO-TIME    state as of this event time
  --revision N     state after this revision (0 is the first event)
  --json           the whole state (config included) as one line of canonical JSON
  -h, --help       show this help

Exit codes: 0 ok, 1 an event does not decode, 2 bad usage, 3 the store could not be opened,
4 nothing to show: the stream does not exist, --revision is past its end, or --at is before its first event.`,
  options: {
    ...STORE_OPTIONS,
    stream: { type: 'string' },
    at: { type: 'string' },
    revision: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async (values, io) => {
    const streamId = requireString(values, 'stream');
    const kind = kindOfStream(streamId);
    if (!kind)
      throw new UsageError(
        `--stream ${streamId} is not a stream of an aggregate (${KINDS.map((k) => `${k.category}-`).join(', ')})`,
      );
    if ((values.at === undefined) === (values.revision === undefined))
      throw new UsageError('give exactly one of --at ISO-TIME or --revision N');
    let until: (e: { revision: number; at: number }) => boolean;
    let wanted: number | undefined;
    if (values.revision !== undefined) {
      const revision = Number(values.revision);
      if (!Number.isSafeInteger(revision) || revision < 0)
        throw new UsageError(`--revision must be a non-negative integer, got ${String(values.revision)}`);
      wanted = revision;
      until = (e) => e.revision <= revision;
    } else {
      const at = InstantCodec.decode(values.at);
      if (E.isLeft(at))
        throw new UsageError(
          `--at must be an ISO-8601 UTC time such as 2026-03-01T12:00:00Z, got ${String(values.at)}`,
        );
      until = (e) => e.at <= at.right;
    }
    const { store, where } = await openExistingStore(values);
    try {
      const replayed = await replayStream(store, kind, streamId, until);
      if (E.isLeft(replayed)) {
        io.err(
          `ballast replay: ${streamId} revision ${replayed.left.revision} does not decode: ${replayed.left.message}`,
        );
        return EXIT.checkFailed;
      }
      const { state, revision, firstAt } = replayed.right;
      if (firstAt === undefined) {
        io.err(`ballast replay: no stream ${streamId} in ${where}`);
        return EXIT.notFound;
      }
      if (wanted !== undefined && revision < wanted) {
        io.err(`ballast replay: ${streamId} ends at revision ${revision}; --revision ${wanted} is past its end`);
        return EXIT.notFound;
      }
      if (revision < 0) {
        io.err(
          `ballast replay: ${streamId} has no event at or before ${String(values.at)} (its first is at ${new Date(firstAt).toISOString()})`,
        );
        return EXIT.notFound;
      }
      const json = { streamId, revision, state: stateToJson(state) };
      if (values.json) io.out(JSON.stringify(json));
      else {
        io.out(`${streamId} after revision ${revision}`);
        for (const line of stateLines(json.state as Parameters<typeof stateLines>[0])) io.out(line);
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
