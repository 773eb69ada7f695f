import type { VenueKind } from '../defi/yield-venue';
import { accrueYield } from '../defi/yield-accrual';
import { addMoney, type Decimal, type Money, ZERO } from '../money';
import type { Instant } from '../instant';
import type { VenueEvent } from './venue-events';

/** One venue position of the reserve bucket: its terms, what it is worth now, and what went in and was earned. */
export interface VenuePosition {
  readonly kind: VenueKind;
  readonly apy: Decimal;
  readonly exitFee: Decimal;
  readonly maturesAt?: Instant;
  /** Deposits plus accrued yield less withdrawals: what the venue holds for the treasury. */
  readonly value: Money;
  readonly deposited: Money;
  readonly earned: Money;
  /** Yield is accrued up to here. */
  readonly accruedAt: Instant;
}

export type Venues = Readonly<Record<string, VenuePosition>>;

/** What the venues hold in all: money of the reserve bucket that is deployed rather than idle. */
export const deployedInVenues = (venues: Venues | undefined): Money => {
  let total = ZERO;
  for (const id in venues) total = addMoney(total, venues[id]!.value);
  return total;
};

/**
 * What a venue has earned since its last accrual and not yet recorded, at `now`: a fixed-term
 * position stops earning at maturity.
 */
export const pendingYield = (p: VenuePosition, now: number): Money =>
  accrueYield(p.value, p.apy, p.accruedAt, p.maturesAt === undefined ? now : Math.min(now, p.maturesAt));

/** Absent until a treasury's first venue deposit, so treasuries without venues fold (and digest) as before. */
export const evolveVenues = (venues: Venues | undefined, e: VenueEvent): Venues => {
  const all = venues ?? {};
  const p = all[e.venueId];
  switch (e.type) {
    case 'VenueDeposited':
      return {
        ...all,
        [e.venueId]: {
          kind: e.kind,
          apy: e.apy,
          exitFee: e.exitFee,
          ...(e.maturesAt === undefined ? {} : { maturesAt: e.maturesAt }),
          value: addMoney(p?.value ?? ZERO, e.amount),
          deposited: addMoney(p?.deposited ?? ZERO, e.amount),
          earned: p?.earned ?? ZERO,
          accruedAt: e.at,
        },
      };
    case 'YieldAccrued':
      return {
        ...all,
        [e.venueId]: {
          ...p!,
          value: addMoney(p!.value, e.amount),
          earned: addMoney(p!.earned, e.amount),
          accruedAt: e.to,
        },
      };
    case 'VenueRateChanged':
      return { ...all, [e.venueId]: { ...p!, apy: e.to } };
    case 'VenueWithdrawn': {
      const value = p!.value.minus(e.amount);
      if (value.isZero()) {
        const { [e.venueId]: _gone, ...rest } = all;
        return rest;
      }
      return { ...all, [e.venueId]: { ...p!, value } };
    }
  }
};
