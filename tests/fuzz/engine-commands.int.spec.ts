import {
  agentPreset,
  decodeInput,
  defaultPoolConfig,
  type InvalidInput,
  PoolConfigCodec,
  TreasuryConfigCodec,
} from '@ballast/domain';
import { type AnyKind, type Ballast, type EventContext, KINDS, openBallast } from '@ballast/engine';
import { type EventStore, openMemoryStore, openSqliteStore } from '@ballast/event-store';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { tempDir } from '../event-store/fixtures';
import { boundaryInput, garbage, prototypeIsClean, trickyString } from './arbitraries';
import { DECODERS } from './decoder-table';
import { fuzzParams, fuzzTimeoutMs } from './fuzz-settings';
import { expectClearRefusal } from './refusals';
import { T0, validExamples } from './valid-examples';

const CI_RUNS = 80;

const STORES: readonly [string, () => { store: EventStore; dispose: () => Promise<void> }][] = [
  ['memory', () => ((store) => ({ store, dispose: () => store.close() }))(openMemoryStore())],
  [
    'sqlite',
    () => {
      const dir = tempDir('fuzz-engine');
      const store = openSqliteStore(join(dir.path, 'ballast.db'));
      return { store, dispose: async () => (await store.close(), dir.remove()) };
    },
  ],
];

// Commands as a caller sends them: without `at`, which the engine stamps (and refuses from a caller).
const commandExamples = (kind: AnyKind): unknown[] =>
  validExamples(kind.commandCodec).valid.map((command) => {
    const { at: _stamped, ...rest } = command as { at?: number };
    return rest;
  });

const aggregateId = fc.oneof({ arbitrary: fc.constant('alpha'), weight: 4 }, { arbitrary: trickyString, weight: 1 });

let commandSeq = 0;
const context: fc.Arbitrary<EventContext> = fc.oneof(
  { arbitrary: fc.constant(undefined).map(() => ({ commandId: `fuzz-${++commandSeq}`, actor: 'ops' })), weight: 6 },
  {
    arbitrary: fc
      .record({ commandId: trickyString, actor: fc.option(trickyString), correlationId: fc.option(garbage) })
      .map((c) => c as unknown as EventContext),
    weight: 1,
  },
);

/** An engine over a store where a treasury and a pool `alpha` are open, so commands meet real state. */
const openFixture = async (open: () => { store: EventStore; dispose: () => Promise<void> }) => {
  const { store, dispose } = open();
  let now = T0;
  const ballast = openBallast({ store, clock: { now: () => (now += 1_000) } });
  const opened = await ballast.treasuries.executeJson(
    'alpha',
    { type: 'OpenTreasury', config: TreasuryConfigCodec.encode(agentPreset()) },
    { commandId: 'setup-1' },
  );
  const deposited = await ballast.treasuries.executeJson(
    'alpha',
    { type: 'Deposit', amount: '1000' },
    { commandId: 'setup-2' },
  );
  const pool = await ballast.pools.executeJson(
    'alpha',
    { type: 'OpenPool', poolId: 'alpha', config: PoolConfigCodec.encode(defaultPoolConfig()) },
    { commandId: 'setup-3' },
  );
  for (const r of [opened, deposited, pool]) if (E.isLeft(r)) throw new Error(r.left.message);
  return { store, ballast, dispose };
};

const facadeOf = (ballast: Ballast, kind: AnyKind) =>
  (ballast as unknown as Record<string, Ballast['treasuries']>)[kind.facade]!;

describe.each(STORES)(
  'fuzzed commands through the engine on the %s store: refused as data, nothing appended',
  (_, open) => {
    let fixture: Awaited<ReturnType<typeof openFixture>>;
    beforeAll(async () => {
      fixture = await openFixture(open);
    });
    afterAll(() => fixture.dispose());

    it.each(KINDS.map((k) => [k.category, k] as const))(
      '%s: garbage and near-valid commands never throw; what the codec refuses is INVALID_INPUT and appends nothing',
      async (_, kind) => {
        const decode = decodeInput(kind.commandCodec, 'command');
        const facade = facadeOf(fixture.ballast, kind);
        await fc.assert(
          fc.asyncProperty(aggregateId, boundaryInput(commandExamples(kind)), context, async (id, input, ctx) => {
            const before = await fixture.store.headPosition();
            const result = await facade.executeJson(id, input, ctx);
            const after = await fixture.store.headPosition();
            expect(prototypeIsClean()).toBe(true);
            const codecRefuses =
              typeof input !== 'object' ||
              input === null ||
              'at' in input ||
              E.isLeft(decode({ ...(input as object), at: T0 }));
            if (codecRefuses) {
              expect(E.isLeft(result)).toBe(true);
              if (E.isLeft(result)) expectClearRefusal(result.left as InvalidInput);
            }
            if (E.isLeft(result) && result.left.code === 'INVALID_INPUT') {
              expectClearRefusal(result.left as InvalidInput);
              expect(after).toBe(before);
            }
            if (E.isLeft(result)) expect(typeof result.left.code).toBe('string');
          }),
          fuzzParams(CI_RUNS),
        );
      },
      fuzzTimeoutMs(CI_RUNS, 20),
    );

    it(
      "the store's own append: garbage streams, events and options are INVALID_INPUT (or a typed refusal), nothing appended",
      async () => {
        const newEvents = DECODERS.find((d) => d.name === 'new event')!.examples;
        const events = fc.oneof(fc.array(boundaryInput(newEvents), { minLength: 0, maxLength: 3 }), garbage);
        const options = fc.oneof(
          fc.record({
            expectedRevision: fc.oneof(fc.constantFrom<unknown>('any', 'no_stream', 'stream_exists', 0, -1), garbage),
            commandId: fc.oneof(
              fc.constant('c').map(() => `append-${++commandSeq}`),
              trickyString,
            ),
          }),
          garbage,
        );
        const streamId = fc.oneof(fc.constantFrom('fuzz-a', 'treasury-alpha'), trickyString, garbage);
        await fc.assert(
          fc.asyncProperty(streamId, events, options, async (stream, evs, opts) => {
            const before = await fixture.store.headPosition();
            const result = await fixture.store.append(stream as string, evs as never, opts as never);
            const after = await fixture.store.headPosition();
            if (E.isRight(result)) return;
            expect(['INVALID_INPUT', 'WRONG_EXPECTED_REVISION', 'COMMAND_ID_REUSED']).toContain(result.left.code);
            if (result.left.code === 'INVALID_INPUT') expectClearRefusal(result.left);
            expect(after).toBe(before);
          }),
          fuzzParams(CI_RUNS),
        );
      },
      fuzzTimeoutMs(CI_RUNS, 20),
    );
  },
);
