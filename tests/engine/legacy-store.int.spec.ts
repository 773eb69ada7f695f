import { auditStore, fromRecorded, openBallast, POOL, TREASURY } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/Either';
import { tempDir } from '../event-store/fixtures';

/** Written by main before transfers existed; see tests/fixtures/README.md. Never opened in place. */
const FIXTURE = join(__dirname, '..', 'fixtures', 'store-before-transfers.db');

const openCopy = (readonly = true) => {
  const dir = tempDir('legacy');
  const path = join(dir.path, 'old.db');
  copyFileSync(FIXTURE, path);
  return { store: openSqliteStore(path, { readonly }), dir };
};

describe('a store written before transfers existed (every event schema v1)', () => {
  it('opens, verifies and audits: G6 holds with the one-legged history booked as the external flow "legacy"', async () => {
    const { store, dir } = openCopy();
    try {
      const report = await auditStore(store);
      expect(report.problem).toBeUndefined();
      expect(report.ok).toBe(true);
      expect(report.chains.ok).toBe(true);
      expect(report.events).toBe(4246);
      expect(report.aggregates).toHaveLength(28);
      expect(report.ledger.ok).toBe(true);
      // 3 stakes + 3 premiums + 2 payouts + 20 escrow releases in treasuries + 22 payments received (20 escrow, 2
      // insurance).
      expect(report.ledger.legacyEvents).toBe(50);
      const legacy = report.ledger.external.find((f) => f.flow === 'legacy')!;
      expect(Number(legacy.inflow)).toBeGreaterThan(0);
      expect(Number(legacy.outflow)).toBeGreaterThan(0);
      expect(report.ledger.transfers.completed).toBe(0);
      expect(report.ledger.inFlight).toBe('0');
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('upcasts v1 events on read into the read-only Legacy types; nothing stored is rewritten', async () => {
    const { store, dir } = openCopy();
    try {
      const seen = new Map<string, number>();
      for await (const recorded of store.readAll()) {
        const kind = recorded.streamId.startsWith('pool-')
          ? POOL
          : recorded.streamId.startsWith('treasury-')
            ? TREASURY
            : undefined;
        expect(recorded.version).toBe(1);
        if (!kind) continue;
        const decoded = fromRecorded(kind, recorded);
        if (E.isLeft(decoded)) throw new Error(decoded.left.message);
        if (decoded.right.type !== recorded.type)
          seen.set(
            `${recorded.type}->${decoded.right.type}`,
            (seen.get(`${recorded.type}->${decoded.right.type}`) ?? 0) + 1,
          );
      }
      expect(Object.fromEntries(seen)).toEqual({
        'EscrowReleased->LegacyEscrowReleased': 20,
        'MemberJoined->LegacyMemberJoined': 3,
        'PremiumCollected->LegacyPremiumCollected': 3,
        'ClaimPaid->LegacyClaimPaid': 2,
      });
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it('still works as a store: the engine loads its aggregates, appends v2 events after the v1 ones, and the audit passes', async () => {
    const { store, dir } = openCopy(false);
    try {
      const ballast = openBallast({ store, clock: { now: () => Date.UTC(2026, 2, 1) } });
      const pool = await ballast.pools.load('main');
      expect(Object.keys(pool.state.members)).toHaveLength(3);
      const agent = await ballast.treasuries.load('agent-1');
      expect(agent.state.treasury.opened).toBe(true);
      const left = await ballast.pools.execute(
        'main',
        { type: 'LeavePool', agentId: 'agent-1' },
        { commandId: 'leave-after-upgrade' },
      );
      expect(E.isRight(left) && left.right.events.map((e) => e.type)).toEqual([
        'MemberLeft',
        ...(E.isRight(left) ? left.right.events.slice(1).map((e) => e.type) : []),
      ]);
      const event = E.isRight(left) ? left.right.events[0] : undefined;
      const sent =
        event?.type === 'MemberLeft'
          ? (event as unknown as { transferId: string; stakeReturned: { toFixed(): string } })
          : undefined;
      const credited = await ballast.treasuries.execute(
        'agent-1',
        {
          type: 'ReceiveTransfer',
          transferId: sent!.transferId,
          from: { kind: 'pool', id: 'main' },
          purpose: 'stake-return',
          amount: sent!.stakeReturned.toFixed(),
        },
        { commandId: 'credit-after-upgrade' },
      );
      expect(E.isRight(credited)).toBe(true);
      const report = await auditStore(store);
      expect(report.problem).toBeUndefined();
      expect(report.ledger.transfers.completed).toBe(1);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
