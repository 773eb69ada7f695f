import { defiPreset, equity, TreasuryConfigCodec } from '@ballast/domain';
import { at, defiConfigWithoutApprovals, HOUR, market, swapAt } from '../support/defi-fixtures';
import { T0, treasurySpec } from '../support/treasury-fixtures';

const config = defiConfigWithoutApprovals();
/** 400,000: base yield 240,000, tactical 160,000 in USDC; BTC at 100,000 and ETH at 4,000. */
const funded = [{ type: 'OpenTreasury', at: T0, config }, { type: 'Deposit', at: T0, amount: '400000' }, market(0)];
const swap = swapAt({ gasGwei: '30', gasFee: '5' });

describe('swaps in the tactical sleeve: through USDC, judged on the last reading', () => {
  it('buys BTC at cost; the holding is valued at the reading, equity loses only gas and slippage', () => {
    const state = treasurySpec
      .given(funded)
      .when(swap(1, 'USDC', 'BTC', '50000', '0.4995'))
      .then([
        { type: 'OutflowChecked', outflow: '50005' },
        {
          type: 'Swapped',
          sold: '50000',
          bought: '0.4995',
          cost: '50000',
          realized: '0',
          slippage: '0.001',
          gasFee: '5',
        },
      ]);
    expect(state.treasury.holdings).toEqual({ BTC: { quantity: expect.anything(), cost: expect.anything() } });
    expect(state.treasury.buckets.tactical!.toFixed()).toBe('109995');
    // 400,000 − gas 5 − slippage 50 (0.4995 BTC is worth 49,950 at the reading).
    expect(equity(state.treasury).toFixed()).toBe('399945');
  });

  it('selling realizes proceeds over average cost', () => {
    treasurySpec
      .given([...funded, swap(1, 'USDC', 'BTC', '50000', '0.5'), market(2, '120000')])
      .when(swap(3, 'BTC', 'USDC', '0.25', '29900'))
      .then([
        { type: 'OutflowChecked' },
        // The rise had already lifted the base to its 60% floor when it was read (holdings count at the reading).
        { type: 'Swapped', cost: '25000', realized: '4900' },
      ]);
  });

  it('a fill beyond the 0.5% slippage cap is refused and recorded', () => {
    const { recorded } = treasurySpec
      .given(funded)
      .when(swap(1, 'USDC', 'BTC', '50000', '0.4974'))
      .thenRejects('SLIPPAGE_EXCEEDED', { minOut: '0.4975', filledOut: '0.4974' });
    expect(recorded).toMatchObject([{ type: 'CommandRejected', subject: 'swap:s1' }]);
  });

  it('no swap while gas is above 100 gwei', () => {
    treasurySpec
      .given(funded)
      .when(swap(1, 'USDC', 'BTC', '1000', '0.01', { gasGwei: '101' }))
      .thenRejects('GAS_TOO_HIGH', { gasGwei: '101', maxGasGwei: '100' });
  });

  it('volatile assets stay within 40% of the treasury, any one within 25%', () => {
    treasurySpec
      .given(funded)
      .when(swap(1, 'USDC', 'BTC', '100001', '1.00001'))
      .thenRejects('ASSET_CAP_EXCEEDED', { asset: 'BTC', cap: '0.25' });
    // With the volatile cap at 30%: 99,000 of BTC and 30,000 of ETH is more than 120,000.
    const tighter = { ...config, market: { ...config.market, volatileCap: '0.3' } };
    treasurySpec
      .given([{ ...funded[0]!, config: tighter }, funded[1]!, funded[2]!, swap(1, 'USDC', 'BTC', '99000', '0.99')])
      .when(swap(2, 'USDC', 'ETH', '30000', '7.5'))
      .thenRejects('VOLATILE_CAP_EXCEEDED', { cap: '0.3', value: '129000' });
  });

  it('a swap needs a recent reading, goes through USDC, and cannot sell what is not held', () => {
    treasurySpec
      .given(funded)
      .when(swap(37, 'USDC', 'BTC', '1000', '0.01'))
      .thenRejects('NO_MARKET_PRICE', { maxAgeMs: 36 * HOUR });
    treasurySpec
      .given(funded)
      .when(swap(1, 'BTC', 'ETH', '0.1', '2.5'))
      .thenRejects('SWAP_INVALID');
    treasurySpec
      .given(funded)
      .when(swap(1, 'ETH', 'USDC', '1', '4000'))
      .thenRejects('INSUFFICIENT_FUNDS', { held: '0' });
  });

  it('during an emergency stop no swap executes; in reduce-only only selling does', () => {
    treasurySpec
      .given([...funded, { type: 'EmergencyStop', at: at(1), by: 'ops' }])
      .when(swap(1, 'USDC', 'BTC', '1000', '0.01'))
      .thenRejects('EMERGENCY_STOP');
    const reduce = [
      ...funded,
      swap(1, 'USDC', 'BTC', '1000', '0.01'),
      { type: 'SetMode', at: at(1), mode: 'reduce-only', by: 'ops' },
    ];
    treasurySpec
      .given(reduce)
      .when(swap(2, 'USDC', 'BTC', '1000', '0.01'))
      .thenRejects('REDUCE_ONLY');
    treasurySpec
      .given(reduce)
      .when(swap(2, 'BTC', 'USDC', '0.01', '1000'))
      .then([{}, { type: 'Swapped' }]);
  });

  it('in the DeFi preset a swap above 50,000 waits for an operator', () => {
    treasurySpec
      .given([
        { type: 'OpenTreasury', at: T0, config: TreasuryConfigCodec.encode(defiPreset()) },
        funded[1]!,
        funded[2]!,
      ])
      .when(swap(1, 'USDC', 'BTC', '50001', '0.50001'))
      .then([{ type: 'ApprovalRequested', amount: '50006', threshold: '50000' }]);
  });
});

