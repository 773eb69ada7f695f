import { Decimal } from '../money';

export interface CasinoGame {
  readonly winProbability: Decimal;
  /** Net payout per unit staked on a win (0.99 pays 0.99 on top of the returned stake). */
  readonly netOdds: Decimal;
}

/**
 * Seed 000's game table at its stated odds. Every one of these has a house edge (negative expected
 * value), so Kelly sizing says to bet nothing on any of them: edge = p·b − (1 − p) is −0.01495 for
 * dice and coin flip, −0.03597 for crash at 1.5×, −0.04455 for crash at 2×, −0.054 for red.
 * (The seed's comment that half-Kelly dice "typically" bets ~$0.15 contradicts its own formula.)
 */
export const CASINO_GAMES = {
  dice_over50: { winProbability: new Decimal('0.495'), netOdds: new Decimal('0.99') },
  coin_flip: { winProbability: new Decimal('0.495'), netOdds: new Decimal('0.99') },
  'crash_1.5x': { winProbability: new Decimal('0.647'), netOdds: new Decimal('0.49') },
  crash_2x: { winProbability: new Decimal('0.485'), netOdds: new Decimal('0.97') },
  roulette_red: { winProbability: new Decimal('0.473'), netOdds: new Decimal('1.00') },
} as const satisfies Record<string, CasinoGame>;

export type CasinoGameName = keyof typeof CASINO_GAMES;
export const CASINO_GAME_NAMES = Object.keys(CASINO_GAMES) as CasinoGameName[];

/** Expected profit per unit staked: p·b − q. */
export const edgeOf = (game: CasinoGame): Decimal =>
  game.winProbability.mul(game.netOdds).minus(new Decimal(1).minus(game.winProbability));
