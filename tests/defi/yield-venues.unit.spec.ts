import { accrueYield, Decimal, defiPreset, equity, TreasuryConfigCodec } from '@ballast/domain';
import { T0, treasurySpec } from '../support/treasury-fixtures';

const DAY = 24 * 3_600_000;
const at = (d: number) => T0 + d * DAY;
// The DeFi preset without its approval threshold, so venue moves here are judged on their own rules.
const config = { ...TreasuryConfigCodec.encode(defiPreset()), policy: {} };
/** 400,000: base yield (the reserve) 240,000, tactical 160,000. */
const funded = [
  { type: 'OpenTreasury', at: T0, config },
  { type: 'Deposit', at: T0, amount: '400000' },
];
const aave = (d: number, amount: string, apy = '0.05') => ({
  type: 'DepositToVenue',
  at: at(d),
  venueId: 'aave',
  kind: 'lending',
  amount,
  apy,
});
const pendle = {
  type: 'DepositToVenue',
  at: T0,
  venueId: 'pendle-pt',
  kind: 'fixed-term',
  amount: '60000',
  apy: '0.08',
  maturesAt: at(90),
};
const curve = {
  type: 'DepositToVenue',
  at: T0,
  venueId: 'curve',
  kind: 'liquidity-pool',
  amount: '40000',
  apy: '0.04',
  exitFee: '0.0004',
};

