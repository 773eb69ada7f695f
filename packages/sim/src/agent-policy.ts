import { CASINO_GAME_NAMES, type CasinoGameName } from '@ballast/domain';
import type { Prng } from './prng';

/** How one simulated agent behaves: how often it acts, and whether it is an honest voter. */
export interface AgentPolicy {
  readonly agentId: string;
  /** Chance per hour of placing a casino bet. */
  readonly betsPerHour: number;
  readonly favouriteGame: CasinoGameName;
  /** Chance per hour of opening a perpetual position. */
  readonly tradesPerHour: number;
  /** Chance per hour of hiring another agent through escrow. */
  readonly hiresPerHour: number;
  /** A dishonest voter votes against the evidence. */
  readonly honest: boolean;
  /** Chance per day of filing a claim with no loss behind it. */
  readonly bogusClaimsPerDay: number;
}

/** Agents drawn from the seed: a few voters are dishonest at `dishonestRate`. */
export const agentPolicies = (rng: Prng, count: number, dishonestRate: number): AgentPolicy[] =>
  Array.from({ length: count }, (_, i) => ({
    agentId: `agent-${i + 1}`,
    betsPerHour: 0.1 + rng.next() * 0.3,
    favouriteGame: rng.pick(CASINO_GAME_NAMES),
    tradesPerHour: 0.01 + rng.next() * 0.03,
    hiresPerHour: 0.005 + rng.next() * 0.02,
    honest: !rng.chance(dishonestRate),
    bogusClaimsPerDay: rng.chance(0.3) ? 0.02 : 0,
  }));
