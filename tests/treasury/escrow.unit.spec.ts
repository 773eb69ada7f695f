import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

const at = T0 + 60_000;
const lock = (escrowId: string, amount: string) => ({ type: 'LockEscrow', at, escrowId, amount });
const payee = { kind: 'treasury', id: 'bob' };
/** Pays the payee's treasury from the lock as transfer `escrow.<escrowId>` (all that remains, or `amount`). */
const release = (escrowId: string, amount?: string, transferId = `escrow.${escrowId}`) => ({
  type: 'ReleaseEscrow',
  at,
  escrowId,
  transferId,
  to: payee,
  ...(amount ? { amount } : {}),
});

describe('escrow on the treasury side: T5 liquidity, release and refund', () => {
  it('locks amount plus a 1% fee (rounded up) from the reserve', () => {
    treasurySpec
      .given(funded())
      .when(lock('e1', '100'))
      .then([{ type: 'EscrowLocked', escrowId: 'e1', amount: '100', fee: '1' }]);
    treasurySpec
      .given(funded())
      .when(lock('e1', '0.000001'))
      .then([{ type: 'EscrowLocked', amount: '0.000001', fee: '0.000001' }]);
  });

  it('T5: accepts up to 30% of the reserve including the fee, and refuses a cent more with the numbers', () => {
    // Reserve 400 → limit 120: 118.8 + 1.188 = 119.988 fits; 118.82 + 1.1882 = 120.0082 does not.
    treasurySpec
      .given(funded())
      .when(lock('e1', '118.8'))
      .then([{ type: 'EscrowLocked', fee: '1.188' }]);
    const { recorded } = treasurySpec.given(funded()).when(lock('e1', '118.82')).thenRejects('ESCROW_OVERCOMMIT', {
      amount: '118.82',
      fee: '1.1882',
      locked: '0',
      limit: '120',
      reserve: '400',
      ratio: '0.3',
    });
    expect(recorded).toMatchObject([{ type: 'CommandRejected', code: 'ESCROW_OVERCOMMIT', subject: 'escrow:e1' }]);
  });

  it('T5: counts escrow already locked against the (smaller) reserve that remains', () => {
    // After locking 101, the reserve holds 299: limit 89.7 is already below the 101 locked.
    treasurySpec
      .given([...funded(), lock('e1', '100')])
      .when(lock('e2', '1'))
      .thenRejects('ESCROW_OVERCOMMIT', { locked: '101', limit: '89.7', wouldLock: '102.01' });
  });

  it('releases all or part (with the matching share of the fee), and refunds what remains', () => {
    const locked = [...funded(), lock('e1', '100')];
    treasurySpec
      .given(locked)
      .when(release('e1'))
      .then([{ type: 'EscrowReleased', amount: '100', fee: '1', transferId: 'escrow.e1', to: payee }]);
    treasurySpec
      .given(locked)
      .when(release('e1', '40'))
      .then([{ type: 'EscrowReleased', amount: '40', fee: '0.4', transferId: 'escrow.e1', to: payee }]);
    treasurySpec
      .given([...locked, release('e1', '40')])
      .when({ type: 'RefundEscrow', at, escrowId: 'e1' })
      .then([{ type: 'EscrowRefunded', amount: '60', fee: '0.6' }]);
    treasurySpec.given(locked).when(release('e1', '100.01')).thenRejects('RELEASE_EXCEEDS_LOCK', { locked: '100' });
    treasurySpec.given(locked).when({ type: 'RefundEscrow', at, escrowId: 'e2' }).thenRejects('UNKNOWN_ESCROW');
    treasurySpec.given(locked).when(lock('e1', '1')).thenRejects('DUPLICATE_ID');
  });

  it('treats paying an escrow as spending, not a loss: no breaker trips however large the payment', () => {
    const state = treasurySpec.given([...funded(), lock('e1', '110'), release('e1')]).state;
    expect(state.risk.status).toBe('ACTIVE');
    expect(state.risk.peak.toFixed()).toBe('888.9');
  });
});
