import { defaultPoolConfig, PoolConfigCodec } from '@ballast/domain';
import { openBallast } from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';

// An escrow or pool names itself in its commands (escrowId, poolId); sent to another id, the
// aggregate would record a second name (and a pool builds transfer ids from its poolId).
describe('a command naming its aggregate otherwise than the id it is sent to', () => {
  it('is INVALID_INPUT at the id field, and appends nothing', async () => {
    const store = openMemoryStore();
    const ballast = openBallast({ store, clock: { now: () => Date.UTC(2026, 0, 1) } });
    const escrow = await ballast.escrows.execute(
      'e1',
      { type: 'CreateEscrow', escrowId: 'e9', payer: 'a', payee: 'b', amount: '10', deadline: Date.UTC(2026, 0, 2) },
      { commandId: 'c1' },
    );
    expect(E.isLeft(escrow) && escrow.left).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'escrowId' }] });
    const config = PoolConfigCodec.encode(defaultPoolConfig('standard'));
    const pool = await ballast.pools.execute('main', { type: 'OpenPool', poolId: 'zzz', config }, { commandId: 'c2' });
    expect(E.isLeft(pool) && pool.left).toMatchObject({ code: 'INVALID_INPUT', issues: [{ path: 'poolId' }] });
    expect(await store.headPosition()).toBe(0);
    // Named as it is sent, it goes through.
    const opened = await ballast.pools.execute(
      'main',
      { type: 'OpenPool', poolId: 'main', config },
      { commandId: 'c3' },
    );
    expect(E.isRight(opened)).toBe(true);
    await store.close();
  });
});
