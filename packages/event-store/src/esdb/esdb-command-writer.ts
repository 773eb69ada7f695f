import { setTimeout as sleep } from 'node:timers/promises';
import * as E from 'fp-ts/Either';
import { NO_STREAM, type EventData } from '@eventstore/db-client';
import { type AppendResultEither, wrongExpectedRevision } from '../append-errors';
import type { ValidAppend } from '../append-input';
import { planAppend } from '../append-plan';
import type { AppendResult, StreamHead } from '../port';
import type { PendingRow } from '../stored-row';
import { StoreError } from '../store-error';
import {
  type Claimed,
  type ClaimHistory,
  type ClaimState,
  claimStateOf,
  claimedEvent,
  completedEvent,
  releasedEvent,
} from './command-claims';
import { commandsLanded, type Landing, settled } from './command-landing';
import type { EsdbNames } from './esdb-names';
import { headCache } from './esdb-head-cache';
import { rowToEsdbEvent } from './esdb-rows';
import type { EsdbStreams } from './esdb-streams';

/** Races on one command id or one stream are re-tried this often before the append gives up. */
const MAX_ATTEMPTS = 20;

export interface CommandWriterConfig {
  readonly address: string;
  readonly names: EsdbNames;
  readonly claimLeaseMs: number;
}

/** What became of a data append: the caller's answer, or `lost` (the claim is dead; claim again). */
type Sent = AppendResultEither | 'lost';
/** A claim and its append: the answer, or the claim revision of the claim that lost its place. */
type ClaimOutcome = AppendResultEither | { readonly lostAt: number };

/**
 * Exactly-once appends on EventStoreDB with the claims of command-claims.ts. The common case is two
 * round trips: the claim (expected: no claim stream) and the append at the claimed revision, with
 * the stream's head taken from this writer's own last append. Everything else (a retry, a race, a
 * conflict, a dead writer's leftovers) reads the claim and the stream and decides from them.
 */