describe('what review found: no swap is a way to make or move money', () => {
  it('a fill better than the quote by more than the cap is refused, not booked as a gain', () => {
    treasurySpec
      .given([...funded, swap(1, 'USDC', 'BTC', '50000', '0.5')])
      .when(swap(2, 'BTC', 'USDC', '0.1', '19000'))
      .thenRejects('FILL_IMPLAUSIBLE', { expectedOut: '10000', maxOut: '10050' });
  });

  it('gas is at most 1% of what is swapped, and counts toward the approval threshold', () => {
    treasurySpec
      .given(funded)
      .when(swap(1, 'USDC', 'BTC', '1000', '0.01', { gasFee: '158000' }))
      .thenRejects('GAS_FEE_TOO_HIGH', { maxGasFee: '0.01', swapped: '1000' });
    treasurySpec
      .given([
        { type: 'OpenTreasury', at: T0, config: TreasuryConfigCodec.encode(defiPreset()) },
        funded[1]!,
        funded[2]!,
      ])
      .when(swap(1, 'USDC', 'BTC', '49999', '0.49999', { gasFee: '2' }))
      .then([{ type: 'ApprovalRequested', amount: '50001' }]);
  });

  it('nothing is bought while the trading desk is halted; selling still is allowed', () => {
    const halted = [
      ...funded,
      swap(1, 'USDC', 'BTC', '99000', '0.99'),
      swap(2, 'USDC', 'ETH', '60000', '15'),
      // BTC and ETH fall 35%: the trading desk's drawdown breaker halts it.
      market(3, '65000', '2600'),
      // A day later the daily-loss pause is over; the desk stays halted until an operator resumes it.
      market(28, '65000', '2600'),
    ];
    treasurySpec
      .given(halted)
      .when(swap(28, 'USDC', 'BTC', '500', '0.0077'))
      .thenRejects('TRADING_HALTED');
    treasurySpec
      .given(halted)
      .when(swap(28, 'BTC', 'USDC', '0.01', '650'))
      .then([{}, { type: 'Swapped' }]);
  });

  it('an agent-preset treasury holds no assets', () => {
    const { market: _none, ...agentLike } = config;
    treasurySpec
      .given([{ ...funded[0]!, config: agentLike }, funded[1]!, funded[2]!])
      .when(swap(1, 'USDC', 'BTC', '1000', '0.01'))
      .thenRejects('SWAP_INVALID');
  });
});

describe('rebalancing counts the sleeve at its value, holdings included', () => {
  it('after buying BTC the split is unchanged: no cash is poured into the sleeve, no floor breach', () => {
    const bought = [...funded, swap(1, 'USDC', 'BTC', '60000', '0.6')];
    treasurySpec
      .given(bought)
      .when({ type: 'Rebalance', at: at(2) })
      .thenRejects('REBALANCE_NOT_NEEDED');
  });

  it('a sleeve grown by its holdings sends cash back to the base when the rise is read, never more than it has', () => {
    // BTC doubles: the sleeve is 100,000 cash + 120,000 of BTC against 240,000 of base (46% vs 40%), and the
    // base's 60% floor is topped up from the sleeve's cash in the reading's own append.
    const s = treasurySpec
      .given([...funded, swap(1, 'USDC', 'BTC', '60000', '0.6')])
      .when(market(2, '200000'))
      .then([
        { type: 'MarketObserved' },
        { type: 'SignalIssued' },
        { type: 'ReserveFloorBreached', reserve: '240000', floor: '275997', total: '459995' },
        {
          type: 'Rebalanced',
          reason: 'reserve-floor',
          transfers: [{ from: 'tactical', to: 'baseYield', amount: '35997' }],
        },
      ]);
    // 460,000 − gas 5 at 60/40: base 275,997, the sleeve 184,000 − 5 (of which 120,000 is BTC).
    expect(s.treasury.buckets.baseYield!.toFixed()).toBe('275997');
  });
});

describe('the reserve floor counts holdings as rebalancing does, at the last reading', () => {
  it('after BTC and ETH halve, the rebalance tops up the sleeve once and the floor leaves it there', () => {
    const fallen = [
      ...funded,
      swap(1, 'USDC', 'BTC', '90000', '0.9'),
      swap(2, 'USDC', 'ETH', '60000', '15'),
      market(3, '50000', '2000'),
    ];
    const s = treasurySpec
      .given(fallen)
      .when({ type: 'Rebalance', at: at(4) })
      .then([{ type: 'Rebalanced', reason: 'drift' }]);
    // Once at target the split holds: no breach, nothing to do on the next look.
    treasurySpec
      .given([...fallen, { type: 'Rebalance', at: at(4) }])
      .when({ type: 'Rebalance', at: at(5) })
      .thenRejects('REBALANCE_NOT_NEEDED');
    expect(s.treasury.buckets.baseYield!.lt(240000)).toBe(true);
  });
});
