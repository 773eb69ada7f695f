import { bookValue, type TreasuryAccount } from '@ballast/domain';
import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

const at = T0 + 60_000;
const pool = { kind: 'pool', id: 'alpha' };
const bob = { kind: 'treasury', id: 'bob' };
const send = (
  purpose: string,
  amount: string,
  transferId = `${purpose}.alpha.agent.1`,
  to: Record<string, string> = pool,
) => ({ type: 'SendTransfer', at, transferId, to, purpose, amount });
const receive = (transferId: string, amount: string, from: Record<string, string> = pool, purpose = 'payout') => ({
  type: 'ReceiveTransfer',
  at,
  transferId,
  from,
  purpose,
  amount,
});
const giveBack = (transferId: string, code = 'TRANSFER_NOT_EXPECTED') => ({
  type: 'ReturnTransfer',
  at,
  transferId,
  code,
});

/** T1 on the state a spec ends in: book value = deposited − withdrawn − sent + received + P&L + revaluation − fees. */
const expectT1 = (a: TreasuryAccount) => {
  const l = a.treasury.ledger;
  const expected = l.deposited
    .minus(l.withdrawn)
    .minus(l.sent)
    .plus(l.received)
    .plus(l.realizedPnl)
    .plus(l.revaluation)
    .minus(l.fees);
  expect({ id: 'T1', book: bookValue(a.treasury).toFixed() }).toEqual({ id: 'T1', book: expected.toFixed() });
};

// The seed preset with $1,000: reserve 400 (floor 20% of the book), trading 350, casino 150, referral 100.
// The lottery preset and a trading loss of 250 halt it (drawdown 25%); a loss of 60 pauses it (daily loss 6%).
const lottery = funded({ sizing: 'lottery' });
const halted = [...lottery, { type: 'RecordValuation', at, bucket: 'trading', value: '100' }];
const paused = [...lottery, { type: 'RecordValuation', at, bucket: 'trading', value: '290' }];

