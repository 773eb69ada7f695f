import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { type AnchorHead, headsRoot, sortHeads } from '@ballast/engine';

const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
const heads = fc.uniqueArray(fc.tuple(fc.string({ maxLength: 12 }), fc.nat(1000), hex64), {
  selector: ([id]) => id,
  minLength: 1,
  maxLength: 40,
});
const sha = (...parts: (string | Buffer)[]) => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();

describe('the Merkle root of stream heads an anchor signs', () => {
  it('is sha256(0x00 ‖ leaf) for one head and sha256(0x01 ‖ l ‖ r) for two (RFC 6962 prefixes)', () => {
    const a: AnchorHead = ['a', 0, '1'.repeat(64)];
    const b: AnchorHead = ['b', 3, '2'.repeat(64)];
    const leaf = (h: AnchorHead) => sha(Buffer.from([0]), JSON.stringify(h));
    expect(headsRoot([a])).toBe(leaf(a).toString('hex'));
    expect(headsRoot([a, b])).toBe(sha(Buffer.from([1]), leaf(a), leaf(b)).toString('hex'));
    // An odd node is carried up: three heads are ((a b) c).
    const c: AnchorHead = ['c', 1, '3'.repeat(64)];
    expect(headsRoot([a, b, c])).toBe(
      sha(Buffer.from([1]), sha(Buffer.from([1]), leaf(a), leaf(b)), leaf(c)).toString('hex'),
    );
    expect(headsRoot([])).toBe(sha().toString('hex'));
  });

  it('changes when any one head changes its revision or hash, or a head is dropped (invariant: the root pins every head)', () => {
    fc.assert(
      fc.property(heads, fc.nat(), fc.constantFrom('revision', 'hash', 'drop'), (list, pick, change) => {
        const sorted = sortHeads([...list]);
        const root = headsRoot(sorted);
        const i = pick % sorted.length;
        const [id, revision, hash] = sorted[i]!;
        const edited = [...sorted];
        if (change === 'drop') edited.splice(i, 1);
        else
          edited[i] =
            change === 'revision'
              ? [id, revision + 1, hash]
              : [id, revision, hash.replace(/^./, (d) => (d === '0' ? '1' : '0'))];
        return headsRoot(edited) !== root;
      }),
      { seed: 20261127, numRuns: 300 },
    );
  });

  it('does not depend on the order heads were gathered in, once sorted', () => {
    fc.assert(
      fc.property(heads, (list) => headsRoot(sortHeads([...list])) === headsRoot(sortHeads([...list].reverse()))),
      { seed: 20261127, numRuns: 200 },
    );
  });
});
