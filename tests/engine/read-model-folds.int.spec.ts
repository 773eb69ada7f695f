import { money, type RecordedEvent } from '@ballast/domain';
import {
  auditStore,
  auditTrail,
  AUDIT_TRAIL_LIMIT,
  BREAKER_HISTORY_LIMIT,
  breakerHistory,
  escrowStates,
  poolStates,
  type Projection,
  stateDigest,
  toStored,
  TREASURY,
  treasuryAccounts,
} from '@ballast/engine';
import * as E from 'fp-ts/Either';
import { engineOn, openTreasury, STORES } from './engine-fixtures';

const ok = async (p: Promise<E.Either<{ message: string }, unknown>>) => {
  const r = await p;
  if (E.isLeft(r)) throw new Error(r.left.message);
};

/** Every read model the audit folds in place; each must agree with its own `evolve`. */
const MODELS: Projection<unknown>[] = [
  treasuryAccounts,
  breakerHistory,
  poolStates,
  escrowStates,
  auditTrail,
] as Projection<unknown>[];

const foldByEvolve = (p: Projection<unknown>, from: unknown, events: readonly RecordedEvent[]) =>
  events.reduce((s, e) => p.evolve(s, e) as unknown, from);
const foldInPlace = (p: Projection<unknown>, from: unknown, events: readonly RecordedEvent[]) => {
  const fold = p.inPlace!(from);
  for (const e of events) fold.step(e);
  return fold.finish();
};

/**
 * A log with escrows that resolve (and drop out of escrow-states), a pool, and more breaker events
 * per treasury and more events per actor than either list keeps, so the in-place folds cut lists.
 */
const recordedLog = async (): Promise<{ log: RecordedEvent[]; audit: Awaited<ReturnType<typeof auditStore>> }> => {
  const f = engineOn(STORES[0]![1]);
  try {
    await ok(f.ballast.treasuries.execute('alpha', openTreasury, { commandId: 'open', actor: 'alpha' }));
    await ok(
      f.ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep', actor: 'alpha' }),
    );
    for (const [i, outcome] of ['release', 'refund', 'open'].entries()) {
      const escrowId = `e${i}`;
      await ok(
        f.ballast.escrows.execute(
          escrowId,
          {
            type: 'CreateEscrow',
            escrowId,
            payer: 'alpha',
            payee: 'beta',
            amount: '10',
            deadline: f.clock.now() + 86_400_000,
          },
          { commandId: `esc-${i}`, actor: 'alpha' },
        ),
      );
      if (outcome === 'refund')
        await ok(
          f.ballast.escrows.execute(
            escrowId,
            { type: 'RefundEscrow', reason: 'cancelled' },
            { commandId: `refund-${i}`, actor: 'ops' },
          ),
        );
      if (outcome === 'release')
        await ok(
          f.ballast.escrows.execute(
            escrowId,
            { type: 'ReleaseEscrow', proof: 'done' },
            { commandId: `release-${i}`, actor: 'ops' },
          ),
        );
    }
    // Recorded refusals are breaker-history entries; written straight to the store, in bulk.
    const rejections = 2 * BREAKER_HISTORY_LIMIT + 7;
    const head = (await f.store.streamHead('treasury-alpha'))!.revision;
    const events = Array.from({ length: rejections }, (_, i) =>
      toStored(
        TREASURY,
        {
          type: 'CommandRejected',
          at: f.clock.now() + i,
          command: 'PlaceBet',
          subject: `b${i}`,
          code: 'RISK_HALTED',
          details: { i },
        } as never,
        { commandId: 'bulk', actor: 'alpha' },
      ),
    );
    await ok(f.store.append('treasury-alpha', events.slice(0, 1000), { expectedRevision: head, commandId: 'bulk-1' }));
    const more = Array.from({ length: 2 * AUDIT_TRAIL_LIMIT - rejections + 11 }, () =>
      toStored(
        TREASURY,
        { type: 'FundsDeposited', at: f.clock.now(), bucket: 'reserve', amount: money('1') } as never,
        { commandId: 'bulk', actor: 'alpha' },
      ),
    );
    await ok(f.store.append('treasury-alpha', more, { expectedRevision: head + rejections, commandId: 'bulk-2' }));
    const log: RecordedEvent[] = [];
    for await (const e of f.store.readAll()) log.push(e);
    return { log, audit: await auditStore(f.store) };
  } finally {
    await f.dispose();
  }
};

describe('read models folded in place (the audit) agree with evolve (live projections)', () => {
  let log: RecordedEvent[];
  let audit: Awaited<ReturnType<typeof auditStore>>;
  beforeAll(async () => {
    ({ log, audit } = await recordedLog());
  });

  it.each(MODELS.map((m) => [m.name, m] as const))('%s: same state from the first event', (_name, model) => {
    const byEvolve = foldByEvolve(model, model.initial, log);
    const inPlace = foldInPlace(model, model.initial, log);
    expect(inPlace).toEqual(byEvolve);
    expect(stateDigest(inPlace)).toBe(stateDigest(byEvolve));
  });

  it.each(MODELS.map((m) => [m.name, m] as const))(
    '%s: same state from a midway state, which stays untouched',
    (_name, model) => {
      const cut = Math.floor(log.length / 2);
      const midway = foldByEvolve(model, model.initial, log.slice(0, cut));
      const before = stateDigest(midway);
      const inPlace = foldInPlace(model, midway, log.slice(cut));
      expect(stateDigest(midway)).toBe(before);
      expect(stateDigest(inPlace)).toBe(stateDigest(foldByEvolve(model, midway, log.slice(cut))));
    },
  );

  it('the lists are cut as evolve cuts them, and a resolved escrow drops out', () => {
    const trail = foldInPlace(auditTrail, auditTrail.initial, log) as Record<string, unknown[]>;
    const breakers = foldInPlace(breakerHistory, breakerHistory.initial, log) as Record<string, unknown[]>;
    const escrows = foldInPlace(escrowStates, escrowStates.initial, log) as Record<string, unknown>;
    expect(trail.alpha).toHaveLength(AUDIT_TRAIL_LIMIT);
    expect(breakers.alpha).toHaveLength(BREAKER_HISTORY_LIMIT);
    expect(Object.keys(escrows)).toEqual(['e2']);
  });

  it('the one-pass audit of that log reports the digests of both folds', () => {
    expect(audit.ok).toBe(true);
    expect(audit.events).toBe(log.length);
    expect(audit.projections).toEqual(
      MODELS.map((m) => ({ name: m.name, digest: stateDigest(foldByEvolve(m, m.initial, log)) })),
    );
  });
});
