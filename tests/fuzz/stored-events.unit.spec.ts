import type { JsonObject, RecordedEvent } from '@ballast/domain';
import { type AnyKind, decodeDomain, fromRecorded, KINDS, READ_ONLY_TYPES } from '@ballast/engine';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { garbage, nearValid, ownObject, prototypeIsClean, trickyString } from './arbitraries';
import { expectClearRefusal } from './refusals';
import { fuzzParams, fuzzTimeoutMs } from './fuzz-settings';
import { validExamples } from './valid-examples';

const CI_RUNS = 200;

// Each kind's events as the store holds them: the type in the envelope, the rest as data.
const storedExamples = (kind: AnyKind) =>
  validExamples(kind.eventCodec).valid.map((event) => {
    const { type, ...data } = event as { type: string };
    return { type, data };
  });

const recordedEvent = (kind: AnyKind): fc.Arbitrary<RecordedEvent> => {
  const examples = storedExamples(kind);
  const types = [...new Set([...examples.map((e) => e.type), ...READ_ONLY_TYPES])];
  return fc
    .record({
      id: fc.oneof(fc.constantFrom('alpha', 'a1'), trickyString),
      type: fc.oneof({ arbitrary: fc.constantFrom(...types), weight: 3 }, { arbitrary: trickyString, weight: 1 }),
      version: fc.oneof(fc.constantFrom(1, 2, 3, 1000), fc.integer({ min: -1, max: 1001 })),
      // The store holds a JSON object as data (it refuses anything else on append): garbage inside one.
      data: fc
        .oneof(fc.constantFrom(...examples.map((e) => e.data)), nearValid(examples.map((e) => e.data)), garbage)
        .map((d) => (typeof d === 'object' && d !== null && !Array.isArray(d) ? d : ownObject([['value', d]]))),
      revision: fc.nat(),
    })
    .map(
      ({ id, type, version, data, revision }): RecordedEvent =>
        ({
          streamId: `${kind.category}-${id}`,
          revision,
          eventId: 'e',
          type,
          version,
          data: data as JsonObject,
          metadata: { commandId: 'c-1' },
          position: revision + 1,
          hash: '0'.repeat(64),
        }) as RecordedEvent,
    );
};

describe('fuzzed stored events: the engine reads garbage history as a refusal (upcasts included), never a crash', () => {
  it.each(KINDS.map((k) => [k.category, k] as const))(
    '%s: fromRecorded refuses as INVALID_INPUT or gives a typed event; decodeDomain throws only its own Error',
    (_, kind) => {
      fc.assert(
        fc.property(recordedEvent(kind), (recorded) => {
          const result = fromRecorded(kind, recorded);
          if (E.isLeft(result)) expectClearRefusal(result.left);
          else {
            expect(typeof result.right.type).toBe('string');
            expect(Number.isSafeInteger(result.right.at)).toBe(true);
          }
          // The read models' decoding throws a plain Error (the runner retries, then parks the event), never a
          // TypeError or a RangeError from inside a decoder.
          let thrown: unknown;
          try {
            decodeDomain(recorded);
          } catch (error) {
            thrown = error;
          }
          if (E.isLeft(result)) {
            expect(thrown).toBeInstanceOf(Error);
            expect((thrown as Error).constructor).toBe(Error);
            expect((thrown as Error).message).toBe(result.left.message);
          } else expect(thrown).toBeUndefined();
          expect(prototypeIsClean()).toBe(true);
        }),
        fuzzParams(CI_RUNS),
      );
    },
    fuzzTimeoutMs(CI_RUNS, 2),
  );
});
