import { CASINO_GAMES, type CasinoGameName } from '@ballast/domain';
import type { Prng } from './prng';

/** The casino at its true odds: a bet on `game` wins with the game's probability, no more. */
export const casinoOutcome = (rng: Prng, game: CasinoGameName): boolean =>
  rng.chance(CASINO_GAMES[game].winProbability.toNumber());

export type CounterpartyBehaviour = 'pays' | 'disputes' | 'defaults';

export interface CounterpartyOdds {
  readonly pays: number;
  readonly disputes: number;
  /** The rest defaults: never releases, so the escrow expires. */
}

export const DEFAULT_COUNTERPARTY_ODDS: CounterpartyOdds = { pays: 0.8, disputes: 0.08 };

/** What the other side of an escrow will do, drawn when the job is agreed. */
export const counterpartyBehaviour = (
  rng: Prng,
  odds: CounterpartyOdds = DEFAULT_COUNTERPARTY_ODDS,
): CounterpartyBehaviour => {
  const x = rng.next();
  return x < odds.pays ? 'pays' : x < odds.pays + odds.disputes ? 'disputes' : 'defaults';
};
