import { setTimeout as sleep } from 'node:timers/promises';
import * as E from 'fp-ts/Either';
import { NO_STREAM, type EventData } from '@eventstore/db-client';
import { type AppendResultEither, commandIdReused, wrongExpectedRevision } from '../append-errors';
import { appendFingerprint, type ValidAppend } from '../append-input';
import { planAppend } from '../append-plan';
import { deriveEventIds } from '../hash-chain';
import { MAX_EVENTS_PER_APPEND, READ_PAGE_SIZE } from '../limits';
import type { AppendResult } from '../port';
import type { StoredRow } from '../stored-row';
import { StoreError } from '../store-error';
import { type ClaimHistory, type ClaimState, claimStateOf, claimedEvent, completedEvent, releasedEvent } from './command-claims';
import type { EsdbNames } from './esdb-names';
import { rowToEsdbEvent } from './esdb-rows';
import type { EsdbStreams } from './esdb-streams';

/** Races on one command id or one stream are re-tried this often before the append gives up. */
const MAX_ATTEMPTS = 20;

export const resultOfRows = (rows: readonly StoredRow[]): AppendResult => ({
  streamId: rows[0]!.streamId,
  firstRevision: rows[0]!.revision,
  nextExpectedRevision: rows[rows.length - 1]!.revision,
  firstPosition: rows[0]!.position,
  lastPosition: rows[rows.length - 1]!.position,
});

export interface CommandWriterConfig {
  readonly address: string;
  readonly names: EsdbNames;
  readonly claimLeaseMs: number;
}

/**
 * Exactly-once appends on EventStoreDB: the claim protocol of command-claims.ts around each append,
 * and commandResult, which finishes whatever a dead writer left half done.
 */
