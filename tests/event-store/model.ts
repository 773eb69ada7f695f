import type {
  AppendResult,
  AppendResultEither,
  EventStore,
  ExpectedRevision,
  NewEventInput,
} from '@ballast/event-store';
import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { collect, type StoreFactory } from './fixtures';

/** The simplest thing that is obviously an event store: arrays in memory. */
interface Model {
  readonly streams: Map<string, { amount: string }[]>;
  /** Positions as the store assigned them: contiguous from 1 in the embedded stores, log offsets in EventStoreDB. */
  readonly log: { stream: string; amount: string; position: number }[];
  /** Whether positions must be exactly 1, 2, 3, … (the embedded stores promise that; EventStoreDB does not). */
  readonly contiguous: boolean;
  readonly commands: Map<string, { stream: string; amounts: string[]; result: AppendResult }>;
}
interface Real {
  readonly store: EventStore;
}

const STREAMS = ['s-a', 's-b', 's-c'];

type Expectation = 'correct' | 'stale' | 'any' | 'no_stream' | 'exists';

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly stream: string,
    readonly amounts: string[],
    readonly expectation: Expectation,
    readonly reuse: { index: number; same: boolean } | null,
    readonly freshId: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const used = [...m.commands.keys()];
    const reused = this.reuse && used.length > 0 ? used[this.reuse.index % used.length]! : undefined;
    const prior = reused === undefined ? undefined : m.commands.get(reused)!;
    const stream = prior && this.reuse!.same ? prior.stream : this.stream;
    const amounts = prior && this.reuse!.same ? prior.amounts : this.amounts;
    const commandId = reused ?? `cmd-${m.commands.size}-${this.freshId}`;
    const current = (m.streams.get(stream)?.length ?? 0) - 1;
    const expected: ExpectedRevision =
      this.expectation === 'correct'
        ? current < 0
          ? 'no_stream'
          : current
        : this.expectation === 'stale'
          ? current + 1
          : this.expectation;
    const events: NewEventInput[] = amounts.map((amount) => ({ type: 'Moved', version: 1, data: { amount } }));

    const actual: AppendResultEither = await r.store.append(stream, events, { expectedRevision: expected, commandId });

    if (prior) {
      const same = prior.stream === stream && prior.amounts.join() === amounts.join();
      expect(actual).toEqual(
        same
          ? E.right(prior.result)
          : E.left(expect.objectContaining({ code: 'COMMAND_ID_REUSED', originalStreamId: prior.stream })),
      );
      return;
    }
    const fits =
      expected === 'any' ||
      (expected === 'no_stream' && current < 0) ||
      (expected === 'exists' && current >= 0) ||
      (typeof expected === 'number' && expected === current && current >= 0);
    if (!fits) {
      expect(actual).toEqual(
        E.left(
          expect.objectContaining({ code: 'WRONG_EXPECTED_REVISION', actual: current < 0 ? 'no_stream' : current }),
        ),
      );
      return;
    }
    const lastKnown = m.log[m.log.length - 1]?.position ?? 0;
    expect(actual).toEqual(
      E.right({
        streamId: stream,
        firstRevision: current + 1,
        nextExpectedRevision: current + amounts.length,
        firstPosition: m.contiguous ? lastKnown + 1 : expect.any(Number),
        lastPosition: m.contiguous ? lastKnown + amounts.length : expect.any(Number),
      }),
    );
    const result = (actual as E.Right<AppendResult>).right;
    // Every new event sits after every earlier one, and the stream read agrees with the result.
    const written = await collect(r.store.readStream(stream, { from: current + 1 }));
    const positions = written.map((e) => e.position);
    expect(positions[0]).toBe(result.firstPosition);
    expect(positions[positions.length - 1]).toBe(result.lastPosition);
    expect(positions.every((p, i) => p > (i === 0 ? lastKnown : positions[i - 1]!))).toBe(true);
    const list = m.streams.get(stream) ?? [];
    for (const [i, amount] of amounts.entries()) {
      list.push({ amount });
      m.log.push({ stream, amount, position: positions[i]! });
    }
    m.streams.set(stream, list);
    m.commands.set(commandId, { stream, amounts, result });
  }
  toString = () =>
    `append(${this.stream}, [${this.amounts}], ${this.expectation}, reuse=${JSON.stringify(this.reuse)})`;
}

class ReadStreamCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly stream: string,
    readonly backwards: boolean,
    readonly from: number | undefined,
    readonly maxCount: number | undefined,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const all = (m.streams.get(this.stream) ?? []).map((e, revision) => ({ revision, amount: e.amount }));
    let expected = this.backwards
      ? all.filter((e) => this.from === undefined || e.revision <= this.from).reverse()
      : all.filter((e) => e.revision >= (this.from ?? 0));
    if (this.maxCount !== undefined) expected = expected.slice(0, this.maxCount);
    const options = {
      direction: this.backwards ? 'backwards' : 'forwards',
      ...(this.from === undefined ? {} : { from: this.from }),
      ...(this.maxCount === undefined ? {} : { maxCount: this.maxCount }),
    } as const;
    const actual = await collect(r.store.readStream(this.stream, options));
    expect(actual.map((e) => ({ revision: e.revision, amount: e.data.amount }))).toEqual(expected);
  }
  toString = () =>
    `readStream(${this.stream}, ${this.backwards ? 'backwards' : 'forwards'}, from=${this.from}, max=${this.maxCount})`;
}

/** Reads $all from the cursor just after the `afterIndex`-th event (0: from the start), as readers resume. */
class ReadAllCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly afterIndex: number,
    readonly maxCount: number,
  ) {}
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const skip = Math.min(this.afterIndex, m.log.length);
    const fromPosition = skip === 0 ? 0 : m.log[skip - 1]!.position + 1;
    const expected = m.log.slice(skip, skip + this.maxCount);
    const actual = await collect(r.store.readAll({ fromPosition, maxCount: this.maxCount }));
    expect(actual.map((e) => ({ position: e.position, stream: e.streamId, amount: e.data.amount }))).toEqual(expected);
  }
  toString = () => `readAll(after #${this.afterIndex}, ${this.maxCount})`;
}

class VerifyCommand implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(m: Model, r: Real): Promise<void> {
    const headPosition = m.log[m.log.length - 1]?.position ?? 0;
    expect(await r.store.headPosition()).toBe(headPosition);
    expect(await r.store.verify()).toEqual({ ok: true, streams: m.streams.size, events: m.log.length, headPosition });
  }
  toString = () => 'verify()';
}

const amount = fc.bigInt({ min: 0n, max: 10n ** 12n }).map((micros) => (Number(micros) / 1e6).toFixed(6));

const commands = [
  fc
    .tuple(
      fc.constantFrom(...STREAMS),
      fc.array(amount, { minLength: 1, maxLength: 4 }),
      fc.constantFrom<Expectation>('correct', 'correct', 'correct', 'stale', 'any', 'no_stream', 'exists'),
      fc.option(fc.record({ index: fc.nat(), same: fc.boolean() }), { freq: 4 }),
      fc.nat(),
    )
    .map(([s, a, e, reuse, id]) => new AppendCommand(s, a, e, reuse, id)),
  fc
    .tuple(
      fc.constantFrom(...STREAMS, 's-missing'),
      fc.boolean(),
      fc.option(fc.nat({ max: 12 }), { nil: undefined }),
      fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
    )
    .map(([s, b, f, m]) => new ReadStreamCommand(s, b, f, m)),
  fc.tuple(fc.nat({ max: 40 }), fc.integer({ min: 1, max: 50 })).map(([f, m]) => new ReadAllCommand(f, m)),
  fc.constant(new VerifyCommand()),
];

/** Random appends, conflicts, retries and reads against the model; the same for every adapter. */
export const describeEventStoreModel = (
  name: string,
  open: StoreFactory,
  { numRuns = Number(process.env.BALLAST_MODEL_RUNS ?? 60), contiguous = true, timeoutMs = 5000 } = {},
): void => {
  describe(`${name}: event store model`, () => {
    it(
      'G2: behaves like the model under random appends, conflicts, retries and reads',
      async () => {
        await fc.assert(
          fc.asyncProperty(fc.commands(commands, { maxCommands: 60 }), async (cmds) => {
            const fixture = await open();
            try {
              await fc.asyncModelRun(
                () => ({
                  model: { streams: new Map(), log: [], commands: new Map(), contiguous },
                  real: { store: fixture.store },
                }),
                cmds,
              );
            } finally {
              await fixture.dispose();
            }
          }),
          { numRuns },
        );
      },
      timeoutMs,
    );
  });
};