describe('yield venues of the reserve bucket: deposit, accrue in event time, withdraw', () => {
  it('a deposit moves idle reserve money into the venue: the bucket still counts it, equity is unchanged', () => {
    const s = treasurySpec
      .given(funded)
      .when(aave(0, '100000'))
      .then([
        { type: 'OutflowChecked', command: 'DepositToVenue', outflow: '100000' },
        { type: 'VenueDeposited', venueId: 'aave', kind: 'lending', amount: '100000', apy: '0.05', exitFee: '0' },
      ]);
    expect(s.treasury.buckets.baseYield!.toFixed()).toBe('240000');
    expect(s.treasury.venues!.aave!.value.toFixed()).toBe('100000');
    expect(equity(s.treasury).toFixed()).toBe('400000');
  });

  it('yield accrues compounding in event time, as accrueYield computes it, into the bucket', () => {
    const expected = accrueYield(new Decimal(100000), new Decimal('0.05'), at(0), at(30));
    const s = treasurySpec
      .given([...funded, aave(0, '100000')])
      .when({ type: 'AccrueYield', at: at(30) })
      .then([
        { type: 'DailyWindowOpened' },
        { type: 'YieldAccrued', venueId: 'aave', amount: expected.toFixed(), apy: '0.05', from: at(0), to: at(30) },
      ]);
    // 100,000 × (1.05^(30/365) − 1) ≈ 401.8
    expect(expected.toNumber()).toBeCloseTo(401.8, 0);
    expect(s.treasury.buckets.baseYield!.toFixed()).toBe(new Decimal(240000).plus(expected).toFixed());
    expect(s.treasury.venues!.aave!.value.toFixed()).toBe(new Decimal(100000).plus(expected).toFixed());
    treasurySpec
      .given([...funded, aave(0, '100000'), { type: 'AccrueYield', at: at(30) }])
      .when({ type: 'AccrueYield', at: at(30) })
      .thenRejects('NOTHING_TO_ACCRUE');
  });

  it('a rate change accrues at the old rate first; a variable venue takes more at a new quote', () => {
    const old = accrueYield(new Decimal(100000), new Decimal('0.05'), at(0), at(10));
    treasurySpec
      .given([...funded, aave(0, '100000')])
      .when({ type: 'RecordVenueRate', at: at(10), venueId: 'aave', apy: '0.03' })
      .then([
        { type: 'DailyWindowOpened' },
        { type: 'YieldAccrued', venueId: 'aave', amount: old.toFixed(), apy: '0.05', to: at(10) },
        { type: 'VenueRateChanged', venueId: 'aave', from: '0.05', to: '0.03' },
      ]);
    treasurySpec
      .given([...funded, aave(0, '100000')])
      .when(aave(10, '1000', '0.04'))
      .then([
        { type: 'DailyWindowOpened' },
        { type: 'OutflowChecked', outflow: '1000' },
        { type: 'YieldAccrued', venueId: 'aave', amount: old.toFixed() },
        { type: 'VenueRateChanged', from: '0.05', to: '0.04' },
        { type: 'VenueDeposited', amount: '1000', apy: '0.04' },
      ]);
    treasurySpec
      .given([...funded, aave(0, '100000')])
      .when({ type: 'RecordVenueRate', at: at(1), venueId: 'aave', apy: '0.05' })
      .thenRejects('VENUE_RATE_UNCHANGED');
  });

  it('only idle money goes in; a move that would take deployed money is refused FUNDS_IN_VENUE with the numbers', () => {
    treasurySpec.given(funded).when(aave(0, '240000.01')).thenRejects('INSUFFICIENT_FUNDS', {
      idle: expect.anything(),
      deployed: expect.anything(),
    });
    // A reserve floor of 10% here, so the floor does not refuse the withdrawal first.
    const lowFloor = {
      ...config,
      buckets: config.buckets.map((b) => (b.name === 'baseYield' ? { ...b, floor: '0.1' } : b)),
    };
    const r = treasurySpec
      .given([{ type: 'OpenTreasury', at: T0, config: lowFloor }, funded[1], aave(0, '200000')])
      .when({ type: 'Withdraw', at: at(1), bucket: 'baseYield', amount: '50000' })
      .thenRejects('FUNDS_IN_VENUE');
    expect(r.rejection.details).toMatchObject({ bucket: 'baseYield', deployed: '200000', short: '10000' });
    expect(String(r.rejection.details.idle)).toBe('40000');
  });

  it('a fixed term keeps its money and its rate until maturity and earns nothing after it', () => {
    const base = [...funded, pendle];
    treasurySpec
      .given(base)
      .when({ type: 'WithdrawFromVenue', at: at(30), venueId: 'pendle-pt' })
      .thenRejects('VENUE_NOT_MATURED', { maturesAt: at(90) });
    treasurySpec
      .given(base)
      .when({ type: 'RecordVenueRate', at: at(1), venueId: 'pendle-pt', apy: '0.1' })
      .thenRejects('VENUE_TERMS_FIXED');
    treasurySpec
      .given(base)
      .when({ ...pendle, at: at(1) })
      .thenRejects('VENUE_TERMS_FIXED');
    const full = accrueYield(new Decimal(60000), new Decimal('0.08'), T0, at(90));
    const s = treasurySpec
      .given(base)
      .when({ type: 'WithdrawFromVenue', at: at(120), venueId: 'pendle-pt' })
      .then([
        { type: 'DailyWindowOpened' },
        { type: 'YieldAccrued', amount: full.toFixed(), to: at(90) },
        { type: 'VenueWithdrawn', venueId: 'pendle-pt', amount: new Decimal(60000).plus(full).toFixed(), fee: '0' },
      ]);
    expect(s.treasury.venues).toEqual({});
    treasurySpec
      .given(funded)
      .when({ ...pendle, maturesAt: T0 })
      .thenRejects('VENUE_INVALID');
    treasurySpec
      .given(funded)
      .when({ ...aave(0, '1'), maturesAt: at(9) })
      .thenRejects('VENUE_INVALID');
  });

  it('a liquidity pool keeps its exit fee (rounded up), a cost of its yield; withdrawing more than it holds is refused', () => {
    const s = treasurySpec
      .given([...funded, curve])
      .when({ type: 'WithdrawFromVenue', at: T0, venueId: 'curve', amount: '10000' })
      // The preset's reserve floor is its target: the fee takes the bucket under it, and the breaker tops it up.
      .then([
        { type: 'VenueWithdrawn', amount: '10000', fee: '4' },
        { type: 'ReserveFloorBreached', reserve: '239996' },
        { type: 'Rebalanced', transfers: [{ from: 'tactical', to: 'baseYield', amount: '1.6' }] },
      ]);
    expect(s.treasury.buckets.baseYield!.toFixed()).toBe('239997.6');
    expect(s.treasury.venues!.curve!.value.toFixed()).toBe('30000');
    treasurySpec
      .given([...funded, curve])
      .when({ type: 'WithdrawFromVenue', at: T0, venueId: 'curve', amount: '40000.01' })
      .thenRejects('INSUFFICIENT_FUNDS', { value: '40000' });
    treasurySpec
      .given(funded)
      .when({ type: 'WithdrawFromVenue', at: T0, venueId: 'nowhere' })
      .thenRejects('UNKNOWN_VENUE');
    treasurySpec
      .given(funded)
      .when({ ...aave(0, '1'), exitFee: '0.01' })
      .thenRejects('VENUE_INVALID');
  });

  it('the spend controls judge a deposit: an emergency stop freezes it, a large one waits for approval', () => {
    const stopped = [...funded, { type: 'EmergencyStop', at: T0, by: 'op-1' }];
    treasurySpec.given(stopped).when(aave(0, '1000')).thenRejects('EMERGENCY_STOP');
    const withApprovals = [
      { type: 'OpenTreasury', at: T0, config: TreasuryConfigCodec.encode(defiPreset()) },
      { type: 'Deposit', at: T0, amount: '400000' },
    ];
    treasurySpec
      .given(withApprovals)
      .when(aave(0, '60000'))
      .then([{ type: 'ApprovalRequested' }]);
  });
});
