import { canonicalJson } from '@ballast/domain';
import {
  canonicalEnvelope,
  chainHash,
  GENESIS_HASH,
  MAX_EVENTS_PER_APPEND,
  READ_PAGE_SIZE,
  StoreError,
  type AppendResultEither,
  type EventStore,
} from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { firstValueFrom, take, toArray } from 'rxjs';
import { collect, deposit, type StoreFactory } from './fixtures';

const right = <A>(e: E.Either<unknown, A>): A => {
  if (E.isLeft(e)) throw new Error(`expected success, got ${JSON.stringify(e.left)}`);
  return e.right;
};
const left = (e: AppendResultEither) => {
  if (E.isRight(e)) throw new Error(`expected a refusal, got ${JSON.stringify(e.right)}`);
  return e.left;
};

/**
 * The definition of "an event store": every adapter runs exactly this suite. The model-based test
 * (model.ts) complements it with random sequences against a simple model.
 */
export const describeEventStoreContract = (name: string, open: StoreFactory, { contiguous = true } = {}): void => {
  /** Embedded stores number events 1, 2, 3, …; EventStoreDB's positions are log offsets that only increase. */
  const expectPositions = (positions: readonly number[], count: number): void => {
    expect(positions).toHaveLength(count);
    if (contiguous) expect(positions).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    else expect(positions.every((p, i) => p >= 1 && (i === 0 || p > positions[i - 1]!))).toBe(true);
  };

  describe(`${name}: event store contract`, () => {
    let store: EventStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      const fixture = await open();
      store = fixture.store;
      dispose = () => fixture.dispose();
    });
    afterEach(async () => dispose());

    describe('append', () => {
      it('gives 0-based revisions and increasing global positions from 1, and records the command and metadata', async () => {
        const first = right(
          await store.append('treasury-a', [deposit('10'), deposit('2.5')], {
            expectedRevision: 'no_stream',
            commandId: 'cmd-1',
          }),
        );
        expect(first).toEqual({
          streamId: 'treasury-a',
          firstRevision: 0,
          nextExpectedRevision: 1,
          firstPosition: expect.any(Number),
          lastPosition: expect.any(Number),
        });
        const second = right(
          await store.append('treasury-b', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'cmd-2' }),
        );
        expect(second).toEqual({
          streamId: 'treasury-b',
          firstRevision: 0,
          nextExpectedRevision: 0,
          firstPosition: second.lastPosition,
          lastPosition: expect.any(Number),
        });
        expectPositions([first.firstPosition, first.lastPosition, second.firstPosition], 3);
        const [event] = await collect(store.readStream('treasury-a', { maxCount: 1 }));
        expect(event).toMatchObject({
          streamId: 'treasury-a',
          revision: 0,
          position: first.firstPosition,
          type: 'FundsDeposited',
          version: 1,
          data: { amount: '10' },
          metadata: { actor: 'agent-1', correlationId: 'corr-1', commandId: 'cmd-1' },
        });
        expect(event!.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(await store.headPosition()).toBe(second.lastPosition);
        expect(await store.streamHead('treasury-a')).toEqual({
          streamId: 'treasury-a',
          revision: 1,
          hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        expect(await store.streamHead('treasury-none')).toBeUndefined();
      });

      it('checks every kind of expected revision and reports the actual one on conflict', async () => {
        expect(
          left(await store.append('s-1', [deposit('1')], { expectedRevision: 'exists', commandId: 'a' })),
        ).toMatchObject({
          code: 'WRONG_EXPECTED_REVISION',
          streamId: 's-1',
          expected: 'exists',
          actual: 'no_stream',
        });
        expect(left(await store.append('s-1', [deposit('1')], { expectedRevision: 0, commandId: 'b' }))).toMatchObject({
          actual: 'no_stream',
        });
        right(
          await store.append('s-1', [deposit('1'), deposit('2')], { expectedRevision: 'no_stream', commandId: 'c' }),
        );
        expect(
          left(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'd' })),
        ).toMatchObject({ expected: 'no_stream', actual: 1 });
        expect(left(await store.append('s-1', [deposit('1')], { expectedRevision: 0, commandId: 'e' }))).toMatchObject({
          expected: 0,
          actual: 1,
        });
        expect(
          right(await store.append('s-1', [deposit('3')], { expectedRevision: 1, commandId: 'f' }))
            .nextExpectedRevision,
        ).toBe(2);
        expect(
          right(await store.append('s-1', [deposit('4')], { expectedRevision: 'exists', commandId: 'g' }))
            .nextExpectedRevision,
        ).toBe(3);
        expect(
          right(await store.append('s-1', [deposit('5')], { expectedRevision: 'any', commandId: 'h' }))
            .nextExpectedRevision,
        ).toBe(4);
        expect(
          right(await store.append('s-2', [deposit('5')], { expectedRevision: 'any', commandId: 'i' }))
            .nextExpectedRevision,
        ).toBe(0);
        expect((await collect(store.readAll())).map((e) => e.metadata.commandId)).toEqual([
          'c',
          'c',
          'f',
          'g',
          'h',
          'i',
        ]);
      });

      it('G2: a retry with the same command id and events returns the first result and appends nothing', async () => {
        const first = right(
          await store.append('s-1', [deposit('1'), deposit('2')], {
            expectedRevision: 'no_stream',
            commandId: 'pay-1',
          }),
        );
        const second = right(await store.append('s-1', [deposit('3')], { expectedRevision: 1, commandId: 'pay-2' }));
        // The retry carries a stale expected revision, as a client retrying after a lost reply would.
        const retry = right(
          await store.append('s-1', [deposit('1'), deposit('2')], {
            expectedRevision: 'no_stream',
            commandId: 'pay-1',
          }),
        );
        expect(retry).toEqual(first);
        expect(await store.headPosition()).toBe(second.lastPosition);
        expect(await collect(store.readAll())).toHaveLength(3);
        expect(await store.commandResult('pay-1')).toEqual(first);
        expect(await store.commandResult('never-sent')).toBeUndefined();
      });

      it('refuses the same command id with different events, or on another stream, naming the first use', async () => {
        const first = right(await store.append('s-1', [deposit('1')], { expectedRevision: 'any', commandId: 'pay-1' }));
        for (const [stream, events] of [
          ['s-1', [deposit('2')]],
          ['s-1', [deposit('1'), deposit('1')]],
          ['s-2', [deposit('1')]],
        ] as const) {
          expect(
            left(await store.append(stream, events, { expectedRevision: 'any', commandId: 'pay-1' })),
          ).toMatchObject({
            code: 'COMMAND_ID_REUSED',
            commandId: 'pay-1',
            originalStreamId: 's-1',
            originalFirstPosition: first.firstPosition,
          });
        }
        expect(await store.headPosition()).toBe(first.lastPosition);
        expect(await collect(store.readAll())).toHaveLength(1);
      });

      it('commits concurrent appends to one stream exactly once: one wins, the rest conflict', async () => {
        right(await store.append('s-1', [deposit('1')], { expectedRevision: 'no_stream', commandId: 'seed' }));
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            store.append('s-1', [deposit(String(i))], { expectedRevision: 0, commandId: `race-${i}` }),
          ),
        );
        expect(results.filter(E.isRight)).toHaveLength(1);
        expect(results.filter(E.isLeft).map((r) => left(r))).toEqual(
          Array(7).fill(expect.objectContaining({ code: 'WRONG_EXPECTED_REVISION', actual: 1 })),
        );
      });

      it('commits concurrent appends to many streams with unique positions, each event once', async () => {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) =>
            store.append(`s-${i % 7}`, [deposit(String(i)), deposit('1')], {
              expectedRevision: 'any',
              commandId: `c-${i}`,
            }),
          ),
        );
        const positions = results.flatMap((r) => {
          const ok = right(r);
          return [ok.firstPosition, ok.lastPosition];
        });
        const read = (await collect(store.readAll())).map((e) => e.position);
        expectPositions(read, 100);
        expect([...positions].sort((a, b) => a - b)).toEqual(read);
        expect((await store.verify()).ok).toBe(true);
      });
    });

    describe('reads', () => {
      const fill = async (stream: string, count: number, commandPrefix: string) => {
        for (let done = 0; done < count;) {
          const n = Math.min(400, count - done);
          right(
            await store.append(
              stream,
              Array.from({ length: n }, (_, i) => deposit(String(done + i))),
              { expectedRevision: 'any', commandId: `${commandPrefix}-${done}` },
            ),
          );
          done += n;
        }
      };

      it('reads a stream forwards and backwards across pages, from any revision, up to maxCount', async () => {
        const total = READ_PAGE_SIZE * 2 + 17;
        await fill('s-long', total, 'long');
        await fill('s-other', 3, 'other');
        const amounts = (events: { data: Record<string, unknown> }[]) => events.map((e) => Number(e.data.amount));
        expect(amounts(await collect(store.readStream('s-long')))).toEqual(Array.from({ length: total }, (_, i) => i));
        expect(amounts(await collect(store.readStream('s-long', { direction: 'backwards' })))).toEqual(
          Array.from({ length: total }, (_, i) => total - 1 - i),
        );
        expect(amounts(await collect(store.readStream('s-long', { from: 600, maxCount: 3 })))).toEqual([600, 601, 602]);
        expect(
          amounts(await collect(store.readStream('s-long', { from: 600, direction: 'backwards', maxCount: 3 }))),
        ).toEqual([600, 599, 598]);
        expect(
          amounts(await collect(store.readStream('s-long', { from: 'end', direction: 'backwards', maxCount: 1 }))),
        ).toEqual([total - 1]);
        expect(
          amounts(await collect(store.readStream('s-long', { from: total + 5, direction: 'backwards', maxCount: 2 }))),
        ).toEqual([total - 1, total - 2]);
        expect(await collect(store.readStream('s-long', { from: 'end' }))).toEqual([]);
        expect(await collect(store.readStream('s-long', { from: total }))).toEqual([]);
        expect(await collect(store.readStream('s-missing'))).toEqual([]);
        expect(await collect(store.readStream('s-missing', { direction: 'backwards' }))).toEqual([]);
      });

      it('reads all streams in global order from an inclusive position, across pages', async () => {
        await fill('s-a', READ_PAGE_SIZE + 5, 'a');
        await fill('s-b', 10, 'b');
        const all = await collect(store.readAll());
        expectPositions(
          all.map((e) => e.position),
          READ_PAGE_SIZE + 15,
        );
        // A reader resumes from one past the last position it saw.
        expect(
          (await collect(store.readAll({ fromPosition: all[READ_PAGE_SIZE + 4]!.position + 1, maxCount: 2 }))).map(
            (e) => [e.streamId, e.revision],
          ),
        ).toEqual([
          ['s-b', 0],
          ['s-b', 1],
        ]);
        expect(await collect(store.readAll({ fromPosition: all[all.length - 1]!.position + 1 }))).toEqual([]);
      });

      it('subscribes: catches up, then goes live, every event once and in order, even while appends race the switch', async () => {
        await fill('s-a', READ_PAGE_SIZE * 2 + 3, 'a');
        const before = (await collect(store.readAll())).map((e) => e.position);
        const extra = 40;
        const received = firstValueFrom(
          store.subscribe({ fromPosition: before[3]! + 1 }).pipe(take(before.length - 4 + extra), toArray()),
        );
        for (let i = 0; i < extra; i++)
          right(
            await store.append(`s-live-${i % 3}`, [deposit(String(i))], {
              expectedRevision: 'any',
              commandId: `live-${i}`,
            }),
          );
        const positions = (await received).map((e) => e.position);
        expect(positions).toEqual((await collect(store.readAll())).map((e) => e.position).slice(4));
        expect(positions.slice(0, before.length - 4)).toEqual(before.slice(4));
      });
    });

    describe('hash chain', () => {
      it('chains every event of a stream from the genesis hash over its canonical envelope', async () => {
        right(await store.append('s-1', [deposit('1'), deposit('2')], { expectedRevision: 'any', commandId: 'c1' }));
        right(await store.append('s-2', [deposit('3')], { expectedRevision: 'any', commandId: 'c2' }));
        right(await store.append('s-1', [deposit('4')], { expectedRevision: 'any', commandId: 'c3' }));
        const events = await collect(store.readStream('s-1'));
        let prev = GENESIS_HASH;
        for (const e of events) {
          const envelope = {
            streamId: e.streamId,
            revision: e.revision,
            eventId: e.eventId,
            type: e.type,
            version: e.version,
            data: e.data,
            metadata: e.metadata,
          };
          const canonical = canonicalJson(envelope);
          expect(
            canonicalEnvelope({ ...e, dataJson: canonicalJson(e.data), metadataJson: canonicalJson(e.metadata) }),
          ).toBe(canonical);
          expect(e.hash).toBe(chainHash(prev, canonical));
          prev = e.hash;
        }
        expect(await store.verify()).toEqual({
          ok: true,
          streams: 2,
          events: 4,
          headPosition: await store.headPosition(),
        });
      });
    });

    describe('G5: bad input is refused with a clear error and appends nothing', () => {
      const ok = deposit('1');
      const cases: [string, unknown, unknown, unknown, string][] = [
        ['a stream id with a space', 'treasury a', [ok], { expectedRevision: 'any', commandId: 'x' }, 'streamId'],
        ['a system stream id', '$all', [ok], { expectedRevision: 'any', commandId: 'x' }, 'streamId'],
        ['an over-long stream id', 's'.repeat(129), [ok], { expectedRevision: 'any', commandId: 'x' }, 'streamId'],
        ['no events', 's-1', [], { expectedRevision: 'any', commandId: 'x' }, 'events'],
        ['events that are not an array', 's-1', ok, { expectedRevision: 'any', commandId: 'x' }, 'events'],
        [
          'too many events',
          's-1',
          Array(MAX_EVENTS_PER_APPEND + 1).fill(ok),
          { expectedRevision: 'any', commandId: 'x' },
          'events',
        ],
        [
          'a float amount',
          's-1',
          [ok, { ...ok, data: { amount: 0.1 } }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[1].data.amount',
        ],
        [
          'NaN',
          's-1',
          [{ ...ok, data: { amount: NaN } }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].data.amount',
        ],
        [
          'Infinity',
          's-1',
          [{ ...ok, data: { amount: Infinity } }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].data.amount',
        ],
        [
          'an unknown event field',
          's-1',
          [{ ...ok, amount: '1' }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].amount',
        ],
        [
          'an unknown metadata field',
          's-1',
          [{ ...ok, metadata: { user: 'x' } }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].metadata.user',
        ],
        [
          'a lower-case event type',
          's-1',
          [{ ...ok, type: 'deposited' }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].type',
        ],
        [
          'schema version 0',
          's-1',
          [{ ...ok, version: 0 }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].version',
        ],
        [
          'data that is an array',
          's-1',
          [{ ...ok, data: [1] }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0].data',
        ],
        [
          'an oversized event',
          's-1',
          [{ ...ok, data: { memo: 'x'.repeat(70_000) } }],
          { expectedRevision: 'any', commandId: 'x' },
          'events[0]',
        ],
        [
          'a negative expected revision',
          's-1',
          [ok],
          { expectedRevision: -1, commandId: 'x' },
          'options.expectedRevision',
        ],
        [
          'a fractional expected revision',
          's-1',
          [ok],
          { expectedRevision: 1.5, commandId: 'x' },
          'options.expectedRevision',
        ],
        [
          'an unknown expected revision',
          's-1',
          [ok],
          { expectedRevision: 'latest', commandId: 'x' },
          'options.expectedRevision',
        ],
        ['a missing command id', 's-1', [ok], { expectedRevision: 'any' }, 'options.commandId'],
        ['an empty command id', 's-1', [ok], { expectedRevision: 'any', commandId: '' }, 'options.commandId'],
        ['an unknown option', 's-1', [ok], { expectedRevision: 'any', commandId: 'x', force: true }, 'options.force'],
        ['no options', 's-1', [ok], undefined, 'options'],
      ];
      it.each(cases)('refuses %s', async (_label, stream, events, options, path) => {
        const refusal = left(await store.append(stream as string, events as never, options as never));
        expect(refusal).toMatchObject({
          code: 'INVALID_INPUT',
          issues: expect.arrayContaining([expect.objectContaining({ path })]),
        });
        expect(refusal.message).toContain(path);
        expect(await store.headPosition()).toBe(0);
        expect(await collect(store.readAll())).toEqual([]);
      });

      it('refuses a whole batch when one event is bad: all or nothing', async () => {
        const good = right(await store.append('s-1', [ok], { expectedRevision: 'any', commandId: 'good' }));
        left(
          await store.append('s-1', [ok, ok, { ...ok, data: { amount: Number.POSITIVE_INFINITY } }], {
            expectedRevision: 'any',
            commandId: 'bad',
          }),
        );
        expect(await store.headPosition()).toBe(good.lastPosition);
        expect((await store.streamHead('s-1'))?.revision).toBe(0);
      });

      it.each([
        ['readStream with a bad stream id', (s: EventStore) => s.readStream('$bad')],
        ['readStream with maxCount 0', (s: EventStore) => s.readStream('s-1', { maxCount: 0 })],
        ['readStream from a negative revision', (s: EventStore) => s.readStream('s-1', { from: -1 })],
        ['readStream with an unknown direction', (s: EventStore) => s.readStream('s-1', { direction: 'up' as never })],
        ['readAll from NaN', (s: EventStore) => s.readAll({ fromPosition: NaN })],
        ['readAll with an unknown option', (s: EventStore) => s.readAll({ from: 1 } as never)],
        ['subscribe from -1', (s: EventStore) => s.subscribe({ fromPosition: -1 })],
        ['streamHead of a bad id', (s: EventStore) => s.streamHead('a b')],
      ])('throws INVALID_READ for %s', async (_label, call: (s: EventStore) => unknown) => {
        let thrown: unknown;
        try {
          await call(store);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(StoreError);
        expect((thrown as StoreError).code).toBe('INVALID_READ');
      });
    });

    it('completes open subscriptions when the store closes', async () => {
      const done = new Promise<string>((resolve, reject) =>
        store.subscribe().subscribe({ complete: () => resolve('completed'), error: reject }),
      );
      right(await store.append('s-1', [deposit('1')], { expectedRevision: 'any', commandId: 'c' }));
      await store.close();
      expect(await done).toBe('completed');
    });

    it('refuses every call once closed', async () => {
      await store.close();
      await expect(
        store.append('s-1', [deposit('1')], { expectedRevision: 'any', commandId: 'late' }),
      ).rejects.toMatchObject({ code: 'STORE_CLOSED' });
      expect(() => store.readAll()).toThrow(/closed/);
      await expect(store.headPosition()).rejects.toMatchObject({ code: 'STORE_CLOSED' });
    });
  });
};
