import type { RecordedEvent } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import type { Observable } from 'rxjs';
import type { AppendResultEither } from './append-errors';
import { validateAppend } from './append-input';
import type { StoreBackend } from './backend';
import { READ_PAGE_SIZE } from './limits';
import type {
  AppendOptions,
  EventStore,
  NewEventInput,
  ReadAllOptions,
  ReadStreamOptions,
  StreamHead,
  SubscribeOptions,
  VerifyOptions,
} from './port';
import { checkCommandId, checkReadAll, checkReadStream, checkStreamId, checkSubscribe } from './read-options';
import { guardSnapshotSlots } from './snapshot-input';
import { rowToEvent, type StoredRow } from './stored-row';
import { StoreError } from './store-error';
import { catchUpThenLive } from './subscription';
import { type VerifyReport, verifyChains } from './verify';

/** Builds the EventStore port over an adapter's backend; every adapter shares this code. */
export const createEventStore = (backend: StoreBackend): EventStore => {
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw new StoreError('STORE_CLOSED', `${backend.description} is closed`);
  };

  /** Stored rows page by page (bounded memory), from a cursor, up to maxCount. */
  async function* rowPages(
    fetch: (cursor: number, limit: number) => Promise<readonly StoredRow[]>,
    start: number,
    next: (row: StoredRow) => number,
    maxCount: number,
  ) {
    let cursor = start;
    let left = maxCount;
    while (left > 0) {
      ensureOpen();
      const limit = Math.min(READ_PAGE_SIZE, left);
      const page = await fetch(cursor, limit);
      yield* page;
      left -= page.length;
      if (page.length < limit) return;
      cursor = next(page[page.length - 1]!);
    }
  }

  async function* pages(
    fetch: (cursor: number, limit: number) => Promise<readonly StoredRow[]>,
    start: number,
    next: (row: StoredRow) => number,
    maxCount: number,
  ) {
    for await (const row of rowPages(fetch, start, next, maxCount)) yield rowToEvent(row);
  }

  const readStream = (streamId: string, options?: ReadStreamOptions): AsyncIterable<RecordedEvent> => {
    ensureOpen();
    const { options: o } = checkReadStream(streamId, options);
    const direction = o.direction ?? 'forwards';
    const from = o.from ?? (direction === 'forwards' ? 'start' : 'end');
    const maxCount = o.maxCount ?? Number.MAX_SAFE_INTEGER;
    return {
      async *[Symbol.asyncIterator]() {
        let start: number;
        if (from === 'start') start = 0;
        else if (from === 'end') {
          if (direction === 'forwards') return;
          const head = await backend.streamHead(streamId);
          if (head === undefined) return;
          start = head.revision;
        } else start = from;
        const step = direction === 'forwards' ? 1 : -1;
        yield* pages(
          async (cursor, limit) => backend.streamPage(streamId, cursor, direction, limit),
          start,
          (row) => row.revision + step,
          maxCount,
        );
      },
    };
  };

  const readAll = (options?: ReadAllOptions): AsyncIterable<RecordedEvent> => {
    ensureOpen();
    const o = checkReadAll(options);
    return {
      [Symbol.asyncIterator]: () =>
        pages(
          async (cursor, limit) => backend.allPage(cursor, limit),
          o.fromPosition ?? 0,
          (row) => row.position + 1,
          o.maxCount ?? Number.MAX_SAFE_INTEGER,
        ),
    };
  };

  const subscribe = (options?: SubscribeOptions): Observable<RecordedEvent> => {
    ensureOpen();
    const o = checkSubscribe(options);
    if (backend.subscribe) return backend.subscribe(o.fromPosition ?? 0);
    return catchUpThenLive(
      async (from) => (await backend.allPage(from, READ_PAGE_SIZE)).map(rowToEvent),
      READ_PAGE_SIZE,
      backend.committed$,
      o.fromPosition ?? 0,
    );
  };

  /** Every stored row in global order, a page at a time (bounded memory), for verification. */
  async function* storedPages(): AsyncIterable<readonly StoredRow[]> {
    let cursor = 0;
    for (;;) {
      ensureOpen();
      const page = await backend.allPage(cursor, READ_PAGE_SIZE);
      if (page.length > 0) yield page;
      if (page.length < READ_PAGE_SIZE) return;
      cursor = page[page.length - 1]!.position + 1;
    }
  }

  async function* heads(walked: ReadonlySet<string>): AsyncIterable<StreamHead> {
    const { headsPage } = backend;
    if (headsPage === undefined) {
      const ids = [...walked].sort();
      for (let i = 0; i < ids.length; i += READ_PAGE_SIZE) {
        const page = await Promise.all(ids.slice(i, i + READ_PAGE_SIZE).map((id) => backend.streamHead(id)));
        yield* page.filter((h): h is StreamHead => h !== undefined);
      }
      return;
    }
    let after = '';
    for (;;) {
      const page = await headsPage(after, READ_PAGE_SIZE);
      yield* page;
      if (page.length < READ_PAGE_SIZE) return;
      after = page[page.length - 1]!.streamId;
    }
  }

  return {
    append: async (
      streamId: string,
      events: readonly NewEventInput[],
      options: AppendOptions,
    ): Promise<AppendResultEither> => {
      ensureOpen();
      if (!backend.writable)
        throw new StoreError('READ_ONLY', `${backend.description} is open read-only; appends need the writer`);
      const input = validateAppend(streamId, events, options);
      return E.isLeft(input) ? input : backend.write(input.right);
    },
    readStream,
    readAll,
    subscribe,
    streamHead: async (streamId: string) => {
      ensureOpen();
      return backend.streamHead(checkStreamId(streamId));
    },
    commandResult: async (commandId: string) => {
      ensureOpen();
      return backend.commandResult(checkCommandId(commandId));
    },
    headPosition: async () => {
      ensureOpen();
      return backend.headPosition();
    },
    verify: async (options?: VerifyOptions): Promise<VerifyReport> => {
      ensureOpen();
      return verifyChains(storedPages(), heads, options?.onEvent, options?.onHead);
    },
    ...(backend.snapshots && { snapshots: guardSnapshotSlots(backend.snapshots, ensureOpen) }),
    close: async () => {
      if (closed) return;
      closed = true;
      await backend.close();
    },
  };
};
