import { UsedIds } from '@ballast/domain';
import { serializeState, stateDigest } from '@ballast/engine';
import fc from 'fast-check';
import { inspect } from 'node:util';

const plainWith = (ids: ReadonlySet<string>, id: string): Set<string> => new Set([...ids, id]);
const contents = (ids: ReadonlySet<string>) => ({
  size: ids.size,
  order: [...ids],
  values: [...ids.values()],
  keys: [...ids.keys()],
  entries: [...ids.entries()],
});

describe('UsedIds: the ids a treasury has used, one more per event without copying', () => {
  it('holds what a plain Set built by copying would hold, in the same order', () => {
    const a = UsedIds.with(new Set(['bet:1']), 'bet:2');
    const b = UsedIds.with(a, 'bet:1');
    expect(a).toBeInstanceOf(Set);
    expect(contents(a)).toEqual(contents(plainWith(new Set(['bet:1']), 'bet:2')));
    expect(contents(b)).toEqual(contents(a));
    expect(b.has('bet:1') && b.has('bet:2') && !b.has('bet:3')).toBe(true);
  });

  it('never changes a version it grew from, even when an older version grows another way', () => {
    const v1 = UsedIds.with(new Set(), 'bet:a');
    const v2 = UsedIds.with(v1, 'bet:b');
    const other = UsedIds.with(v1, 'escrow:c');
    const again = UsedIds.with(v1, 'bet:b');
    expect([...v1]).toEqual(['bet:a']);
    expect([...v2]).toEqual(['bet:a', 'bet:b']);
    expect([...other]).toEqual(['bet:a', 'escrow:c']);
    expect([...again]).toEqual(['bet:a', 'bet:b']);
    expect(v1.has('bet:b') || v1.has('escrow:c') || v2.has('escrow:c') || other.has('bet:b')).toBe(false);
  });

  it('is read-only', () => {
    const v = UsedIds.with(new Set(), 'bet:a') as Set<string>;
    expect(() => v.add('bet:b')).toThrow(/read-only/);
    expect(() => v.delete('bet:a')).toThrow(/read-only/);
    expect(() => v.clear()).toThrow(/read-only/);
    expect([...v]).toEqual(['bet:a']);
  });

  it('shows its ids when logged (util.inspect), not the empty native storage under them', () => {
    const v = UsedIds.with(new Set(['bet:a']), 'bet:b');
    expect(inspect(v)).toBe(inspect(new Set(['bet:a', 'bet:b'])));
  });

  it('agrees with copied plain Sets over any history of growth from any earlier version', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(), fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g')), { maxLength: 60 }),
        (steps) => {
          const persistent: ReadonlySet<string>[] = [new Set()];
          const plain: ReadonlySet<string>[] = [new Set()];
          for (const [pick, id] of steps) {
            const from = pick % persistent.length;
            persistent.push(UsedIds.with(persistent[from]!, id));
            plain.push(plainWith(plain[from]!, id));
          }
          persistent.forEach((v, i) => {
            expect(contents(v)).toEqual(contents(plain[i]!));
            for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) expect(v.has(id)).toBe(plain[i]!.has(id));
            // A state's digest and its snapshot JSON cannot tell the two apart.
            expect(stateDigest({ usedIds: v })).toBe(stateDigest({ usedIds: plain[i] }));
            expect(serializeState({ usedIds: v })).toBe(serializeState({ usedIds: plain[i] }));
          });
        },
      ),
    );
  });
});