describe('treasury SendTransfer: the debit leg, decided against the reserve, its floor and the breakers', () => {
  it('debits the reserve and records where the money went: it is in flight, and T1 counts it as sent', () => {
    const after = treasurySpec
      .given(funded())
      .when(send('stake', '100'))
      .then([
        {
          type: 'TransferSent',
          transferId: 'stake.alpha.agent.1',
          to: pool,
          purpose: 'stake',
          bucket: 'reserve',
          amount: '100',
        },
      ]);
    expect(after.treasury.buckets.reserve!.toFixed()).toBe('300');
    expect(after.treasury.ledger.sent.toFixed()).toBe('100');
    expect(after.risk.status).toBe('ACTIVE');
    expectT1(after);
  });

  it('FLOOR_BREACH: refuses a debit that leaves the reserve under its floor, recorded with the numbers and the transfer', () => {
    // 250 leaves 150 = 20% of the 750 that remains: exactly the floor. 260 leaves 140 < 20% of 740 = 148.
    treasurySpec
      .given(funded())
      .when(send('premium', '250'))
      .then([{ type: 'TransferSent', amount: '250' }]);
    const { rejection, recorded } = treasurySpec
      .given(funded())
      .when(send('premium', '260'))
      .thenRejects('FLOOR_BREACH', {
        bucket: 'reserve',
        balance: '400',
        floor: '148',
        transferId: 'premium.alpha.agent.1',
        toKind: 'pool',
        toId: 'alpha',
        purpose: 'premium',
        amount: '260',
      });
    expect(rejection.message).toContain('148');
    // Recorded, so the transfer-settlement process manager cancels the pool's request visibly.
    expect(recorded).toEqual([
      {
        type: 'CommandRejected',
        at,
        command: 'SendTransfer',
        subject: 'transfer:premium.alpha.agent.1',
        code: 'FLOOR_BREACH',
        details: {
          bucket: 'reserve',
          balance: '400',
          floor: '148',
          transferId: 'premium.alpha.agent.1',
          toKind: 'pool',
          toId: 'alpha',
          purpose: 'premium',
          amount: '260',
        },
      },
    ]);
  });

  it('INSUFFICIENT_FUNDS: refuses more than the reserve holds, recorded', () => {
    const { recorded } = treasurySpec.given(funded()).when(send('stake', '400.01')).thenRejects('INSUFFICIENT_FUNDS', {
      bucket: 'reserve',
      balance: '400',
      transferId: 'stake.alpha.agent.1',
      purpose: 'stake',
      amount: '400.01',
    });
    expect(recorded).toMatchObject([
      {
        type: 'CommandRejected',
        command: 'SendTransfer',
        code: 'INSUFFICIENT_FUNDS',
        subject: 'transfer:stake.alpha.agent.1',
      },
    ]);
  });

  it('R1: while HALTED a stake (a new commitment) is refused on the record, but a premium (existing cover) is paid', () => {
    expect(treasurySpec.given(halted).state.risk.status).toBe('HALTED');
    const { recorded } = treasurySpec.given(halted).when(send('stake', '10')).thenRejects('RISK_HALTED', {
      status: 'HALTED',
      transferId: 'stake.alpha.agent.1',
      toKind: 'pool',
      toId: 'alpha',
      purpose: 'stake',
      amount: '10',
    });
    expect(recorded).toMatchObject([
      {
        type: 'CommandRejected',
        command: 'SendTransfer',
        code: 'RISK_HALTED',
        subject: 'transfer:stake.alpha.agent.1',
      },
    ]);
    const after = treasurySpec
      .given(halted)
      .when(send('premium', '10'))
      .then([{ type: 'TransferSent', purpose: 'premium', amount: '10' }]);
    expect(after.risk.status).toBe('HALTED');
    expectT1(after);
  });

  it('R1: while PAUSED a stake is refused on the record, a premium is paid', () => {
    expect(treasurySpec.given(paused).state.risk.status).toBe('PAUSED');
    treasurySpec
      .given(paused)
      .when(send('stake', '10'))
      .thenRejects('RISK_PAUSED', { status: 'PAUSED', purpose: 'stake', amount: '10' });
    treasurySpec
      .given(paused)
      .when(send('premium', '10'))
      .then([{ type: 'TransferSent', purpose: 'premium' }]);
  });

  it('a retry of the same transfer is a no-op: the reserve is debited once', () => {
    const state = treasurySpec
      .given([...funded(), send('stake', '100')])
      .when(send('stake', '100'))
      .then([]);
    expect(state.treasury.buckets.reserve!.toFixed()).toBe('300');
    expect(state.treasury.ledger.sent.toFixed()).toBe('100');
  });

  it('DUPLICATE_ID: the same id with another amount, purpose or payee is refused (not recorded: nothing was asked of the pool)', () => {
    const sent = [...funded(), send('stake', '100')];
    const { recorded } = treasurySpec
      .given(sent)
      .when(send('stake', '101'))
      .thenRejects('DUPLICATE_ID', { transferId: 'stake.alpha.agent.1', amount: '100', requested: '101' });
    expect(recorded).toEqual([]);
    treasurySpec
      .given(sent)
      .when(send('premium', '100', 'stake.alpha.agent.1'))
      .thenRejects('DUPLICATE_ID');
    treasurySpec
      .given(sent)
      .when(send('stake', '100', 'stake.alpha.agent.1', { kind: 'pool', id: 'beta' }))
      .thenRejects('DUPLICATE_ID');
  });

  it('TREASURY_NOT_OPENED: a debit asked of a treasury that was never opened is refused on the record, so the pool can cancel it', () => {
    const { recorded } = treasurySpec
      .given([])
      .when(send('stake', '100'))
      .thenRejects('TREASURY_NOT_OPENED', { transferId: 'stake.alpha.agent.1', toKind: 'pool', toId: 'alpha' });
    expect(recorded).toMatchObject([
      {
        type: 'CommandRejected',
        command: 'SendTransfer',
        code: 'TREASURY_NOT_OPENED',
        details: { transferId: 'stake.alpha.agent.1', toKind: 'pool', toId: 'alpha', purpose: 'stake', amount: '100' },
      },
    ]);
  });
});

describe('treasury ReceiveTransfer: the credit leg, into the reserve, once per transfer id', () => {
  it('credits the reserve once; the same transfer again appends nothing', () => {
    const first = treasurySpec
      .given(funded())
      .when(receive('payout.alpha.c1', '40'))
      .then([
        {
          type: 'TransferReceived',
          transferId: 'payout.alpha.c1',
          from: pool,
          purpose: 'payout',
          bucket: 'reserve',
          amount: '40',
        },
      ]);
    expect(first.treasury.buckets.reserve!.toFixed()).toBe('440');
    expectT1(first);
    const again = treasurySpec
      .given([...funded(), receive('payout.alpha.c1', '40')])
      .when(receive('payout.alpha.c1', '40'))
      .then([]);
    expect(again.treasury.ledger.received.toFixed()).toBe('40');
  });

  it('a transfer is a flow, not P&L: a quarter of the book sent trips no breaker, and a credit does not lift a HALT (R3)', () => {
    // As a loss, 250 of 1,000 would be a 25% drawdown (R5) and a 25% daily loss (R4): exactly one event, no breaker.
    const sent = treasurySpec
      .given(funded())
      .when(send('premium', '250'))
      .then([{ type: 'TransferSent', amount: '250' }]);
    expect(sent.risk.status).toBe('ACTIVE');
    const credited = treasurySpec
      .given(halted)
      .when(receive('stake-return.alpha.agent.1', '500', pool, 'stake-return'))
      .then([{ type: 'TransferReceived', amount: '500' }]);
    expect(credited.risk.status).toBe('HALTED');
  });

  it('on a treasury never opened, the credit is refused and recorded as TransferRefused (once), so the payer takes it back', () => {
    const { recorded } = treasurySpec
      .given([])
      .when(receive('payout.alpha.c1', '40'))
      .thenRejects('TREASURY_NOT_OPENED', { transferId: 'payout.alpha.c1', amount: '40' });
    expect(recorded).toEqual([
      {
        type: 'TransferRefused',
        at,
        transferId: 'payout.alpha.c1',
        from: pool,
        amount: '40',
        code: 'TREASURY_NOT_OPENED',
      },
    ]);
    // Once refused, a retry is refused again but records nothing more: the payer is not told twice.
    const retry = treasurySpec
      .givenEvents(recorded)
      .when(receive('payout.alpha.c1', '40'))
      .thenRejects('TREASURY_NOT_OPENED', { transferId: 'payout.alpha.c1' });
    expect(retry.recorded).toEqual([]);
  });
});

