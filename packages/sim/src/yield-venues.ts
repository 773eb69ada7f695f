import { Decimal, type VenueKind, type VenueQuote, type YieldVenue } from '@ballast/domain';
import { mulberry32 } from './prng';

const DAY = 24 * 3_600_000;

/** How one simulated venue quotes: a base APY, how far it swings over a 90-day cycle, its noise, and its terms. */
export interface SimulatedVenueSpec {
  readonly id: string;
  readonly kind: VenueKind;
  /** The base sleeve's share this venue takes (the three of the default split sum to 1). */
  readonly share: string;
  readonly apy: number;
  readonly swing: number;
  readonly noise: number;
  readonly exitFee?: string;
  /** Fixed-term venues: days from a deposit to its maturity. */
  readonly termDays?: number;
}

/**
 * Seed 002's base sleeve (Aave, Pendle, Curve at 6.5% on average) as three simulated venues: a
 * lending market whose rate drifts around 6.5%, a fixed-term principal token at about 7% for 90
 * days, and a stable liquidity pool around 6% that keeps 0.04% of what leaves it.
 */
export const DEFAULT_VENUES: readonly SimulatedVenueSpec[] = [
  { id: 'aave-usdc', kind: 'lending', share: '0.4', apy: 0.065, swing: 0.01, noise: 0.002 },
  { id: 'pendle-pt', kind: 'fixed-term', share: '0.3', apy: 0.07, swing: 0.005, noise: 0.001, termDays: 90 },
  {
    id: 'curve-3pool',
    kind: 'liquidity-pool',
    share: '0.3',
    apy: 0.06,
    swing: 0.01,
    noise: 0.002,
    exitFee: '0.0004',
  },
];

/**
 * A simulated venue: its quote is a pure function of the seed, its spec and the day of event time
 * (a 90-day swing plus seeded noise, rounded to basis points), so a run replays exactly and no
 * test needs a network.
 */
export const simulatedVenue = (spec: SimulatedVenueSpec, seed: number): YieldVenue => ({
  id: spec.id,
  kind: spec.kind,
  quote: async (at: number): Promise<VenueQuote> => {
    const day = Math.floor(at / DAY);
    const noise = mulberry32(seed).fork(`${spec.id}:${day}`).normal() * spec.noise;
    const apy = Math.max(0, spec.apy + spec.swing * Math.sin((2 * Math.PI * day) / 90) + noise);
    return {
      venueId: spec.id,
      kind: spec.kind,
      apy: new Decimal(apy.toFixed(4)),
      exitFee: new Decimal(spec.exitFee ?? '0'),
      ...(spec.termDays === undefined ? {} : { maturesAt: (day + spec.termDays) * DAY }),
    };
  },
});

/** A venue port and the base sleeve's share it takes. */
export interface VenueSlot {
  readonly venue: YieldVenue;
  readonly share: Decimal;
}

/** The default venues, simulated from `seed`, with their shares. */
export const simulatedVenues = (seed: number, specs: readonly SimulatedVenueSpec[] = DEFAULT_VENUES): VenueSlot[] =>
  specs.map((spec) => ({ venue: simulatedVenue(spec, seed), share: new Decimal(spec.share) }));

/** Every venue's quote at `at`, with its share: what a DeFi treasury's day is given to act on. */
export const quoteVenues = async (slots: readonly VenueSlot[], at: number) =>
  Promise.all(slots.map(async (s) => ({ quote: await s.venue.quote(at), share: s.share })));