export const esdbCommandWriter = (streams: EsdbStreams, config: CommandWriterConfig) => {
  const { names } = config;
  const { appendTo, lastEvent, streamRows, streamHead } = streams;
  const heads = headCache();
  const { outcomeOf, landedAt } = commandsLanded(streamRows);

  const readClaim = async (commandId: string): Promise<ClaimState> => {
    const name = names.commandStream(commandId);
    return claimStateOf(await lastEvent(name), name);
  };

  /** Compare-and-set on the claim stream: the new revision, or undefined if someone moved it first. */
  const casClaim = async (
    commandId: string,
    revision: number | undefined,
    event: EventData,
  ): Promise<number | undefined> => {
    const done = await appendTo(
      names.commandStream(commandId),
      [event],
      revision === undefined ? NO_STREAM : BigInt(revision),
    );
    return done.ok ? (revision ?? -1) + 1 : undefined;
  };

  const freshHead = async (streamId: string): Promise<StreamHead | undefined> => {
    const head = await streamHead(streamId);
    heads.remember(streamId, head);
    return head;
  };

  /** Records a landed command for the next reader; if the claim moved meanwhile, the mover knows better. */
  const recordLanded = async (
    commandId: string,
    claimRevision: number | undefined,
    landing: Landing,
  ): Promise<void> => {
    await casClaim(commandId, claimRevision, completedEvent(landing.fingerprint, landing.result));
  };

  /**
   * Sends a claim's rows at its exact revision. Success (written now, or already there with the
   * same ids: the server's duplicate check) answers the caller; a conflict means some other event
   * holds the claimed place, so the claim can never land.
   */
  const send = async (input: ValidAppend, claim: Claimed, rows: readonly PendingRow[]): Promise<Sent> => {
    const appended = await appendTo(
      names.toEsdb(input.streamId),
      rows.map(rowToEsdbEvent),
      claim.afterRevision < 0 ? NO_STREAM : BigInt(claim.afterRevision),
    );
    if (!appended.ok) {
      heads.forget(input.streamId);
      // The hash chain makes every append exact; a caller that asked for less only lost a race.
      if (input.expectedRevision === 'any' || (input.expectedRevision === 'exists' && appended.actual !== 'no_stream'))
        return 'lost';
      return E.left(wrongExpectedRevision(input.streamId, input.expectedRevision, appended.actual));
    }
    if (rows.length === 1 && appended.position !== undefined) {
      // Written just now (a deduplicated retry gets no position): the server gave its place, and it is ours.
      const row = rows[0]!;
      heads.remember(input.streamId, { streamId: input.streamId, revision: row.revision, hash: row.hash });
      return E.right({
        streamId: input.streamId,
        firstRevision: row.revision,
        nextExpectedRevision: row.revision,
        firstPosition: appended.position,
        lastPosition: appended.position,
      });
    }
    // Read the write back: it gives every event's position, and the content at those revisions
    // (the server dedupes by id, so what sits there may be a twin's, or another command's under this id).
    const landing = await landedAt(input.commandId, {
      streamId: input.streamId,
      afterRevision: claim.afterRevision,
      eventCount: rows.length,
    });
    if (landing === undefined)
      throw new StoreError(
        'IO_FAILURE',
        `EventStoreDB at ${config.address} acknowledged the append to ${input.streamId} but its events are not readable`,
      );
    heads.remember(input.streamId, landing.head);
    return settled(input, landing);
  };

  /** A claim of this append at this head, and its rows; undefined when the plan refuses (decided with the record). */
  const claimAt = (
    input: ValidAppend,
    head: StreamHead | undefined,
  ): { claim: Claimed; rows: readonly PendingRow[] } | undefined => {
    const plan = planAppend(input, head, undefined);
    if (E.isLeft(plan) || plan.right.kind !== 'write') return undefined;
    const { rows } = plan.right;
    const claim = {
      commandId: input.commandId,
      fingerprint: input.fingerprint,
      streamId: input.streamId,
      afterRevision: head?.revision ?? -1,
      eventCount: rows.length,
    };
    return { claim, rows };
  };

  /**
   * Claims this append's place with a compare-and-set after a claim revision (undefined: no claim
   * stream yet), then sends its rows. `moved`: the claim stream moved (decide from the record);
   * `refused`: the plan refuses at this head (a conflict, or a retry whose answer is in the record).
   */
  const claimAndSend = async (
    input: ValidAppend,
    head: StreamHead | undefined,
    claimRevision: number | undefined,
  ): Promise<ClaimOutcome | 'moved' | 'refused'> => {
    const attempt = claimAt(input, head);
    if (attempt === undefined) return 'refused';
    if ((await casClaim(input.commandId, claimRevision, claimedEvent(attempt.claim, claimRevision))) === undefined)
      return 'moved';
    const written = (claimRevision ?? -1) + 1;
    const sent = await send(input, attempt.claim, attempt.rows);
    if (sent === 'lost') return { lostAt: written };
    // A conflict is the answer only if this claim is still the command's last word: the claim just
    // made may be an old twin's, deduplicated, with the command landed elsewhere since.
    if (
      E.isLeft(sent) &&
      sent.left.code === 'WRONG_EXPECTED_REVISION' &&
      (await readClaim(input.commandId)).revision !== written
    )
      return 'moved';
    return sent;
  };

  /**
   * Two round trips: claim a command id never seen, then append. With nothing cached, `no_stream` is
   * planned as a new stream (the append checks it), anything else reads the head first.
   */
  const fastPath = async (input: ValidAppend): Promise<ClaimOutcome | 'moved' | 'refused'> => {
    const known = heads.get(input.streamId);
    const head =
      known !== undefined || input.expectedRevision === 'no_stream' ? known : await freshHead(input.streamId);
    return claimAndSend(input, head, undefined);
  };

  /**
   * After losing the race for a stream, the claim just written is dead (its place is taken for good)
   * and still the last word on the command, unless a twin moved it: claim again at the fresh head,
   * without reading the claim back. Undefined: decide from the record.
   */
  const retryLost = async (input: ValidAppend, claimRevision: number): Promise<AppendResultEither | undefined> => {
    for (let revision = claimRevision, attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const sent = await claimAndSend(input, await freshHead(input.streamId), revision);
      if (sent === 'moved' || sent === 'refused') return undefined;
      if (!('lostAt' in sent)) return sent;
      revision = sent.lostAt;
    }
    return undefined;
  };

  /** A pending claim nobody here can finish: wait for its writer, and past the lease release it. */
  const waitOrRelease = async (commandId: string, state: Extract<ClaimState, { kind: 'claimed' }>): Promise<void> => {
    const age = Date.now() - state.claimedAt;
    if (age < config.claimLeaseMs) {
      await sleep(Math.min(config.claimLeaseMs - age, 100));
      return;
    }
    const { streamId, afterRevision, eventCount } = state.claim;
    await casClaim(
      commandId,
      state.revision,
      releasedEvent(eventCount === undefined ? { streamId, afterRevision } : { streamId, afterRevision, eventCount }),
    );
  };

  /** A released claim whose events landed after all (a writer slower than the lease) is recorded now. */
  const settleHistory = async (
    commandId: string,
    revision: number | undefined,
    history: ClaimHistory,
  ): Promise<Landing | undefined> => {
    const outcome = await outcomeOf(commandId, history);
    if (outcome.kind !== 'landed') return undefined;
    await recordLanded(commandId, revision, outcome.landing);
    return outcome.landing;
  };

  const slowPath = async (input: ValidAppend): Promise<AppendResultEither> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [state, head] = await Promise.all([readClaim(input.commandId), freshHead(input.streamId)]);
      if (state.kind === 'completed') return settled(input, state);
      if (state.kind === 'claimed') {
        const outcome = await outcomeOf(input.commandId, state.claim);
        if (outcome.kind === 'landed') {
          await recordLanded(input.commandId, state.revision, outcome.landing);
          return settled(input, outcome.landing);
        }
        if (outcome.kind === 'pending') {
          const { claim } = state;
          const mine =
            claim.fingerprint === input.fingerprint &&
            claim.streamId === input.streamId &&
            claim.eventCount !== undefined;
          const twin = mine && (head?.revision ?? -1) === claim.afterRevision ? claimAt(input, head) : undefined;
          if (twin === undefined) {
            await waitOrRelease(input.commandId, state);
            continue;
          }
          // The same events at the same place: send them too; the server lands them once.
          const sent = await send(input, claim, twin.rows);
          if (sent !== 'lost') return sent;
          continue;
        }
        // Dead: its place is taken for good, so the command id is free to claim again.
      } else if (state.history !== undefined) {
        // Read after the head, so a slow writer's events are either seen here or make our append conflict.
        const landing = await settleHistory(input.commandId, state.revision, state.history);
        if (landing !== undefined) return settled(input, landing);
      }
      const plan = planAppend(input, head, undefined);
      if (E.isLeft(plan)) return plan;
      const sent = await claimAndSend(input, head, state.revision);
      if (sent === 'moved' || sent === 'refused') continue;
      if (!('lostAt' in sent)) return sent;
      const retried = await retryLost(input, sent.lostAt);
      if (retried !== undefined) return retried;
    }
    throw new StoreError(
      'IO_FAILURE',
      `EventStoreDB at ${config.address}: gave up on command ${input.commandId} after ${MAX_ATTEMPTS} contended attempts`,
    );
  };

  const write = async (input: ValidAppend): Promise<AppendResultEither> => {
    const fast = await fastPath(input);
    if (fast === 'moved' || fast === 'refused') return slowPath(input);
    if (!('lostAt' in fast)) return fast;
    return (await retryLost(input, fast.lostAt)) ?? slowPath(input);
  };

  const commandResult = async (commandId: string): Promise<AppendResult | undefined> => {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const state = await readClaim(commandId);
      if (state.kind === 'completed') return state.result;
      if (state.kind === 'claimed') {
        const outcome = await outcomeOf(commandId, state.claim);
        if (outcome.kind === 'landed') {
          await recordLanded(commandId, state.revision, outcome.landing);
          return outcome.landing.result;
        }
        if (outcome.kind === 'dead') return undefined;
        await waitOrRelease(commandId, state);
        continue;
      }
      if (state.history === undefined) return undefined;
      return (await settleHistory(commandId, state.revision, state.history))?.result;
    }
    throw new StoreError('IO_FAILURE', `EventStoreDB at ${config.address}: command ${commandId} stayed contended`);
  };

  return { write, commandResult };
};
