import {
  agentPreset,
  CASINO_GAMES,
  Decimal,
  edgeOf,
  kellyFraction,
  money,
  sizeStake,
  sizeTrade,
  TreasuryConfigCodec,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { agentConfig, T0, treasurySpec } from '../support/treasury-fixtures';

const d = (s: string) => new Decimal(s);

describe("seed 000's worked numbers, computed from its formulas", () => {
  it('R2: trading Kelly at 55% win rate, $20 average win, $10 average loss on a $350 bucket is $7.00 after the 2% cap', () => {
    // f* = (0.55 × 2 − 0.45) / 2 = 0.325; half-Kelly 0.1625; capped at 0.02; 0.02 × 350 = 7.00.
    expect(kellyFraction(d('0.55'), d('2')).toFixed()).toBe('0.325');
    const sizing = sizeTrade('half-kelly', money('350'), d('0.55'), money('20'), money('10'), d('0.02'), d('0.01'));
    expect(sizing.fraction.toFixed()).toBe('0.1625');
    expect(sizing.stake.toFixed(2)).toBe('7.00');
  });

  it('R2: the dice bet at 49.5% / 0.99 sizes 0: the edge is −0.01495 (the seed prints ~$0.15, its formula says 0)', () => {
    expect(edgeOf(CASINO_GAMES.dice_over50).toFixed()).toBe('-0.01495');
    expect(kellyFraction(d('0.495'), d('0.99')).toFixed()).toBe('0');
    expect(sizeStake('half-kelly', money('150'), d('0.495'), d('0.99'), d('0.02'), d('0.01')).stake.toFixed()).toBe(
      '0',
    );
  });

  it('every seeded casino game has a house edge, so Kelly bets nothing on any of them', () => {
    const edges = Object.fromEntries(
      Object.entries(CASINO_GAMES).map(([name, game]) => [name, edgeOf(game).toFixed()]),
    );
    expect(edges).toEqual({
      dice_over50: '-0.01495',
      coin_flip: '-0.01495',
      'crash_1.5x': '-0.03597',
      crash_2x: '-0.04455',
      roulette_red: '-0.054',
    });
    for (const game of Object.values(CASINO_GAMES))
      expect(kellyFraction(game.winProbability, game.netOdds).isZero()).toBe(true);
  });

  it('half and quarter Kelly scale the raw fraction, and every policy stops at the cap', () => {
    // A fair-plus game: p = 0.6, b = 1 → f* = 0.2.
    const sized = (policy: 'full-kelly' | 'half-kelly' | 'quarter-kelly' | 'lottery', cap = '1') =>
      sizeStake(policy, money('100'), d('0.6'), d('1'), d(cap), d('0.01'));
    expect(sized('full-kelly').stake.toFixed()).toBe('20');
    expect(sized('half-kelly').stake.toFixed()).toBe('10');
    expect(sized('quarter-kelly').stake.toFixed()).toBe('5');
    expect(sized('lottery').stake.toFixed()).toBe('1');
    expect(sized('full-kelly', '0.02').stake.toFixed()).toBe('2');
  });

  it('a $1,000 treasury splits into reserve $400, trading $350, casino $150, referral $100', () => {
    treasurySpec
      .given([{ type: 'OpenTreasury', at: T0, config: agentConfig() }])
      .when({ type: 'Deposit', at: T0, amount: '1000' })
      .then([
        { type: 'FundsDeposited', bucket: 'reserve', amount: '400' },
        { type: 'FundsDeposited', bucket: 'trading', amount: '350' },
        { type: 'FundsDeposited', bucket: 'casino', amount: '150' },
        { type: 'FundsDeposited', bucket: 'referral', amount: '100' },
      ]);
  });

  it('the agent preset in code equals the seed config a user would send', () => {
    const decoded = TreasuryConfigCodec.decode(agentConfig());
    expect(E.isRight(decoded) && JSON.stringify(TreasuryConfigCodec.encode(decoded.right))).toBe(
      JSON.stringify(TreasuryConfigCodec.encode(agentPreset())),
    );
  });
});

describe('the domain README example', () => {
  it('decodes JSON commands at the boundary and refuses the dice bet with NEGATIVE_EDGE', async () => {
    const { decodeTreasuryCommand, foldAccount, treasuryDecider } = await import('@ballast/domain');
    const { pipe } = await import('fp-ts/function');
    const at = Date.UTC(2026, 0, 1);
    const run = (state: typeof treasuryDecider.initialState, json: unknown) =>
      pipe(
        decodeTreasuryCommand(json),
        E.chainW((command) => treasuryDecider.decide(command, state)),
      );
    const opened = run(treasuryDecider.initialState, { type: 'OpenTreasury', at, config: agentConfig() });
    const state = foldAccount(treasuryDecider.initialState, E.isRight(opened) ? opened.right : []);
    const bet = run(state, { type: 'PlaceBet', at, betId: 'b1', game: 'dice_over50' });
    expect(E.isLeft(bet) && bet.left).toMatchObject({
      code: 'NEGATIVE_EDGE',
      details: { edge: '-0.01495' },
      recorded: [{ type: 'CommandRejected' }],
    });
  });
});
