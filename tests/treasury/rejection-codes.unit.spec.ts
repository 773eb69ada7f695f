import { defiPreset, TREASURY_REJECTION_CODES, TreasuryConfigCodec } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { funded, T0, treasurySpec } from '../support/treasury-fixtures';
import { approvals, approve, at as hoursIn, policed, withdraw } from '../support/policy-fixtures';

const at = T0 + 60_000;
const defi = (() => {
  const config = {
    buckets: [
      { name: 'baseYield', target: '0.60', floor: '0.60' },
      { name: 'tactical', target: '0.40', floor: '0' },
    ],
    roles: { reserve: 'baseYield', trading: 'tactical' },
  };
  return [
    {
      type: 'OpenTreasury',
      at: T0,
      config: {
        ...(funded()[0] as { config: Record<string, unknown> }).config,
        ...config,
        maxPositionFraction: '0.25',
        maxLeverage: 1,
      },
    },
    { type: 'Deposit', at: T0, amount: '1000' },
  ];
})();
const aaveDeposit = { type: 'DepositToVenue', at, venueId: 'aave', kind: 'lending', amount: '100', apy: '0.05' };
const pendleDeposit = { ...aaveDeposit, venueId: 'pendle', kind: 'fixed-term', maturesAt: at + 86_400_000 };
const noTrading = [
  {
    type: 'OpenTreasury',
    at: T0,
    config: {
      ...(funded()[0] as { config: Record<string, unknown> }).config,
      buckets: [{ name: 'reserve', target: '1', floor: '0.2' }],
      roles: { reserve: 'reserve' },
    },
  },
];
const position = {
  type: 'OpenPosition',
  at,
  positionId: 'p1',
  symbol: 'ETH-USD',
  side: 'long',
  entryPrice: '2000',
  leverage: 1,
  stopLoss: '0.02',
  takeProfit: '0.04',
  size: '10',
};
const lottery = funded({ sizing: 'lottery' });
const halted = [...lottery, { type: 'RecordValuation', at, bucket: 'trading', value: '100' }];
const paused = [...lottery, { type: 'RecordValuation', at, bucket: 'trading', value: '290' }];

const marketReading = (observedAt: number) => ({
  observedAt,
  btcPrice: '100000',
  ethPrice: '4000',
  mvrvZ: '2',
  fundingRate: '0',
  fearGreed: '50',
  source: 'feed',
});
const marketPolicy = TreasuryConfigCodec.encode(defiPreset()).market!;
const priced = [...funded({ market: marketPolicy }), { type: 'RecordMarket', at, snapshot: marketReading(at) }];
const swapOf = (sell: string, buy: string, amount: string, filled: string) => ({
  type: 'Swap',
  at,
  swapId: 's1',
  sell,
  buy,
  amount,
  filled,
  gasGwei: '10',
  gasFee: '0',
});
const listed = policed({ allow: ['bank:acme'], deny: ['bank:evil'] });
const held = [...policed({ approvals: approvals({ policyChanges: true }) }), withdraw(1, '6000')];
const stopped = [...funded(), { type: 'EmergencyStop', at, by: 'ops' }];

