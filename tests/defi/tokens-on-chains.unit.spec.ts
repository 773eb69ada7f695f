import { Decimal, equity, holdingsValue } from '@ballast/domain';
import { at, defiConfigWithoutApprovals, market, swapAt } from '../support/defi-fixtures';
import { T0, treasurySpec } from '../support/treasury-fixtures';

const prices = (h: number, list: Record<string, string>, observedAt = at(h)) => ({
  type: 'RecordPrices',
  at: at(h),
  observedAt,
  prices: Object.entries(list).map(([symbol, price]) => ({ symbol, price })),
  source: 'token-feed',
});
const config = defiConfigWithoutApprovals();
/** 400,000: base 240,000, sleeve 160,000; BTC 100,000, ETH 4,000, SOL 150, ARB 1.2. */
const funded = [
  { type: 'OpenTreasury', at: T0, config },
  { type: 'Deposit', at: T0, amount: '400000' },
  market(0),
  prices(0, { SOL: '150', ARB: '1.2' }),
];
const swap = swapAt({ gasGwei: '20', gasFee: '1' });

describe('tokens on chains (seed 001’s tracker): balances of several tokens on several chains, valued in USD', () => {
  it('a balance found on a chain comes in at its symbol’s last price, on the books at that value', () => {
    const s = treasurySpec
      .given(funded)
      .when({ type: 'DepositAsset', at: at(1), asset: 'SOL@solana', quantity: '100' })
      .then([
        { type: 'AssetDeposited', asset: 'SOL@solana', quantity: '100', price: '150', cost: '15000' },
        // The sleeve grew by 15,000: the base's 60% floor takes its share of the cash, as after any gain.
        { type: 'ReserveFloorBreached', reserve: '240000', floor: '249000' },
        {
          type: 'Rebalanced',
          reason: 'reserve-floor',
          transfers: [{ from: 'tactical', to: 'baseYield', amount: '9000' }],
        },
      ]);
    expect(s.treasury.holdings!['SOL@solana']).toEqual({ quantity: expect.anything(), cost: expect.anything() });
    expect(equity(s.treasury).toFixed()).toBe('415000');
  });

  it('the same symbol on two chains is two holdings at one price; a new price revalues both', () => {
    const two = [
      ...funded,
      { type: 'DepositAsset', at: at(1), asset: 'ETH@arbitrum', quantity: '2' },
      swap(2, 'USDC', 'ETH', '4000', '0.9995'),
    ];
    const s = treasurySpec
      .given(two)
      .when(market(3))
      .then([{ type: 'MarketObserved' }, { type: 'SignalIssued' }]);
    expect(Object.keys(s.treasury.holdings!).sort()).toEqual(['ETH', 'ETH@arbitrum']);
    // 2 + 0.9995 ETH at 4,000.
    expect(holdingsValue(s.treasury).value.toFixed()).toBe('11998');
  });

  it('a token swaps to USDC within the slippage cap, at its feed’s price', () => {
    treasurySpec
      .given([...funded, { type: 'DepositAsset', at: at(1), asset: 'SOL@solana', quantity: '100' }])
      .when(swap(2, 'SOL@solana', 'USDC', '100', '14940'))
      .then([
        { type: 'OutflowChecked' },
        { type: 'Swapped', sell: 'SOL@solana', priceSell: '150', bought: '14940', slippage: '0.004', realized: '-60' },
      ]);
    treasurySpec
      .given([...funded, { type: 'DepositAsset', at: at(1), asset: 'SOL@solana', quantity: '100' }])
      .when(swap(2, 'SOL@solana', 'USDC', '100', '14900'))
      .thenRejects('SLIPPAGE_EXCEEDED');
  });

  it('one position is a symbol on every chain: the 25% cap counts ETH and ETH@arbitrum together', () => {
    // 95,000 of ETH on arbitrum is under 25% of 495,000; buying 30,000 more ETH takes the symbol past it.
    const held = [...funded, { type: 'DepositAsset', at: at(1), asset: 'ETH@arbitrum', quantity: '23.75' }];
    treasurySpec
      .given(held)
      .when(swap(2, 'USDC', 'ETH', '30000', '7.5'))
      .thenRejects('ASSET_CAP_EXCEEDED');
    treasurySpec
      .given(held)
      .when(swap(2, 'USDC', 'SOL', '20000', '133.3'))
      .then([{ type: 'OutflowChecked' }, { type: 'Swapped' }]);
  });

  it('refuses a token without a recent price, a stale or replayed feed, USDC as a token, and BTC in a token feed', () => {
    treasurySpec
      .given(funded)
      .when({ type: 'DepositAsset', at: at(1), asset: 'JUP@solana', quantity: '1' })
      .thenRejects('NO_MARKET_PRICE', { asset: 'JUP@solana', lastObservedAt: 'none' });
    treasurySpec
      .given(funded)
      .when(swap(40, 'USDC', 'SOL', '100', '0.666'))
      .thenRejects('NO_MARKET_PRICE', { asset: 'SOL' });
    treasurySpec
      .given(funded)
      .when(prices(1, { SOL: '151' }, at(0)))
      .thenRejects('MARKET_OUT_OF_ORDER', { symbol: 'SOL' });
    treasurySpec
      .given(funded)
      .when(prices(1, { SOL: '151', ARB: '1' }, at(2)))
      .thenRejects('MARKET_DATA_INVALID');
    treasurySpec
      .given(funded)
      .when({
        ...prices(1, { SOL: '151' }),
        prices: [
          { symbol: 'SOL', price: '1' },
          { symbol: 'SOL', price: '2' },
        ],
      })
      .thenRejects('MARKET_DATA_INVALID', { symbol: 'SOL' });
    expect(() =>
      treasurySpec.given(funded).when({ type: 'DepositAsset', at: at(1), asset: 'USDC', quantity: '1' }),
    ).toThrow(/token asset/);
    treasurySpec
      .given([...funded, prices(1, { BIG: '1000000000000' })])
      .when({ type: 'DepositAsset', at: at(1), asset: 'BIG', quantity: '1000000' })
      .thenRejects('ASSET_INVALID', { limit: '1000000000000' });
    expect(() =>
      treasurySpec.given(funded).when({ type: 'DepositAsset', at: at(1), asset: 'USDC@base', quantity: '1' }),
    ).toThrow(/asset/);
    expect(() => treasurySpec.given(funded).when(prices(1, { BTC: '1' }))).toThrow(/token symbol/);
  });

  it('a token deposit is money coming in: it neither hides a loss from the daily-loss breaker nor makes a new peak', () => {
    const bought = [...funded, swap(1, 'USDC', 'BTC', '90000', '0.9')];
    const crash = { ...market(3), snapshot: { ...market(3).snapshot, btcPrice: '75000' } };
    // 40,000 as cash, or as SOL: the BTC fall of the same day (22,500 of ~440,000) is the same loss either way.
    const cash = treasurySpec.given([...bought, { type: 'Deposit', at: at(2), bucket: 'tactical', amount: '40000' }]);
    const tokens = treasurySpec.given([
      ...bought,
      { type: 'DepositAsset', at: at(2), asset: 'SOL@solana', quantity: '266.666666' },
    ]);
    expect(tokens.state.risk.dayStart.equity.toFixed()).toBe(
      cash.state.risk.dayStart.equity.minus(new Decimal('40000').minus(new Decimal('266.666666').mul(150))).toFixed(),
    );
    const types = (r: ReturnType<typeof cash.when>) =>
      r.result._tag === 'Right' ? r.result.right.map((e) => e.type) : [];
    expect(types(cash.when(crash))).toContain('RiskPaused');
    expect(types(tokens.when(crash))).toContain('RiskPaused');
  });

  it('a purchase needs every holding’s price recent: the caps are judged with them', () => {
    // BTC is held and its reading is 40 hours old (the policy allows 36); SOL's price is fresh.
    const held = [...funded, swap(1, 'USDC', 'BTC', '10000', '0.1'), prices(40, { SOL: '150' })];
    treasurySpec
      .given(held)
      .when(swap(40, 'USDC', 'SOL', '1500', '10'))
      .thenRejects('NO_MARKET_PRICE', { asset: 'BTC' });
    // Selling needs only the price of what is sold.
    treasurySpec
      .given([...held, { type: 'DepositAsset', at: at(40), asset: 'SOL', quantity: '10' }])
      .when(swap(40, 'SOL', 'USDC', '10', '1495'))
      .then([{ type: 'OutflowChecked' }, { type: 'Swapped' }]);
  });
});
