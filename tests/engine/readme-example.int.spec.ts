import { agentPreset, TreasuryConfigCodec } from '@ballast/domain';
import { auditStore, openBallast, systemClock } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { join } from 'node:path';
import { tempDir } from '../event-store/fixtures';

describe('the README example', () => {
  it('runs as written', async () => {
    const dir = tempDir('readme');
    const store = openSqliteStore(join(dir.path, 'ballast.db'));
    const ballast = openBallast({ store, clock: systemClock });
    const config = TreasuryConfigCodec.encode(agentPreset());
    expect(E.isRight(await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config }, { commandId: 'open-alpha' }))).toBe(true);
    expect(E.isRight(await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep-1' }))).toBe(true);
    const bet = await ballast.treasuries.execute('alpha', { type: 'PlaceBet', betId: 'b1', game: 'dice_over50' }, { commandId: 'bet-1', actor: 'alpha' });
    expect(E.isLeft(bet) && bet.left).toMatchObject({ code: 'NEGATIVE_EDGE', details: { edge: '-0.01495' } });
    const { state } = await ballast.treasuries.load('alpha');
    expect(state.treasury.buckets.reserve!.toFixed()).toBe('400');
    expect((await auditStore(store)).totalDigest).toMatch(/^[0-9a-f]{64}$/);
    await store.close();
    dir.remove();
  });
});
