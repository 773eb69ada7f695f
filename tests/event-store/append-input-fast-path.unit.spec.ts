import {
  canonicalJsonReference as canonicalJson,
  Decimal,
  tryCanonicalJson as fastCanonicalJson,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import fc from 'fast-check';
import { fastValidateAppend, validateAppend, validateAppendByCodec } from '../../packages/event-store/src/append-input';

/**
 * The append path encodes and validates with hand-written fast paths; the codecs and the domain's
 * error-reporting walk (canonicalJsonReference) stay the reference. Hashes of existing stores depend on these bytes
 * being the same.
 */
const canonicalOrUndefined = (value: unknown): string | undefined => {
  try {
    return canonicalJson(value);
  } catch {
    return undefined;
  }
};

const leaf = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.integer(),
  fc.constantFrom(0, -0, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 2 ** 53, 0.5, NaN, Infinity),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(
    new Decimal('1.50'),
    new Decimal('-0'),
    new Decimal('1e-30'),
    new Decimal('123456789e20'),
    new Decimal(NaN),
  ),
  fc.constant(new Date(0)),
);

const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('array'), tie('object'), tie('nullProto')),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('a', 'b', 'B', 'é', '\u{1F600}', '__proto__')),
    tie('value'),
    { maxKeys: 6 },
  ),
  nullProto: tie('object').map((o) => Object.assign(Object.create(null) as object, o)),
})).value;

describe('fast canonical JSON', () => {
  it('gives the same bytes as canonicalJson, or declines where canonicalJson refuses', () => {
    fc.assert(
      fc.property(json, (value) => {
        const fast = fastCanonicalJson(value);
        if (fast !== undefined) expect(fast).toBe(canonicalOrUndefined(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('accepts everything canonicalJson accepts except sparse arrays', () => {
    fc.assert(
      fc.property(json, (value) => {
        if (canonicalOrUndefined(value) !== undefined) expect(fastCanonicalJson(value)).toBeDefined();
      }),
      { numRuns: 3000 },
    );
    const sparse = [1, , 2]; // eslint-disable-line no-sparse-arrays
    expect(fastCanonicalJson({ sparse })).toBeUndefined();
    expect(canonicalJson({ sparse })).toBe('{"sparse":[1,2]}');
  });

  it('refuses nesting past the limit like canonicalJson', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    expect(fastCanonicalJson(deep)).toBeUndefined();
    expect(canonicalOrUndefined(deep)).toBeUndefined();
  });
});

const id = fc.oneof(
  fc.constantFrom('s-1', 'treasury-alpha', 'a.b:c_d', '', ' bad', '$all', 'x'.repeat(129)),
  fc.string({ maxLength: 6 }),
);
const metadata = fc.record(
  {
    correlationId: id,
    causationId: id,
    actor: fc.oneof(id, fc.constant('pm:rebalancer@x')),
    policyVersion: fc.oneof(fc.integer({ min: -1, max: 1_000_001 }), fc.constant(1.5)),
    commandDigest: fc.oneof(fc.constant('a'.repeat(64)), fc.constant('A'.repeat(64)), fc.string({ maxLength: 3 })),
    commandId: fc.constant('sneaky'),
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);
const event = fc.record(
  {
    type: fc.oneof(
      fc.constantFrom('FundsDeposited', 'BetRejected', 'lowercase', '', 'X'.repeat(65)),
      fc.string({ maxLength: 4 }),
    ),
    version: fc.oneof(fc.integer({ min: -1, max: 1001 }), fc.constant(1.5), fc.constant('1')),
    data: fc.oneof(json, fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(fc.string(), fc.integer()))),
    metadata: fc.oneof(metadata, fc.constant(undefined), fc.constant(null)),
    unknown: fc.constant(true),
  },
  { requiredKeys: [] },
);
const options = fc.record(
  {
    expectedRevision: fc.oneof(fc.constantFrom('no_stream', 'any', 'exists', 'bogus', -1, 1.5), fc.nat()),
    commandId: id,
    extra: fc.constant(1),
  },
  { requiredKeys: [] },
);

describe('fast append validation', () => {
  it('decides exactly as the codecs: the same ValidAppend, or the same refusal', () => {
    fc.assert(
      fc.property(
        fc.oneof(id, fc.constant(42)),
        fc.oneof(fc.array(event, { maxLength: 4 }), fc.constant('nope')),
        fc.oneof(options, fc.constant(undefined)),
        (streamId, events, opts) => {
          const byCodec = validateAppendByCodec(streamId, events, opts);
          expect(validateAppend(streamId, events, opts)).toEqual(byCodec);
          // The fast path never accepts what the codecs refuse, and declines nothing they accept.
          const fast = fastValidateAppend(streamId, events, opts);
          expect(fast === undefined ? byCodec._tag === 'Left' : E.right(fast)).toEqual(
            fast === undefined ? true : byCodec,
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('takes the fast path for a plainly valid append, with the bytes the codecs give', () => {
    const events = [
      {
        type: 'FundsDeposited',
        version: 1,
        data: { amount: '12.50', bucket: 'reserve', at: 1767225600000, nested: { list: [1, 'two', null, true] } },
      },
      {
        type: 'BetRejected',
        version: 2,
        data: {},
        metadata: { actor: 'agent-1', correlationId: 'corr-1', policyVersion: 3, commandDigest: 'a'.repeat(64) },
      },
    ];
    const opts = { expectedRevision: 4, commandId: 'cmd-1' };
    const fast = fastValidateAppend('treasury-alpha', events, opts);
    expect(fast && E.right(fast)).toEqual(validateAppendByCodec('treasury-alpha', events, opts));
    expect(fast).toMatchObject({
      events: [
        { metadataJson: '{"commandId":"cmd-1"}' },
        { metadataJson: expect.stringContaining('"commandId":"cmd-1"') },
      ],
    });
  });
});