describe('treasury ReturnTransfer: a debit the payee refused comes back, once', () => {
  const sent = [...funded(), send('stake', '100')];

  it('puts the amount back into the bucket it left and takes it off `sent`', () => {
    const after = treasurySpec
      .given(sent)
      .when(giveBack('stake.alpha.agent.1'))
      .then([
        {
          type: 'TransferReturned',
          transferId: 'stake.alpha.agent.1',
          bucket: 'reserve',
          amount: '100',
          code: 'TRANSFER_NOT_EXPECTED',
        },
      ]);
    expect(after.treasury.buckets.reserve!.toFixed()).toBe('400');
    expect(after.treasury.ledger.sent.toFixed()).toBe('0');
    expectT1(after);
  });

  it('a second return appends nothing; a transfer never sent is UNKNOWN_TRANSFER', () => {
    const returned = treasurySpec
      .given([...sent, giveBack('stake.alpha.agent.1')])
      .when(giveBack('stake.alpha.agent.1'))
      .then([]);
    expect(returned.treasury.buckets.reserve!.toFixed()).toBe('400');
    treasurySpec
      .given(sent)
      .when(giveBack('stake.alpha.agent.2'))
      .thenRejects('UNKNOWN_TRANSFER', { transferId: 'stake.alpha.agent.2' });
  });

  it('a returned transfer is not sent again by a late retry of its debit (once per id)', () => {
    const after = treasurySpec
      .given([...sent, giveBack('stake.alpha.agent.1')])
      .when(send('stake', '100'))
      .then([]);
    expect(after.treasury.buckets.reserve!.toFixed()).toBe('400');
  });
});

describe('treasury ReleaseEscrow: paying the payee is the debit leg of a transfer', () => {
  const locked = [...funded(), { type: 'LockEscrow', at, escrowId: 'e1', amount: '100' }];
  const release = (extra: Record<string, unknown> = {}) => ({
    type: 'ReleaseEscrow',
    at,
    escrowId: 'e1',
    transferId: 'escrow.e1',
    to: bob,
    ...extra,
  });

  it('carries the transfer id and the payee; the amount counts as sent and the fee as a fee (T1)', () => {
    const after = treasurySpec
      .given(locked)
      .when(release())
      .then([{ type: 'EscrowReleased', escrowId: 'e1', amount: '100', fee: '1', transferId: 'escrow.e1', to: bob }]);
    expect(after.treasury.ledger.sent.toFixed()).toBe('100');
    expect(after.treasury.ledger.fees.toFixed()).toBe('1');
    expect(after.treasury.transfersSent['escrow.e1']).toMatchObject({
      purpose: 'escrow',
      bucket: 'reserve',
      returned: false,
    });
    expectT1(after);
  });

  it('a retry of the same release is a no-op; the same transfer id to another payee is DUPLICATE_ID', () => {
    const part = [...locked, release({ amount: '40' })];
    const after = treasurySpec
      .given(part)
      .when(release({ amount: '40' }))
      .then([]);
    expect(after.treasury.escrows.e1!.amount.toFixed()).toBe('60');
    treasurySpec
      .given(part)
      .when(release({ amount: '40', to: { kind: 'treasury', id: 'carol' } }))
      .thenRejects('DUPLICATE_ID', { transferId: 'escrow.e1' });
    treasurySpec
      .given(part)
      .when(release({ amount: '41' }))
      .thenRejects('DUPLICATE_ID');
  });

  it('a payment the payee refused comes back into the reserve (the fee stays charged)', () => {
    const after = treasurySpec
      .given([...locked, release()])
      .when(giveBack('escrow.e1', 'TREASURY_NOT_OPENED'))
      .then([{ type: 'TransferReturned', transferId: 'escrow.e1', bucket: 'reserve', amount: '100' }]);
    expect(after.treasury.buckets.reserve!.toFixed()).toBe('399');
    expectT1(after);
  });
});
