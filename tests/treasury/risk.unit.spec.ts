import { HOUR, funded, T0, treasurySpec } from '../support/treasury-fixtures';

const at = T0 + HOUR;
const revalue = (bucket: string, value: string, when = at) => ({ type: 'RecordValuation', at: when, bucket, value });
const bet = (betId: string, when = at) => ({ type: 'PlaceBet', at: when, betId, game: 'coin_flip' });

describe('RiskGuard: R1 gate, R3 absorbing halt, R4 daily pause, R5 drawdown halt, reserve floor', () => {
  const lottery = funded({ sizing: 'lottery' });

  it('R4: a daily loss beyond 5% pauses for 24h of event time, on the event that crosses it; exactly 5% does not', () => {
    treasurySpec
      .given(lottery)
      .when(revalue('trading', '300'))
      .then([{ type: 'BucketRevalued' }]);
    treasurySpec
      .given(lottery)
      .when(revalue('trading', '299.99'))
      .then([
        { type: 'BucketRevalued' },
        { type: 'RiskPaused', until: at + 24 * HOUR, dayStartEquity: '1000', equity: '949.99', lossRatio: '0.05001' },
      ]);
  });

  it('R1: while paused, bets, trades and escrows are refused and recorded; then it resumes by itself after 24h', () => {
    const paused = [...lottery, revalue('trading', '290')];
    const { recorded } = treasurySpec
      .given(paused)
      .when(bet('b1', at + 23 * HOUR))
      .thenRejects('RISK_PAUSED', { status: 'PAUSED', pausedUntil: at + 24 * HOUR });
    // The refusal is recorded together with what the passage of time did first (a new daily window).
    expect(recorded).toMatchObject([
      { type: 'DailyWindowOpened', equity: '940' },
      { type: 'CommandRejected', code: 'RISK_PAUSED', subject: 'bet:b1' },
    ]);
    treasurySpec.given(paused).when({ type: 'LockEscrow', at, escrowId: 'e1', amount: '1' }).thenRejects('RISK_PAUSED');
    treasurySpec
      .given(paused)
      .when(bet('b1', at + 24 * HOUR))
      .then([
        { type: 'RiskResumed', by: 'cooldown', equity: '940' },
        { type: 'CasinoSessionStarted' },
        { type: 'BetPlaced' },
      ]);
  });

  it("rolls the daily window after 24h of event time, so yesterday's loss does not count today", () => {
    const state = [...lottery, revalue('trading', '310')];
    treasurySpec
      .given(state)
      .when({ type: 'Tick', at: T0 + 24 * HOUR })
      .then([{ type: 'DailyWindowOpened', equity: '960' }]);
    // A further 3% loss on the new day is under the limit; over two days it would not have been.
    treasurySpec
      .given([...state, { type: 'Tick', at: T0 + 24 * HOUR }])
      .when(revalue('trading', '280', T0 + 25 * HOUR))
      .then([{ type: 'BucketRevalued' }]);
  });

  it('R5: a drawdown beyond 20% from the peak halts on the same event; R3: it stays halted until an operator resumes', () => {
    treasurySpec
      .given(lottery)
      .when(revalue('trading', '140'))
      .then([
        { type: 'BucketRevalued' },
        { type: 'RiskHalted', peak: '1000', equity: '790', drawdown: '0.21' },
        { type: 'TradingHalted' },
      ]);
    const halted = [...lottery, revalue('trading', '140')];
    treasurySpec
      .given(halted)
      .when({ type: 'Tick', at: at + 72 * HOUR })
      .then([{ type: 'DailyWindowOpened' }]);
    treasurySpec
      .given([...halted, { type: 'Tick', at: at + 72 * HOUR }])
      .when(bet('b1', at + 72 * HOUR))
      .thenRejects('RISK_HALTED');
    treasurySpec
      .given(halted)
      .when({ type: 'ResumeRisk', at, operator: 'ops-1', note: 'loss reviewed' })
      .then([{ type: 'RiskResumed', by: 'operator', operator: 'ops-1', equity: '790' }]);
    treasurySpec
      .given([...halted, { type: 'ResumeRisk', at, operator: 'ops-1' }])
      .when(bet('b1'))
      .then([{ type: 'CasinoSessionStarted' }, { type: 'BetPlaced' }]);
    treasurySpec.given(lottery).when({ type: 'ResumeRisk', at, operator: 'ops-1' }).thenRejects('NOT_STOPPED');
  });

  it('does not count withdrawals or deposits as losses or gains', () => {
    const state = treasurySpec.given([
      ...lottery,
      { type: 'Withdraw', at, bucket: 'referral', amount: '100' },
      { type: 'Withdraw', at, bucket: 'casino', amount: '90' },
    ]).state;
    expect([state.risk.status, state.risk.peak.toFixed(), state.risk.dayStart.equity.toFixed()]).toEqual([
      'ACTIVE',
      '810',
      '810',
    ]);
  });

  it('a reserve below its floor pulls the deficit from trading at once', () => {
    treasurySpec
      .given(lottery)
      .when(revalue('reserve', '149'))
      .then([
        { type: 'BucketRevalued' },
        { type: 'RiskHalted' },
        { type: 'ReserveFloorBreached', reserve: '149', floor: '149.8', total: '749' },
        { type: 'Rebalanced', reason: 'reserve-floor', transfers: [{ from: 'trading', to: 'reserve', amount: '0.8' }] },
      ]);
  });
});
