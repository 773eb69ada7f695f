import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { openBallast } from '@ballast/engine';
import { openMemoryStore, openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { tempDir } from '../event-store/fixtures';

describe('commands for one stream, sent at once through one engine', () => {
  it('all commit, one after another, without running out of conflict retries', async () => {
    const dir = tempDir('same-stream');
    const store = openSqliteStore(join(dir.path, 'ballast.db'));
    let now = Date.UTC(2026, 0, 1);
    const ballast = openBallast({ store, clock: { now: () => (now += 1) } });
    try {
      const config = TreasuryConfigCodec.encode(agentPreset());
      expect(
        E.isRight(await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config }, { commandId: 'o' })),
      ).toBe(true);
      // 64 callers on one stream: racing, all but one would lose each append and re-decide, and
      // with more than six rounds lost a caller gets CONFLICT_RETRIES_EXHAUSTED.
      const results = await Promise.all(
        Array.from({ length: 64 }, (_, i) =>
          ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1' }, { commandId: `d-${i}` }),
        ),
      );
      expect(results.every(E.isRight)).toBe(true);
      const revisions = results.map((r) => (E.isRight(r) ? r.right.result!.nextExpectedRevision : -1));
      expect(new Set(revisions).size).toBe(64);
      const { state } = await ballast.treasuries.load('alpha');
      expect(state.treasury.ledger.deposited.toFixed()).toBe('64');
    } finally {
      await store.close();
      dir.remove();
    }
  });
});

describe('commands for one stream, sent at once through several engines on one store', () => {
  it('a command that loses the race is decided again at a new time, never refused for the winner being later', async () => {
    const store = openMemoryStore();
    let now = Date.UTC(2026, 0, 1);
    // One clock, stamped in call order: a caller that loses to one stamped after it would go back in time.
    // Few callers: each loser re-decides (a bounded number of times), which is what this is about.
    const clock = { now: () => (now += 1) };
    const engines = [openBallast({ store, clock }), openBallast({ store, clock }), openBallast({ store, clock })];
    const config = TreasuryConfigCodec.encode(agentPreset());
    await engines[0]!.treasuries.execute('alpha', { type: 'OpenTreasury', config }, { commandId: 'o' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        engines[i % 3]!.treasuries.execute('alpha', { type: 'Deposit', amount: '1' }, { commandId: `d-${i}` }),
      ),
    );
    expect(results.filter(E.isLeft).map((r) => r.left.code)).toEqual([]);
    const { state } = await engines[0]!.treasuries.load('alpha');
    expect(state.treasury.ledger.deposited.toFixed()).toBe('6');
    await store.close();
  });
});
