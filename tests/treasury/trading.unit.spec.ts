import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

const at = T0 + 60_000;
const long = (overrides: Record<string, unknown> = {}) => ({
  type: 'OpenPosition',
  at,
  positionId: 'p1',
  symbol: 'ETH-USD',
  side: 'long',
  entryPrice: '2000',
  leverage: 5,
  stopLoss: '0.02',
  takeProfit: '0.04',
  size: '35',
  ...overrides,
});
const opened = (overrides: Record<string, unknown> = {}) => [...funded(), long(overrides)];

describe('trading: R6 at open, exits on marks, funding and the trading drawdown breaker', () => {
  it("opens the seed's example: $35 (10% of the $350 bucket) at 5× with a 2% stop and 4% take", () => {
    treasurySpec
      .given(funded())
      .when(long())
      .then([
        {
          type: 'PositionOpened',
          positionId: 'p1',
          size: '35',
          leverage: 5,
          margin: '7',
          quantity: '0.0175',
          stopLoss: '0.02',
          takeProfit: '0.04',
        },
      ]);
  });

  it('R6: sizes by Kelly from win rate and average win/loss, capped at 2% ($7.00 on $350)', () => {
    const { size: _s, ...noSize } = long();
    treasurySpec
      .given(funded())
      .when({ ...noSize, kelly: { winRate: '0.55', averageWin: '20', averageLoss: '10' } })
      .then([{ type: 'PositionOpened', size: '7', margin: '1.4' }]);
    treasurySpec
      .given(funded())
      .when({ ...noSize, kelly: { winRate: '0.3', averageWin: '10', averageLoss: '10' } })
      .thenRejects('NEGATIVE_EDGE');
  });

  it.each([
    ['no stop-loss', { stopLoss: '0' }, 'STOP_LOSS_REQUIRED', {}],
    ['take-profit under twice the stop', { takeProfit: '0.039' }, 'REWARD_RISK_TOO_LOW', { minimumTakeProfit: '0.04' }],
    [
      'more than 10% of the trading bucket',
      { size: '35.01' },
      'POSITION_TOO_LARGE',
      { limit: '35', tradingBucket: '350' },
    ],
    ['leverage above the maximum', { leverage: 6 }, 'LEVERAGE_TOO_HIGH', { leverage: 6, maxLeverage: 5 }],
  ])('R6: refuses %s and records why', (_label, overrides, code, details) => {
    const { recorded } = treasurySpec.given(funded()).when(long(overrides)).thenRejects(code, details);
    expect(recorded).toMatchObject([{ type: 'CommandRejected', code, subject: 'position:p1' }]);
  });

  it('closes at the stop, the take-profit, the trailing stop and at liquidation, realising P&L exactly', () => {
    treasurySpec
      .given(opened())
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '1960' })
      .then([{ type: 'PriceMarked' }, { type: 'PositionClosed', reason: 'stop', exitPrice: '1960', pnl: '-0.7' }]);
    treasurySpec
      .given(opened())
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '2080' })
      .then([{ type: 'PriceMarked' }, { type: 'PositionClosed', reason: 'take', pnl: '1.4' }]);
    treasurySpec
      .given(opened())
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '1999' })
      .then([{ type: 'PriceMarked' }]);
    // The trail follows the best mark (2,100 → stop at 2,068.5), then fires at 2,068.
    treasurySpec
      .given([
        ...opened({ trailingStop: '0.015', takeProfit: '0.1' }),
        { type: 'MarkPrice', at, symbol: 'ETH-USD', price: '2100' },
      ])
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '2068' })
      .then([{ type: 'PriceMarked' }, { type: 'PositionClosed', reason: 'trail', pnl: '1.19' }]);
    // A gap through the liquidation price (1,600 at 5×) loses the margin and no more.
    treasurySpec
      .given(opened())
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '1500' })
      .then([{ type: 'PriceMarked' }, { type: 'PositionClosed', reason: 'liquidation', pnl: '-7' }]);
  });

  it('mirrors every level for a short', () => {
    const short = opened({ side: 'short' });
    treasurySpec
      .given(short)
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '2050' })
      .then([{ type: 'PriceMarked' }, { type: 'PositionClosed', reason: 'stop', pnl: '-0.875' }]);
    treasurySpec
      .given(short)
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '1900' })
      .then([{ type: 'PriceMarked' }, { type: 'PositionClosed', reason: 'take', pnl: '1.75' }]);
  });

  it('closes by hand, and refuses an unknown position', () => {
    treasurySpec
      .given(opened())
      .when({ type: 'ClosePosition', at, positionId: 'p1', price: '2010' })
      .then([{ type: 'PositionClosed', reason: 'manual', pnl: '0.175' }]);
    treasurySpec
      .given(opened())
      .when({ type: 'ClosePosition', at, positionId: 'p9', price: '2010' })
      .thenRejects('UNKNOWN_POSITION');
  });

  it('applies funding: a long pays size × rate, a short receives it', () => {
    treasurySpec
      .given(opened())
      .when({ type: 'ApplyFunding', at, symbol: 'ETH-USD', rate: '0.001' })
      .then([{ type: 'FundingApplied', positionId: 'p1', payment: '-0.035', marginUsed: '0' }]);
    treasurySpec
      .given(opened({ side: 'short' }))
      .when({ type: 'ApplyFunding', at, symbol: 'ETH-USD', rate: '0.001' })
      .then([{ type: 'FundingApplied', payment: '0.035' }]);
  });

  it('trading drawdown beyond 20% closes every open position and halts trading until an operator resumes it', () => {
    const wide = funded({ maxPositionFraction: '1' });
    const two = [
      ...wide,
      long({ size: '200', leverage: 2, stopLoss: '0.5', takeProfit: '1' }),
      long({ positionId: 'p2', symbol: 'BTC-USD', entryPrice: '60000', size: '20', leverage: 2 }),
    ];
    // ETH −40%: p1 loses 80 of the 350 trading bucket (22.9%), which is also 8% of the treasury today.
    treasurySpec
      .given(two)
      .when({ type: 'MarkPrice', at, symbol: 'ETH-USD', price: '1200' })
      .then([
        { type: 'PriceMarked' },
        { type: 'TradingHalted', peak: '350', value: '270', drawdown: '0.228571428571' },
        { type: 'PositionClosed', positionId: 'p1', reason: 'breaker', pnl: '-80' },
        { type: 'PositionClosed', positionId: 'p2', reason: 'breaker', pnl: '0' },
        { type: 'RiskPaused' },
      ]);
    const halted = [
      ...two,
      { type: 'MarkPrice', at, symbol: 'ETH-USD', price: '1200' },
      { type: 'ResumeRisk', at, operator: 'ops' },
    ];
    treasurySpec
      .given(halted)
      .when(long({ positionId: 'p3' }))
      .thenRejects('TRADING_HALTED');
    treasurySpec
      .given(halted)
      .when({ type: 'ResumeTrading', at, operator: 'ops', note: 'reviewed' })
      .then([{ type: 'TradingResumed', operator: 'ops', value: '270' }]);
    treasurySpec.given(funded()).when({ type: 'ResumeTrading', at, operator: 'ops' }).thenRejects('TRADING_NOT_HALTED');
  });
});
