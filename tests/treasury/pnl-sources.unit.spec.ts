import {
  addPnl,
  bookValue,
  decodeInput,
  initialPnlFold,
  pnlSources,
  pnlTotal,
  treasuryDecider,
  type TreasuryAccount,
  type TreasuryEvent,
  TreasuryEventCodec,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

const MINUTE = 60_000;

/** A stream as the engine would append it: accepted events, and the refusals it records. */
const streamOf = (steps: readonly unknown[]): { events: TreasuryEvent[]; account: TreasuryAccount } => {
  let account = treasuryDecider.initialState;
  const events: TreasuryEvent[] = [];
  const fold = (e: TreasuryEvent) => {
    events.push(e);
    account = treasuryDecider.evolve(account, e);
  };
  steps.forEach((json, i) => {
    const step: Record<string, unknown> = { at: T0 + i * MINUTE, ...(json as Record<string, unknown>) };
    if (step.type === 'Legacy') {
      // Written before transfers existed: no command decides these any more, so they come as stored events.
      const decoded = decodeInput(TreasuryEventCodec, 'legacy event')(step.event);
      if (E.isLeft(decoded)) throw new Error(decoded.left.message);
      fold(decoded.right);
      return;
    }
    const result = treasuryDecider.decide(treasurySpec.command(step), account);
    if (E.isLeft(result)) {
      if (result.left.recorded.length === 0)
        throw new Error(`step ${i} ${JSON.stringify(step)} was refused: ${result.left.code} ${result.left.message}`);
      result.left.recorded.forEach(fold);
    } else result.right.forEach(fold);
  });
  return { events, account };
};

const pool = { kind: 'pool', id: 'main' };
const peer = { kind: 'treasury', id: 'agent-2' };
const legacy = (event: Record<string, unknown>) => ({ type: 'Legacy', event: { at: T0, ...event } });

/** Every source once (and a premium the pool refused, and an escrow payment the payee refused). */
const everySource = [
  ...funded({ sizing: 'lottery' }),
  { type: 'PlaceBet', betId: 'b1', game: 'coin_flip', stake: '2' },
  { type: 'SettleBet', betId: 'b1', won: true },
  { type: 'PlaceBet', betId: 'b2', game: 'coin_flip', stake: '3' },
  { type: 'SettleBet', betId: 'b2', won: false },
  {
    type: 'OpenPosition',
    positionId: 'p1',
    symbol: 'ETH-USD',
    side: 'long',
    entryPrice: '2000',
    leverage: 5,
    stopLoss: '0.02',
    takeProfit: '0.04',
    size: '35',
  },
  { type: 'MarkPrice', symbol: 'ETH-USD', price: '2020' },
  { type: 'ApplyFunding', symbol: 'ETH-USD', rate: '0.001' },
  { type: 'ClosePosition', positionId: 'p1', price: '2030' },
  { type: 'LockEscrow', escrowId: 'e1', amount: '50' },
  { type: 'ReleaseEscrow', escrowId: 'e1', transferId: 'escrow.e1', to: peer },
  { type: 'LockEscrow', escrowId: 'e2', amount: '40' },
  { type: 'ReleaseEscrow', escrowId: 'e2', transferId: 'escrow.e2', to: peer, amount: '20' },
  { type: 'ReturnTransfer', transferId: 'escrow.e2', code: 'TREASURY_NOT_OPENED' },
  { type: 'RefundEscrow', escrowId: 'e2' },
  { type: 'SendTransfer', transferId: 'join.main.agent-1', to: pool, purpose: 'stake', amount: '100' },
  { type: 'SendTransfer', transferId: 'premium.main.agent-1.1', to: pool, purpose: 'premium', amount: '5' },
  { type: 'SendTransfer', transferId: 'premium.main.agent-1.2', to: pool, purpose: 'premium', amount: '4' },
  { type: 'ReturnTransfer', transferId: 'premium.main.agent-1.2', code: 'UNKNOWN_TRANSFER' },
  // Refused by the treasury (more than the reserve holds): recorded, and no money moves.
  { type: 'SendTransfer', transferId: 'premium.main.agent-1.3', to: pool, purpose: 'premium', amount: '5000' },
  { type: 'ReceiveTransfer', transferId: 'claim.c1', from: pool, purpose: 'payout', amount: '30' },
  { type: 'ReceiveTransfer', transferId: 'leave.main.agent-1', from: pool, purpose: 'stake-return', amount: '60' },
  { type: 'ReceiveTransfer', transferId: 'escrow.e9', from: peer, purpose: 'escrow', amount: '25' },
  { type: 'ReceiveTransfer', transferId: 'loan.l1', from: pool, purpose: 'reinsurance', amount: '1.5' },
  { type: 'RecordReferralIncome', service: 'escrow', amount: '3' },
  { type: 'RecordValuation', bucket: 'casino', value: '150.25' },
  {
    type: 'DepositToVenue',
    venueId: 'curve',
    kind: 'liquidity-pool',
    amount: '100',
    apy: '1',
    exitFee: '0.0004',
  },
  { type: 'WithdrawFromVenue', venueId: 'curve' },
  { type: 'Withdraw', bucket: 'reserve', amount: '10' },
  { type: 'LockEscrow', escrowId: 'e3', amount: '10' },
  legacy({ type: 'LegacyEscrowReleased', escrowId: 'e3', amount: '10', fee: '0.1' }),
  legacy({ type: 'PaymentReceived', paymentId: 'pay1', source: 'escrow', amount: '7' }),
  legacy({ type: 'PaymentReceived', paymentId: 'pay2', source: 'insurance', amount: '8' }),
];

const fixed = (sources: Readonly<Record<string, { toFixed(): string }>>) =>
  Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, v.toFixed()]));

