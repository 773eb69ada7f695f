import { funded, T0, treasurySpec } from '../support/treasury-fixtures';

const at = T0 + 60_000;
const lottery = funded({ sizing: 'lottery' });

describe('casino: sizing policies, the per-bet cap and the session stop', () => {
  it('R2: refuses a Kelly-sized bet on a house-edge game with NEGATIVE_EDGE and records it', () => {
    const { rejection, recorded } = treasurySpec
      .given(funded())
      .when({ type: 'PlaceBet', at, betId: 'b1', game: 'dice_over50' })
      .thenRejects('NEGATIVE_EDGE', {
        edge: '-0.01495',
        kellyFraction: '0',
        bankroll: '150',
        policy: 'half-kelly',
      });
    expect(rejection.message).toContain('negative expected value');
    expect(recorded).toMatchObject([
      { type: 'CommandRejected', command: 'PlaceBet', subject: 'bet:b1', code: 'NEGATIVE_EDGE' },
    ]);
  });

  it('places an explicit lottery bet: 1% of the casino bankroll, opening a session with its bankroll', () => {
    treasurySpec
      .given(lottery)
      .when({ type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' })
      .then([
        { type: 'CasinoSessionStarted', sessionId: 'b1', bankroll: '150' },
        {
          type: 'BetPlaced',
          betId: 'b1',
          sessionId: 'b1',
          game: 'coin_flip',
          stake: '1.5',
          policy: 'lottery',
          edge: '-0.01495',
          cap: '3',
        },
      ]);
  });

  it('R2: refuses a stake above 2% of the bankroll with BET_ABOVE_CAP, and one below the minimum', () => {
    treasurySpec
      .given(lottery)
      .when({ type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip', stake: '3.01' })
      .thenRejects('BET_ABOVE_CAP', { stake: '3.01', cap: '3', bankroll: '150', betCap: '0.02' });
    treasurySpec
      .given(funded({ sizing: 'lottery', lotteryFraction: '0.00001' }))
      .when({ type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' })
      .thenRejects('BET_TOO_SMALL', { stake: '0.0015', minimum: '0.01' });
  });

  it('settles a win at stake × net odds and a loss at −stake, and refuses unknown or reused bets', () => {
    const placed = [...lottery, { type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' }];
    treasurySpec
      .given(placed)
      .when({ type: 'SettleBet', at, betId: 'b1', won: true })
      .then([{ type: 'BetSettled', betId: 'b1', won: true, pnl: '1.485' }]);
    treasurySpec
      .given(placed)
      .when({ type: 'SettleBet', at, betId: 'b1', won: false })
      .then([{ type: 'BetSettled', betId: 'b1', won: false, pnl: '-1.5' }]);
    treasurySpec.given(placed).when({ type: 'SettleBet', at, betId: 'b2', won: false }).thenRejects('UNKNOWN_BET');
    treasurySpec
      .given(placed)
      .when({ type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' })
      .thenRejects('DUPLICATE_ID');
  });

  it('R7: a session that loses half its bankroll stops the casino and returns the rest to reserve, until a rebalance', () => {
    const big = funded({ sizing: 'lottery', lotteryFraction: '0.5', betCap: '0.5' });
    const lost = [...big, { type: 'PlaceBet', at, betId: 'b1', game: 'roulette_red' }];
    const next = treasurySpec.given(lost).when({ type: 'SettleBet', at, betId: 'b1', won: false });
    // Losing 75 is also 7.5% of the treasury in a day (R4), so the same append pauses everything.
    next.then([
      { type: 'BetSettled', pnl: '-75' },
      { type: 'RiskPaused', lossRatio: '0.075' },
      {
        type: 'CasinoSessionStopped',
        sessionId: 'b1',
        startBankroll: '150',
        value: '75',
        lossRatio: '0.5',
        returnedToReserve: '75',
      },
    ]);
    const stopped = [
      ...lost,
      { type: 'SettleBet', at, betId: 'b1', won: false },
      { type: 'ResumeRisk', at, operator: 'ops-1' },
    ];
    treasurySpec
      .given(stopped)
      .when({ type: 'PlaceBet', at, betId: 'b2', game: 'roulette_red' })
      .thenRejects('CASINO_STOPPED');
    treasurySpec
      .given([...stopped, { type: 'Rebalance', at }])
      .when({ type: 'PlaceBet', at, betId: 'b2', game: 'roulette_red' })
      .then([{ type: 'CasinoSessionStarted' }, { type: 'BetPlaced' }]);
  });

  it('ends a session on request, and refuses to end one that is not open', () => {
    treasurySpec
      .given([...lottery, { type: 'PlaceBet', at, betId: 'b1', game: 'coin_flip' }])
      .when({ type: 'EndCasinoSession', at })
      .then([{ type: 'CasinoSessionEnded', sessionId: 'b1' }]);
    treasurySpec.given(lottery).when({ type: 'EndCasinoSession', at }).thenRejects('NO_OPEN_SESSION');
  });
});
