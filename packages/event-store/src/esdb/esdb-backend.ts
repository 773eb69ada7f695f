import type { RecordedEvent } from '@ballast/domain';
import {
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  type EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  type ReadPosition,
  type ReadRevision,
  type RecordedEvent as EsdbRecordedEvent,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
  type EventData,
} from '@eventstore/db-client';
import * as E from 'fp-ts/Either';
import { Observable, Subject, type Subscriber } from 'rxjs';
import { type AppendResultEither, commandIdReused, wrongExpectedRevision } from '../append-errors';
import { appendFingerprint, type ValidAppend } from '../append-input';
import { planAppend } from '../append-plan';
import type { StoreBackend } from '../backend';
import { deriveEventIds } from '../hash-chain';
import { MAX_EVENTS_PER_APPEND, READ_PAGE_SIZE } from '../limits';
import type { AppendResult, StreamHead } from '../port';
import { rowToEvent, type StoredRow } from '../stored-row';
import { StoreError } from '../store-error';
import { type ClaimHistory, type ClaimState, claimStateOf, claimedEvent, completedEvent, releasedEvent } from './command-claims';
import { esdbFailure } from './esdb-errors';
import type { EsdbNames } from './esdb-names';
import { esdbEventToRow, rowToEsdbEvent } from './esdb-rows';

export interface EsdbBackendConfig {
  readonly client: EventStoreDBClient;
  /** host:port, for messages. */
  readonly address: string;
  readonly secure: boolean;
  readonly names: EsdbNames;
  /** How long a claim may sit unfinished before another writer may take the command over. */
  readonly claimLeaseMs: number;
}

/** Races on one command id or one stream are re-tried this often before the append gives up. */
const MAX_ATTEMPTS = 20;
/** Raw $all events read per round trip while looking for Ballast's among everybody's. */
const ALL_BATCH = 1024;
/** Looking backwards for the newest Ballast event: usually among the last few (claims follow each append), so start small and double. */
const HEAD_BATCH = 16;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Ballast positions on EventStoreDB are log positions: the prepare position of the event's record. */
const positionBefore = (position: number): ReadPosition => (position <= 0 ? START : { commit: BigInt(position - 1), prepare: BigInt(position - 1) });

export const resultOfRows = (rows: readonly StoredRow[]): AppendResult => ({
  streamId: rows[0]!.streamId,
  firstRevision: rows[0]!.revision,
  nextExpectedRevision: rows[rows.length - 1]!.revision,
  firstPosition: rows[0]!.position,
  lastPosition: rows[rows.length - 1]!.position,
});

export type EsdbBackend = StoreBackend & { subscribe(fromPosition: number): Observable<RecordedEvent> };

