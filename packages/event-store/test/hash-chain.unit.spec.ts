import { canonicalJson } from '@ballast/domain';
import fc from 'fast-check';
import { canonicalEnvelope, deriveEventId, deriveEventIds } from '../src/hash-chain';

describe('hash chain building blocks', () => {
  it('G3: the hand-written canonical envelope is byte-identical to canonicalJson of the envelope', () => {
    fc.assert(
      fc.property(
        fc.record({
          streamId: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/),
          revision: fc.nat(),
          eventId: fc.uuid(),
          type: fc.stringMatching(/^[A-Z][A-Za-z]{0,20}$/),
          version: fc.integer({ min: 1, max: 1000 }),
          data: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
          metadata: fc.record({ commandId: fc.string({ minLength: 1 }), actor: fc.string() }),
        }),
        (envelope) => {
          const row = {
            ...envelope,
            dataJson: canonicalJson(envelope.data),
            metadataJson: canonicalJson(envelope.metadata),
          };
          expect(canonicalEnvelope(row)).toBe(canonicalJson(envelope));
        },
      ),
    );
  });

  it('G2: derives the same RFC 9562 v8 event ids for the same command and index, distinct otherwise', () => {
    const ids = deriveEventIds('deposit-1', 300);
    expect(new Set(ids).size).toBe(300);
    expect(ids[7]).toBe(deriveEventId('deposit-1', 7));
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(
      true,
    );
    expect(deriveEventId('deposit-2', 0)).not.toBe(ids[0]);
  });
});
