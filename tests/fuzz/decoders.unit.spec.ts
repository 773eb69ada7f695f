import { canonicalJson } from '@ballast/domain';
import * as fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { boundaryInput, prototypeIsClean } from './arbitraries';
import { DECODERS } from './decoder-table';
import { fuzzParams, fuzzTimeoutMs } from './fuzz-settings';
import { expectClearRefusal, MAX_MESSAGE_CHARS_PER_ISSUE } from './refusals';

// Cases per decoder and property in CI; BALLAST_FUZZ_RUNS sets it for the long mode.
const CI_RUNS = 200;
const TIMEOUT_MS = fuzzTimeoutMs(CI_RUNS, 2);

describe('fuzzed decoders: garbage and near-valid input is refused as data, never thrown', () => {
  it.each(DECODERS.map((d) => [d.name, d] as const))('%s has a valid example of every member', (_, d) => {
    expect(d.missing).toEqual([]);
    expect(d.examples.length).toBeGreaterThan(0);
    for (const example of d.examples) expect(E.isRight(d.decode(example))).toBe(true);
  });

  it.each(DECODERS.map((d) => [d.name, d] as const))(
    '%s: never throws; refuses as INVALID_INPUT naming each field; re-encodes what it accepts; `is` answers a boolean',
    (_, d) => {
      fc.assert(
        fc.property(boundaryInput(d.examples), (input) => {
          expect(typeof d.codec.is(input)).toBe('boolean');
          const result = d.decode(input);
          expect(prototypeIsClean()).toBe(true);
          if (E.isLeft(result)) {
            expectClearRefusal(result.left);
            expect(result.left.message.length).toBeLessThanOrEqual(
              MAX_MESSAGE_CHARS_PER_ISSUE * result.left.issues.length,
            );
            return;
          }
          // Accepted: the wire form it encodes to is accepted again and encodes the same, and the value is one `is` knows.
          const wire = d.codec.encode(result.right) as unknown;
          const again = d.decode(wire);
          expect(E.isRight(again)).toBe(true);
          if (E.isRight(again)) expect(canonicalJson(d.codec.encode(again.right))).toBe(canonicalJson(wire));
          expect(d.codec.is(result.right)).toBe(true);
        }),
        fuzzParams(CI_RUNS),
      );
    },
    TIMEOUT_MS,
  );
});