export const esdbBackend = (config: EsdbBackendConfig): EsdbBackend => {
  const { client, names } = config;
  const fail = (error: unknown, doing: string) => esdbFailure(config.address, config.secure, error, doing);
  const committed$ = new Subject<void>();
  const live = new Set<Subscriber<RecordedEvent>>();

  const readEvents = async (name: string, fromRevision: ReadRevision, direction: typeof FORWARDS | typeof BACKWARDS, maxCount: number): Promise<EsdbRecordedEvent[]> => {
    const out: EsdbRecordedEvent[] = [];
    try {
      for await (const resolved of client.readStream(name, { fromRevision, direction, maxCount })) if (resolved.event) out.push(resolved.event);
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw fail(error, `reading ${name}`);
    }
    return out;
  };

  const lastEvent = async (name: string) => (await readEvents(name, END, BACKWARDS, 1))[0];

  /** One append at an exact expectation; a conflict is a value carrying the actual revision. */
  const appendTo = async (name: string, events: EventData[], expectedRevision: AppendExpectedRevision): Promise<{ ok: true } | { ok: false; actual: number | 'no_stream' }> => {
    try {
      await client.appendToStream(name, events, { expectedRevision });
      return { ok: true };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        return { ok: false, actual: typeof actual === 'bigint' ? Number(actual) : 'no_stream' };
      }
      throw fail(error, `appending to ${name}`);
    }
  };

  const streamRows = async (streamId: string, fromRevision: number, direction: 'forwards' | 'backwards', limit: number): Promise<StoredRow[]> =>
    (await readEvents(names.toEsdb(streamId), BigInt(fromRevision), direction === 'forwards' ? FORWARDS : BACKWARDS, limit)).map((e) => esdbEventToRow(e, names)!);

  const streamHead = async (streamId: string): Promise<StreamHead | undefined> => {
    const last = await lastEvent(names.toEsdb(streamId));
    if (last === undefined) return undefined;
    const row = esdbEventToRow(last, names)!;
    return { streamId, revision: row.revision, hash: row.hash };
  };

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
      // Read our write back: it gives every event's position and proves the ids at those revisions
      // are ours (the server dedupes equal ids, so a slower twin's batch could sit there instead).
      const written = await streamRows(input.streamId, rows[0]!.revision, 'forwards', rows.length);
      const ours = written.length === rows.length && written.every((r, i) => r.eventId === rows[i]!.eventId && r.hash === rows[i]!.hash);
      const landed = ours ? written : await findLanded(input.commandId, input.streamId, afterRevision);
      if (landed === undefined) throw new StoreError('IO_FAILURE', `EventStoreDB at ${config.address} acknowledged the append to ${input.streamId} but its events are not readable`);
      await complete(input.commandId, claimRevision, landed);
      committed$.next();
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

  /** Ballast's rows at or after a position: $all holds everybody's events, so skip the others. */
  const allPage = async (fromPosition: number, limit: number): Promise<StoredRow[]> => {
    const rows: StoredRow[] = [];
    let min = fromPosition;
    for (;;) {
      let raw = 0;
      let last = -1;
      try {
        for await (const resolved of client.readAll({ fromPosition: positionBefore(min), direction: FORWARDS, maxCount: ALL_BATCH })) {
          raw += 1;
          const event = resolved.event;
          if (event === undefined) continue;
          last = Number(event.position.prepare);
          const row = esdbEventToRow(event, names);
          if (row !== undefined && row.position >= min && rows.length < limit) rows.push(row);
        }
      } catch (error) {
        throw fail(error, 'reading $all');
      }
      if (rows.length >= limit || raw < ALL_BATCH) return rows;
      min = last + 1;
    }
  };

  const headPosition = async (): Promise<number> => {
    let from: ReadPosition = END;
    for (let batch = HEAD_BATCH; ; batch = Math.min(batch * 2, ALL_BATCH)) {
      let raw = 0;
      let found: number | undefined;
      try {
        // Drained, not returned from: an abandoned read keeps the client from ever disposing.
        const page = client.readAll({ fromPosition: from, direction: BACKWARDS, maxCount: batch });
        for await (const resolved of page) {
          raw += 1;
          const event: EsdbRecordedEvent | undefined = resolved.event;
          if (event === undefined || event.position === undefined) continue;
          if (found === undefined && names.fromEsdb(event.streamId) !== undefined) found = Number(event.position.prepare);
          from = event.position;
        }
      } catch (error) {
        throw fail(error, 'reading $all backwards');
      }
      if (found !== undefined) return found;
      if (raw < batch) return 0;
    }
  };

  // verify() pages heads by id; one scan of $all per verify gives the stream list, then each head is read.
  let headIds: string[] = [];
  const headsPage = async (after: string, limit: number): Promise<StreamHead[]> => {
    if (after === '') {
      const ids = new Set<string>();
      for (let from = 0; ; ) {
        const page = await allPage(from, READ_PAGE_SIZE);
        for (const row of page) ids.add(row.streamId);
        if (page.length < READ_PAGE_SIZE) break;
        from = page[page.length - 1]!.position + 1;
      }
      headIds = [...ids].sort();
    }
    const page = headIds.filter((id) => id > after).slice(0, limit);
    const heads = await Promise.all(page.map(streamHead));
    return heads.filter((h): h is StreamHead => h !== undefined);
  };

  /** A catch-up subscription to $all, filtered on the server to Ballast's streams. */
  const subscribe = (fromPosition: number): Observable<RecordedEvent> =>
    new Observable<RecordedEvent>((subscriber) => {
      const subscription = client.subscribeToAll({ fromPosition: positionBefore(fromPosition), filter: streamNameFilter({ prefixes: [names.dataPrefix] }) });
      live.add(subscriber);
      subscription.on('data', (resolved: { event?: EsdbRecordedEvent }) => {
        const row = resolved.event === undefined ? undefined : esdbEventToRow(resolved.event, names);
        if (row !== undefined && row.position >= fromPosition) subscriber.next(rowToEvent(row));
      });
      subscription.on('error', (error: unknown) => subscriber.error(fail(error, 'subscribed to $all')));
      subscription.on('end', () => subscriber.complete());
      return () => {
        live.delete(subscriber);
        void subscription.unsubscribe();
      };
    });

  return {
    description: `EventStoreDB at ${config.address}`,
    writable: true,
    write,
    streamPage: streamRows,
    allPage,
    headsPage,
    streamHead,
    commandResult,
    headPosition,
    committed$,
    subscribe,
    close: async () => {
      for (const subscriber of [...live]) subscriber.complete();
      committed$.complete();
      await client.dispose();
    },
  };
};