/** One scenario per code: the code list and this table must stay in step (a new code needs a test). */
const scenarios: Record<string, [unknown[], Record<string, unknown>]> = {
  TREASURY_NOT_OPENED: [[], { type: 'Tick', at }],
  ALREADY_OPENED: [funded(), funded()[0]!],
  CONFIG_INVALID: [
    [],
    {
      ...funded()[0]!,
      config: {
        ...(funded()[0] as { config: Record<string, unknown> }).config,
        driftThreshold: '0.05',
        buckets: [{ name: 'reserve', target: '0.9', floor: '0' }],
      },
    },
  ],
  TIME_WENT_BACKWARDS: [funded(), { type: 'Tick', at: T0 - 1 }],
  UNKNOWN_BUCKET: [funded(), { type: 'Withdraw', at, bucket: 'savings', amount: '1' }],
  SAME_BUCKET: [funded(), { type: 'Transfer', at, from: 'reserve', to: 'reserve', amount: '1' }],
  INSUFFICIENT_FUNDS: [funded(), { type: 'Withdraw', at, bucket: 'referral', amount: '101' }],
  FLOOR_BREACH: [funded(), { type: 'Transfer', at, from: 'reserve', to: 'casino', amount: '300' }],
  REBALANCE_NOT_NEEDED: [funded(), { type: 'Rebalance', at }],
  RISK_PAUSED: [paused, { type: 'LockEscrow', at, escrowId: 'e1', amount: '1' }],
  RISK_HALTED: [halted, position],
  NOT_STOPPED: [funded(), { type: 'ResumeRisk', at, operator: 'ops' }],
  NO_CASINO_BUCKET: [defi, { type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' }],
  CASINO_STOPPED: [
    [
      ...funded({ sizing: 'lottery', lotteryFraction: '0.5', betCap: '0.5' }),
      { type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' },
      { type: 'SettleBet', at, betId: 'b1', won: false },
      { type: 'ResumeRisk', at, operator: 'ops' },
    ],
    { type: 'PlaceBet', at, betId: 'b2', game: 'coin_flip' },
  ],
  NEGATIVE_EDGE: [funded(), { type: 'PlaceBet', at, betId: 'b1', game: 'crash_2x' }],
  BET_ABOVE_CAP: [lottery, { type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip', stake: '4' }],
  BET_TOO_SMALL: [lottery, { type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip', stake: '0.009' }],
  DUPLICATE_ID: [
    [...funded(), { type: 'LockEscrow', at, escrowId: 'e1', amount: '1' }],
    { type: 'LockEscrow', at, escrowId: 'e1', amount: '1' },
  ],
  UNKNOWN_BET: [funded(), { type: 'SettleBet', at, betId: 'b1', won: true }],
  NO_OPEN_SESSION: [funded(), { type: 'EndCasinoSession', at }],
  NO_TRADING_BUCKET: [noTrading, position],
  TRADING_HALTED: [[...halted, { type: 'ResumeRisk', at, operator: 'ops' }], position],
  TRADING_NOT_HALTED: [funded(), { type: 'ResumeTrading', at, operator: 'ops' }],
  STOP_LOSS_REQUIRED: [funded(), { ...position, stopLoss: '0' }],
  REWARD_RISK_TOO_LOW: [funded(), { ...position, takeProfit: '0.02' }],
  POSITION_TOO_LARGE: [defi, { ...position, size: '100.01' }],
  LEVERAGE_TOO_HIGH: [defi, { ...position, leverage: 2 }],
  UNKNOWN_POSITION: [funded(), { type: 'ClosePosition', at, positionId: 'p1', price: '1' }],
  ESCROW_OVERCOMMIT: [funded(), { type: 'LockEscrow', at, escrowId: 'e1', amount: '200' }],
  UNKNOWN_ESCROW: [
    funded(),
    { type: 'ReleaseEscrow', at, escrowId: 'e1', transferId: 'escrow.e1', to: { kind: 'treasury', id: 'bob' } },
  ],
  RELEASE_EXCEEDS_LOCK: [
    [...funded(), { type: 'LockEscrow', at, escrowId: 'e1', amount: '1' }],
    {
      type: 'ReleaseEscrow',
      at,
      escrowId: 'e1',
      transferId: 'escrow.e1',
      to: { kind: 'treasury', id: 'bob' },
      amount: '2',
    },
  ],
  NO_REFERRAL_BUCKET: [defi, { type: 'ReinvestReferrals', at }],
  UNKNOWN_TRANSFER: [
    funded(),
    { type: 'ReturnTransfer', at, transferId: 'stake.alpha.agent.1', code: 'TRANSFER_NOT_EXPECTED' },
  ],
  POLICY_INVALID: [funded(), { type: 'ChangePolicy', at, by: 'ops', policy: { allow: ['bank:a'], deny: ['bank:a'] } }],
  BUDGET_EXCEEDED: [policed({ budgets: [{ name: 'day', window: '24h', limit: '10' }] }), withdraw(1, '11')],
  COUNTERPARTY_DENIED: [listed, withdraw(1, '1', { to: 'bank:evil' })],
  COUNTERPARTY_NOT_ALLOWED: [listed, withdraw(1, '1', { to: 'bank:other' })],
  COUNTERPARTY_REQUIRED: [listed, withdraw(1, '1')],
  EMERGENCY_STOP: [stopped, { type: 'Withdraw', at, bucket: 'referral', amount: '1' }],
  REDUCE_ONLY: [
    [...funded(), { type: 'SetMode', at, mode: 'reduce-only', by: 'ops' }],
    { type: 'Withdraw', at, bucket: 'referral', amount: '1' },
  ],
  UNKNOWN_REQUEST: [held, approve(1, 'alice', 'req-2')],
  REQUEST_CLOSED: [
    [...held, { type: 'DenyRequest', at: hoursIn(1), requestId: 'req-1', by: 'bob' }],
    approve(1, 'alice'),
  ],
  REQUEST_EXPIRED: [[...held, { type: 'Tick', at: hoursIn(3) }], approve(3, 'alice')],
  NOT_AN_APPROVER: [held, approve(1, 'mallory')],
  ALREADY_APPROVED: [[...held, approve(1, 'alice')], approve(1, 'alice')],
  SELF_APPROVAL: [
    [
      ...policed({ approvals: approvals({ policyChanges: true }) }),
      { type: 'ChangePolicy', at: hoursIn(1), by: 'bob', policy: {} },
    ],
    approve(1, 'bob'),
  ],
  ALREADY_STOPPED: [stopped, { type: 'EmergencyStop', at, by: 'ops' }],
  SWAP_INVALID: [priced, swapOf('BTC', 'ETH', '0.001', '0.025')],
  NO_MARKET_PRICE: [funded({ market: marketPolicy }), swapOf('USDC', 'BTC', '100', '0.001')],
  FILL_IMPLAUSIBLE: [priced, swapOf('USDC', 'BTC', '100', '0.0011')],
  GAS_FEE_TOO_HIGH: [priced, { ...swapOf('USDC', 'BTC', '100', '0.001'), gasFee: '1.01' }],
  GAS_TOO_HIGH: [priced, { ...swapOf('USDC', 'BTC', '100', '0.001'), gasGwei: '101' }],
  SLIPPAGE_EXCEEDED: [priced, swapOf('USDC', 'BTC', '100', '0.0009')],
  VOLATILE_CAP_EXCEEDED: [
    [
      ...funded({ market: { ...marketPolicy, volatileCap: '0.1' } }),
      { type: 'RecordMarket', at, snapshot: marketReading(at) },
    ],
    swapOf('USDC', 'BTC', '101', '0.00101'),
  ],
  ASSET_CAP_EXCEEDED: [priced, swapOf('USDC', 'BTC', '251', '0.00251')],
  ADVICE_STALE: [
    priced,
    {
      type: 'RecordAdvice',
      at,
      advisor: 'desk',
      observedAt: at - 1,
      target: { baseYield: '0.6', BTC: '0', ETH: '0', USDC: '0.4' },
      confidence: '0.5',
      reasons: ['hold'],
    },
  ],
  ADVICE_OUT_OF_BOUNDS: [
    priced,
    {
      type: 'RecordAdvice',
      at,
      advisor: 'desk',
      observedAt: at,
      target: { baseYield: '0.5', BTC: '0', ETH: '0', USDC: '0.5' },
      confidence: '0.5',
      reasons: ['all in stables'],
    },
  ],
  MARKET_DATA_INVALID: [funded(), { type: 'RecordMarket', at, snapshot: marketReading(at + 1) }],
  MARKET_OUT_OF_ORDER: [
    [...funded(), { type: 'RecordMarket', at, snapshot: marketReading(at) }],
    { type: 'RecordMarket', at, snapshot: marketReading(at) },
  ],
  APPROVED_AMOUNT_EXCEEDED: [
    [
      ...policed({ approvals: approvals({ threshold: '100', required: 1 }) }),
      { type: 'PlaceBet', at: hoursIn(1), betId: 'b1', game: 'coin_flip' },
      { type: 'Deposit', at: hoursIn(1), bucket: 'casino', amount: '100000' },
    ],
    approve(1.5, 'alice'),
  ],
  ESCROW_NOT_LOCKED: [
    [
      ...policed({ approvals: approvals({ required: 1 }) }),
      { type: 'LockEscrow', at: hoursIn(1), escrowId: 'e1', amount: '6000', payee: { kind: 'treasury', id: 'b' } },
    ],
    { type: 'ReleaseEscrow', at: hoursIn(1.5), escrowId: 'e1', transferId: 't.1', to: { kind: 'treasury', id: 'b' } },
  ],
  PAYEE_MISMATCH: [
    [...funded(), { type: 'LockEscrow', at, escrowId: 'e1', amount: '1', payee: { kind: 'treasury', id: 'b' } }],
    { type: 'ReleaseEscrow', at, escrowId: 'e1', transferId: 't.1', to: { kind: 'treasury', id: 'c' } },
  ],
  MODE_UNCHANGED: [funded(), { type: 'SetMode', at, mode: 'normal', by: 'ops' }],
  VENUE_INVALID: [funded(), { ...aaveDeposit, maturesAt: at + 1 }],
  UNKNOWN_VENUE: [funded(), { type: 'WithdrawFromVenue', at, venueId: 'aave' }],
  VENUE_TERMS_FIXED: [[...funded(), pendleDeposit], { type: 'RecordVenueRate', at, venueId: 'pendle', apy: '0.1' }],
  VENUE_NOT_MATURED: [[...funded(), pendleDeposit], { type: 'WithdrawFromVenue', at, venueId: 'pendle' }],
  VENUE_RATE_UNCHANGED: [[...funded(), aaveDeposit], { type: 'RecordVenueRate', at, venueId: 'aave', apy: '0.05' }],
  NOTHING_TO_ACCRUE: [funded(), { type: 'AccrueYield', at }],
  ASSET_INVALID: [funded(), { type: 'DepositAsset', at, asset: 'SOL', quantity: '1' }],
  FUNDS_IN_VENUE: [
    [...funded(), { ...aaveDeposit, amount: '300' }],
    { type: 'Withdraw', at, bucket: 'reserve', amount: '150' },
  ],
  REFERRAL_BELOW_MINIMUM: [
    [...funded(), { type: 'Withdraw', at, bucket: 'referral', amount: '96' }],
    { type: 'ReinvestReferrals', at },
  ],
};

/**
 * Codes no caller is answered with: a held move that is denied or expires is recorded as refused
 * (CommandRejected) for whoever waits on it, inside an accepted decision.
 */
const recordedOnly: Record<string, [unknown[], Record<string, unknown>]> = {
  APPROVAL_DENIED: [held, { type: 'DenyRequest', at: hoursIn(1.5), requestId: 'req-1', by: 'bob' }],
  APPROVAL_EXPIRED: [held, { type: 'Tick', at: hoursIn(3) }],
};

describe('every rejection code is reachable and carries a message and its numbers', () => {
  it('has one scenario per code, no more, no less', () => {
    expect([...Object.keys(scenarios), ...Object.keys(recordedOnly)].sort()).toEqual(
      [...TREASURY_REJECTION_CODES].sort(),
    );
  });

  it.each(Object.entries(recordedOnly))('%s (recorded for the waiting side)', (code, [given, when]) => {
    const events = treasurySpec.given(given).when(when).result;
    expect(E.isRight(events)).toBe(true);
    const rejected = E.isRight(events) ? events.right.filter((e) => e.type === 'CommandRejected') : [];
    expect(rejected).toMatchObject([{ code, command: 'Withdraw', details: { requestId: 'req-1' } }]);
  });

  it.each(Object.entries(scenarios))('%s', (code, [given, when]) => {
    const { rejection } = treasurySpec.given(given).when(when).thenRejects(code);
    expect(rejection.message.length).toBeGreaterThan(10);
    const numberless = [
      'TREASURY_NOT_OPENED',
      'ALREADY_OPENED',
      'NO_CASINO_BUCKET',
      'NO_TRADING_BUCKET',
      'NO_REFERRAL_BUCKET',
      'NO_OPEN_SESSION',
      'TRADING_NOT_HALTED',
    ];
    if (!numberless.includes(code)) expect(Object.keys(rejection.details).length).toBeGreaterThan(0);
  });
});
