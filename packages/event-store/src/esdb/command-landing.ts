import * as E from 'fp-ts/Either';
import { type AppendResultEither, commandIdReused } from '../append-errors';
import { appendFingerprint, type ValidAppend } from '../append-input';
import { deriveEventIds } from '../hash-chain';
import { MAX_EVENTS_PER_APPEND, READ_PAGE_SIZE } from '../limits';
import type { AppendResult, StreamHead } from '../port';
import type { StoredRow } from '../stored-row';
import type { ClaimHistory } from './command-claims';

/** A command's events found in their stream: what they answer, whose they are, and the head after them. */
export interface Landing {
  readonly fingerprint: string;
  readonly result: AppendResult;
  readonly head: StreamHead;
}

/** What became of a claim: its events are in place, its place is taken by others, or neither yet. */
export type Outcome =
  { readonly kind: 'landed'; readonly landing: Landing } | { readonly kind: 'dead' } | { readonly kind: 'pending' };

export const landingOf = (rows: readonly StoredRow[]): Landing => {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return {
    fingerprint: appendFingerprint(first.streamId, rows),
    result: {
      streamId: first.streamId,
      firstRevision: first.revision,
      nextExpectedRevision: last.revision,
      firstPosition: first.position,
      lastPosition: last.position,
    },
    head: { streamId: last.streamId, revision: last.revision, hash: last.hash },
  };
};

/** The answer to a command already in place: its first result if these are its events, else COMMAND_ID_REUSED. */
export const settled = (
  input: ValidAppend,
  done: { readonly fingerprint: string; readonly result: AppendResult },
): AppendResultEither =>
  done.fingerprint === input.fingerprint
    ? E.right(done.result)
    : E.left(commandIdReused(input.commandId, done.result.streamId, done.result.firstPosition));

type StreamRows = (
  streamId: string,
  fromRevision: number,
  direction: 'forwards',
  limit: number,
) => Promise<StoredRow[]>;

/** Looks in a stream for a command's events, by the ids derived from its command id. */
export const commandsLanded = (streamRows: StreamRows) => {
  /** The command's run of events starting exactly at a revision (shorter when the ids stop matching). */
  const runAt = async (commandId: string, streamId: string, revision: number, count: number): Promise<StoredRow[]> => {
    const ids = deriveEventIds(commandId, count);
    const rows = await streamRows(streamId, revision, 'forwards', count);
    const end = rows.findIndex((r, i) => r.eventId !== ids[i]);
    return end < 0 ? rows : rows.slice(0, end);
  };

  /** Records from before claims were exact name a revision the events went after, somewhere. */
  const scanFrom = async (
    commandId: string,
    streamId: string,
    afterRevision: number,
  ): Promise<StoredRow[] | undefined> => {
    const [firstId] = deriveEventIds(commandId, 1);
    for (let from = afterRevision + 1; ;) {
      const page = await streamRows(streamId, from, 'forwards', READ_PAGE_SIZE);
      const first = page.find((r) => r.eventId === firstId);
      if (first !== undefined) return runAt(commandId, streamId, first.revision, MAX_EVENTS_PER_APPEND);
      if (page.length < READ_PAGE_SIZE) return undefined;
      from = page[page.length - 1]!.revision + 1;
    }
  };

  /**
   * One read: the event right after the claimed revision is the command's (landed), another's (dead:
   * the append expected that revision exactly, so it can never land), or not there yet (pending).
   */
  const outcomeOf = async (commandId: string, place: ClaimHistory): Promise<Outcome> => {
    if (place.eventCount === undefined) {
      const found = await scanFrom(commandId, place.streamId, place.afterRevision);
      return found === undefined ? { kind: 'pending' } : { kind: 'landed', landing: landingOf(found) };
    }
    const run = await streamRows(place.streamId, place.afterRevision + 1, 'forwards', place.eventCount);
    if (run.length === 0) return { kind: 'pending' };
    const ids = deriveEventIds(commandId, place.eventCount);
    if (run[0]!.eventId !== ids[0]) return { kind: 'dead' };
    const end = run.findIndex((r, i) => r.eventId !== ids[i]);
    return { kind: 'landed', landing: landingOf(end < 0 ? run : run.slice(0, end)) };
  };

  /** The command's whole batch at its place, read back after an append; undefined if it is not all there. */
  const landedAt = async (commandId: string, place: Required<ClaimHistory>): Promise<Landing | undefined> => {
    const run = await runAt(commandId, place.streamId, place.afterRevision + 1, place.eventCount);
    return run.length === place.eventCount ? landingOf(run) : undefined;
  };

  return { outcomeOf, landedAt };
};