describe('P&L by source: each treasury event that changes the book, attributed once', () => {
  it('attributes every source, with returns netted into the source of the transfer they undo', () => {
    const { events } = streamOf(everySource);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining([
        'TransferReturned',
        'CommandRejected',
        'LegacyEscrowReleased',
        'PaymentReceived',
        'BucketRevalued',
        'FundsWithdrawn',
      ]),
    );
    expect(fixed(pnlSources(events))).toEqual({
      casino: '-1.02', // +1.98 won at 0.99 net odds, −3 lost
      trading: '0.525', // 0.0175 ETH × $30
      funding: '-0.035', // 0.1% of $35, long pays
      escrowPaid: '-60', // −50, −20 came back +20, legacy −10
      escrowFees: '-0.8', // 1% of 50, 1% of the 20 released from e2 (kept by the platform though the payee refused), legacy 0.1
      escrowEarned: '32', // 25, legacy 7
      premiums: '-5', // −5, −4 returned +4, −5000 refused
      stakes: '-40', // −100 staked, +60 returned
      payouts: '38', // 30, legacy 8
      referrals: '3',
      revaluation: '1.27', // the casino bucket held 148.98 when valued at 150.25
      deposits: '1000',
      withdrawals: '-10',
      otherTransfers: '1.5',
      yield: '-0.03987', // 100 at 100% APY for a minute: +0.000131; exit fee 0.04% of 100.000131: −0.040001
    });
  });

  it('T1: after every event, Σ sources equals the book value (free balances plus every lock)', () => {
    const { events } = streamOf(everySource);
    let account = treasuryDecider.initialState;
    let fold = initialPnlFold;
    for (const [i, event] of events.entries()) {
      account = treasuryDecider.evolve(account, event);
      fold = addPnl(fold, event);
      expect({ i, type: event.type, sum: pnlTotal(fold.sources).toFixed() }).toEqual({
        i,
        type: event.type,
        sum: bookValue(account.treasury).toFixed(),
      });
    }
    expect(bookValue(account.treasury).toFixed()).toBe('959.40013'); // 959.44 before the venue's yield less its exit fee
  });

  it("refuses a return it cannot attribute: the fold must start at the stream's first event", () => {
    const { events } = streamOf(everySource);
    const fromTheMiddle = events.slice(
      events.findIndex((e) => e.type === 'EscrowReleased' && e.transferId === 'escrow.e2') + 1,
    );
    expect(() => pnlSources(fromTheMiddle)).toThrow(/escrow\.e2 came back but was never sent/);
  });
});