export const esdbCommandWriter = (streams: EsdbStreams, config: CommandWriterConfig) => {
  const { names } = config;
  const { appendTo, lastEvent, streamRows, streamHead } = streams;

  const readClaim = async (commandId: string): Promise<ClaimState> => {
    const name = names.commandStream(commandId);
    return claimStateOf(await lastEvent(name), name);
  };

  /** Compare-and-set on the claim stream: the new revision, or undefined if someone moved it first. */
  const casClaim = async (commandId: string, revision: number | undefined, event: EventData): Promise<number | undefined> => {
    const done = await appendTo(names.commandStream(commandId), [event], revision === undefined ? NO_STREAM : BigInt(revision));
    return done.ok ? (revision ?? -1) + 1 : undefined;
  };

  /** The rows a command wrote, if they landed: its derived event ids, in order, after a revision. */
  const findLanded = async (commandId: string, streamId: string, afterRevision: number): Promise<StoredRow[] | undefined> => {
    const ids = deriveEventIds(commandId, MAX_EVENTS_PER_APPEND);
    for (let from = afterRevision + 1; ; ) {
      const page = await streamRows(streamId, from, 'forwards', READ_PAGE_SIZE);
      const first = page.find((r) => r.eventId === ids[0]);
      if (first !== undefined) {
        const run = await streamRows(streamId, first.revision, 'forwards', MAX_EVENTS_PER_APPEND);
        const end = run.findIndex((r, i) => r.eventId !== ids[i]);
        return end < 0 ? run : run.slice(0, end);
      }
      if (page.length < READ_PAGE_SIZE) return undefined;
      from = page[page.length - 1]!.revision + 1;
    }
  };

  const completed = (rows: readonly StoredRow[]) => ({ fingerprint: appendFingerprint(rows[0]!.streamId, rows), result: resultOfRows(rows) });

  /** Records a landed command; if the claim moved meanwhile, whoever holds it now finds the rows itself. */
  const complete = async (commandId: string, claimRevision: number, rows: readonly StoredRow[]): Promise<void> => {
    const { fingerprint, result } = completed(rows);
    let revision: number | undefined = claimRevision;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if ((await casClaim(commandId, revision, completedEvent(fingerprint, result))) !== undefined) return;
      const now = await readClaim(commandId);
      if (now.kind !== 'free') return;
      revision = now.revision;
    }
  };

  /** A released claim whose events landed after all (a writer slower than the lease) is completed now. */
  const settleHistory = async (commandId: string, revision: number | undefined, history: ClaimHistory): Promise<boolean> => {
    const landed = await findLanded(commandId, history.streamId, history.afterRevision);
    if (landed === undefined) return false;
    const { fingerprint, result } = completed(landed);
    await casClaim(commandId, revision, completedEvent(fingerprint, result));
    return true;
  };

  /** Finishes a claim left by a writer that stopped between the steps, once its lease has run out. */
  const recover = async (commandId: string, state: Extract<ClaimState, { kind: 'claimed' }>): Promise<void> => {
    const { claim } = state;
    const landed = await findLanded(commandId, claim.streamId, claim.afterRevision);
    if (landed !== undefined) {
      const { fingerprint, result } = completed(landed);
      await casClaim(commandId, state.revision, completedEvent(fingerprint, result));
      return;
    }
    const age = Date.now() - state.claimedAt;
    if (age < config.claimLeaseMs) {
      await sleep(Math.min(config.claimLeaseMs - age, 100));
      return;
    }
    await casClaim(commandId, state.revision, releasedEvent({ streamId: claim.streamId, afterRevision: claim.afterRevision }));
  };

  /** The answer to a command already recorded, or undefined when the caller may go ahead. */
  const settled = (input: ValidAppend, state: Extract<ClaimState, { kind: 'completed' }>): AppendResultEither =>
    state.fingerprint === input.fingerprint ? E.right(state.result) : E.left(commandIdReused(input.commandId, state.result.streamId, state.result.firstPosition));

  const write = async (input: ValidAppend): Promise<AppendResultEither> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [state, head] = await Promise.all([readClaim(input.commandId), streamHead(input.streamId)]);
      if (state.kind === 'completed') return settled(input, state);
      if (state.kind === 'claimed') {
        await recover(input.commandId, state);
        continue;
      }
      // Read after the head, so a slow writer's events are either seen here or make our append conflict.
      if (state.history !== undefined && (await settleHistory(input.commandId, state.revision, state.history))) continue;
      const plan = planAppend(input, head, undefined);
      if (E.isLeft(plan)) return plan;
      if (plan.right.kind !== 'write') throw new Error('unreachable: no prior command record was given');
      const { rows } = plan.right;
      const afterRevision = head?.revision ?? -1;
      const sameStream = state.history?.streamId === input.streamId;
      const claim = {
        commandId: input.commandId,
        fingerprint: input.fingerprint,
        streamId: input.streamId,
        afterRevision: sameStream ? Math.min(state.history!.afterRevision, afterRevision) : afterRevision,
      };
      const claimRevision = await casClaim(input.commandId, state.revision, claimedEvent(claim));
      if (claimRevision === undefined) continue;
      const appended = await appendTo(names.toEsdb(input.streamId), rows.map(rowToEsdbEvent), head === undefined ? NO_STREAM : BigInt(head.revision));
      if (!appended.ok) {
        await casClaim(input.commandId, claimRevision, releasedEvent({ streamId: claim.streamId, afterRevision: claim.afterRevision }));
        // The hash chain makes every append exact; a caller that asked for less only lost a race.
        if (input.expectedRevision === 'any' || (input.expectedRevision === 'exists' && appended.actual !== 'no_stream')) continue;
        return E.left(wrongExpectedRevision(input.streamId, input.expectedRevision, appended.actual));
      }
      // One event written just now needs no read: the server gave its position, and it is ours.
      // Otherwise read the write back: it gives every event's position and proves the ids at those
      // revisions are ours (the server dedupes equal ids, so a slower twin's batch could sit there).
      const written =
        rows.length === 1 && appended.position !== undefined ? [{ ...rows[0]!, position: appended.position }] : await streamRows(input.streamId, rows[0]!.revision, 'forwards', rows.length);
      const ours = written.length === rows.length && written.every((r, i) => r.eventId === rows[i]!.eventId && r.hash === rows[i]!.hash);
      const landed = ours ? written : await findLanded(input.commandId, input.streamId, afterRevision);
      if (landed === undefined) throw new StoreError('IO_FAILURE', `EventStoreDB at ${config.address} acknowledged the append to ${input.streamId} but its events are not readable`);
      await complete(input.commandId, claimRevision, landed);
      const done = completed(landed);
      return settled(input, { kind: 'completed', revision: claimRevision, ...done });
    }
    throw new StoreError('IO_FAILURE', `EventStoreDB at ${config.address}: gave up on command ${input.commandId} after ${MAX_ATTEMPTS} contended attempts`);
  };

  const commandResult = async (commandId: string): Promise<AppendResult | undefined> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const state = await readClaim(commandId);
      if (state.kind === 'completed') return state.result;
      if (state.kind === 'claimed') await recover(commandId, state);
      else if (state.history === undefined || !(await settleHistory(commandId, state.revision, state.history))) return undefined;
    }
    throw new StoreError('IO_FAILURE', `EventStoreDB at ${config.address}: command ${commandId} stayed contended`);
  };

  return { write, commandResult };
};
