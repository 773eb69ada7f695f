import fc from 'fast-check';
import * as E from 'fp-ts/Either';
import { generateKeyPairSync } from 'node:crypto';
import { HeadTracker, parseAnchorLines, anchorLine, signAnchor, verifyAgainstAnchors } from '@ballast/engine';
import { type EventStore, openMemoryStore } from '@ballast/event-store';

const RUNS = Number(process.env.BALLAST_ANCHOR_RUNS ?? 60);
const { privateKey, publicKey } = generateKeyPairSync('ed25519');

/** A history: appends of 1–3 events to streams s-0…s-4, in order. */
const history = fc.array(fc.tuple(fc.nat(4), fc.integer({ min: 1, max: 3 })), { minLength: 2, maxLength: 40 });
type History = [number, number][];

const replay = async (
  h: History,
  keep: (stream: string, revision: number) => boolean = () => true,
): Promise<EventStore> => {
  const store = openMemoryStore();
  const next = new Map<string, number>();
  for (const [i, [s, n]] of h.entries()) {
    const stream = `s-${s}`;
    const events = [];
    for (let k = 0; k < n; k++) {
      const revision = (next.get(stream) ?? 0) + k;
      if (keep(stream, revision)) events.push({ type: 'Noted', version: 1, data: { i, k } });
    }
    next.set(stream, (next.get(stream) ?? 0) + n);
    if (events.length > 0) {
      const r = await store.append(stream, events, { expectedRevision: 'any', commandId: `c-${i}` });
      if (E.isLeft(r)) throw new Error(r.left.message);
    }
  }
  return store;
};

/** An anchor of the store's log after its first `cut` events, signed with the test key. */
const anchorAt = async (store: EventStore, cut: number): Promise<string> => {
  const log = new HeadTracker();
  let n = 0;
  for await (const e of store.readAll()) {
    if (n++ === cut) break;
    log.add(e);
  }
  const facts = {
    createdAt: '2026-11-27T00:00:00.000Z',
    events: log.events,
    headPosition: log.headPosition,
    heads: log.heads(),
    auditDigest: '0'.repeat(64),
  };
  return anchorLine(signAnchor(facts, privateKey));
};

describe('an anchor pins every stream head at its point (invariant: no history that lost an anchored event passes)', () => {
  it('the log it was taken of passes, also after it grew', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.nat(), async (h, pick) => {
        const store = await replay(h);
        const total = await store.headPosition();
        const line = await anchorAt(store, pick % (total + 1));
        const { anchors } = await verifyAgainstAnchors(store, parseAnchorLines(line), publicKey);
        return anchors?.ok === true;
      }),
      { seed: 20261127, numRuns: RUNS },
    );
  });

  it('the same history with any anchored stream cut short fails, naming that stream', async () => {
    await fc.assert(
      fc.asyncProperty(history, fc.nat(), fc.integer({ min: 1, max: 5 }), async (h, which, drop) => {
        const store = await replay(h);
        const total = await store.headPosition();
        const line = await anchorAt(store, total);
        const anchor = JSON.parse(line) as { heads: [string, number, string][] };
        const [stream, revision] = anchor.heads[which % anchor.heads.length]!;
        const cutFrom = Math.max(0, revision + 1 - drop);
        const cut = await replay(h, (s, r) => s !== stream || r < cutFrom);
        const { anchors } = await verifyAgainstAnchors(cut, parseAnchorLines(line), publicKey);
        return (
          anchors?.ok === false &&
          anchors.problems.some(
            (p) => p.streamId === stream && (p.code === 'STREAM_BEHIND' || p.code === 'STREAM_MISSING'),
          )
        );
      }),
      { seed: 20261127, numRuns: RUNS },
    );
  });
});
