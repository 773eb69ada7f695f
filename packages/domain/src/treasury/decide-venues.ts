import * as E from 'fp-ts/Either';
import type { Instant } from '../instant';
import { Decimal, roundMoney, type Money } from '../money';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { reject } from './rejections';
import { bucketOf, requireConfig, type TreasuryState } from './state';
import { deployedInVenues, pendingYield, type VenuePosition } from './venue-state';

const iso = (ms: number) => new Date(ms).toISOString();

/** A venue's accrual up to `at` (or its maturity), or nothing when no time has passed since the last one. */
const accrual = (venueId: string, p: VenuePosition, at: Instant, evenIfZero: boolean): TreasuryEvent[] => {
  const to = p.maturesAt === undefined || at < p.maturesAt ? at : p.maturesAt;
  if (to <= p.accruedAt) return [];
  const amount = pendingYield(p, at);
  if (amount.isZero() && !evenIfZero) return [];
  return [{ type: 'YieldAccrued', at, venueId: venueId as never, amount, apy: p.apy, from: p.accruedAt, to }];
};

/** The reserve bucket's money that no venue holds: all a venue deposit (or anything else) may take from it. */
export const idleReserve = (
  s: TreasuryState,
): { readonly bucket: string; readonly idle: Money; readonly deployed: Money } => {
  const bucket = requireConfig(s).roles.reserve;
  const deployed = deployedInVenues(s.venues);
  return { bucket, idle: bucketOf(s, bucket).minus(deployed), deployed };
};

/**
 * Idle money of the reserve bucket into a venue at its quote. A variable-rate position takes more
 * at the new quote (accrued at the old rate first); a fixed-term position's terms are set once.
 */
export const decideDepositToVenue = (c: CommandOf<'DepositToVenue'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const fixed = c.kind === 'fixed-term';
  if (fixed !== (c.maturesAt !== undefined) || (fixed && c.maturesAt! <= c.at))
    return E.left(
      reject('VENUE_INVALID', 'a fixed-term venue needs a maturity after now, and only a fixed-term venue has one', {
        kind: c.kind,
        maturesAt: c.maturesAt ?? 'none',
      }),
    );
  if (c.exitFee !== undefined && !c.exitFee.isZero() && c.kind !== 'liquidity-pool')
    return E.left(reject('VENUE_INVALID', 'only a liquidity pool charges an exit fee', { kind: c.kind }));
  const p = s.venues?.[c.venueId];
  if (p !== undefined && p.kind !== c.kind)
    return E.left(
      reject('VENUE_INVALID', `venue ${c.venueId} is a ${p.kind} venue, not ${c.kind}`, {
        venueId: c.venueId,
        kind: p.kind,
      }),
    );
  if (p !== undefined && fixed)
    return E.left(
      reject(
        'VENUE_TERMS_FIXED',
        `venue ${c.venueId} is a fixed-term position until ${iso(p.maturesAt!)}: its terms are set; deposit under a new venue id`,
        { venueId: c.venueId, maturesAt: p.maturesAt!, apy: p.apy },
      ),
    );
  const { bucket, idle, deployed } = idleReserve(s);
  if (c.amount.gt(idle))
    return E.left(
      reject('INSUFFICIENT_FUNDS', `bucket ${bucket} has ${idle.toFixed()} idle (${deployed.toFixed()} is in venues)`, {
        bucket,
        amount: c.amount,
        idle,
        deployed,
      }),
    );
  const events: TreasuryEvent[] = [];
  if (p !== undefined) {
    events.push(...accrual(c.venueId, p, c.at, !p.apy.eq(c.apy)));
    if (!p.apy.eq(c.apy))
      events.push({ type: 'VenueRateChanged', at: c.at, venueId: c.venueId, from: p.apy, to: c.apy });
  }
  events.push({
    type: 'VenueDeposited',
    at: c.at,
    venueId: c.venueId,
    kind: c.kind,
    amount: c.amount,
    apy: c.apy,
    exitFee: c.exitFee ?? p?.exitFee ?? new Decimal(0),
    ...(c.maturesAt === undefined ? {} : { maturesAt: c.maturesAt }),
  });
  return E.right(events);
};

const unknownVenue = (venueId: string, s: TreasuryState) =>
  reject('UNKNOWN_VENUE', `no money is in venue ${venueId}`, {
    venueId,
    venues: Object.keys(s.venues ?? {}).join(',') || 'none',
  });

/** Money back to idle: a fixed term only from maturity; a liquidity pool keeps its exit fee (rounded up). */
export const decideWithdrawFromVenue = (c: CommandOf<'WithdrawFromVenue'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const p = s.venues?.[c.venueId];
  if (p === undefined) return E.left(unknownVenue(c.venueId, s));
  if (p.maturesAt !== undefined && c.at < p.maturesAt)
    return E.left(
      reject('VENUE_NOT_MATURED', `venue ${c.venueId} is fixed-term until ${iso(p.maturesAt)}`, {
        venueId: c.venueId,
        maturesAt: p.maturesAt,
        maturesAtIso: iso(p.maturesAt),
        value: p.value,
      }),
    );
  const accrued = accrual(c.venueId, p, c.at, false);
  const value = accrued.reduce((v, e) => (e.type === 'YieldAccrued' ? v.plus(e.amount) : v), p.value);
  const amount = c.amount ?? value;
  if (amount.gt(value))
    return E.left(
      reject('INSUFFICIENT_FUNDS', `venue ${c.venueId} holds ${value.toFixed()}`, {
        venueId: c.venueId,
        amount,
        value,
      }),
    );
  const fee = roundMoney(amount.mul(p.exitFee), 'up');
  return accept(...accrued, { type: 'VenueWithdrawn', at: c.at, venueId: c.venueId, amount, fee });
};

/** A variable rate's new quote: accrued at the old rate up to now (recorded even when it rounds to 0), then changed. */
export const decideRecordVenueRate = (c: CommandOf<'RecordVenueRate'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const p = s.venues?.[c.venueId];
  if (p === undefined) return E.left(unknownVenue(c.venueId, s));
  if (p.kind === 'fixed-term')
    return E.left(
      reject('VENUE_TERMS_FIXED', `venue ${c.venueId} is fixed-term: its APY is ${p.apy.toFixed()} until maturity`, {
        venueId: c.venueId,
        apy: p.apy,
      }),
    );
  if (p.apy.eq(c.apy))
    return E.left(reject('VENUE_RATE_UNCHANGED', `venue ${c.venueId} already pays ${p.apy.toFixed()}`, { apy: p.apy }));
  return accept(...accrual(c.venueId, p, c.at, true), {
    type: 'VenueRateChanged',
    at: c.at,
    venueId: c.venueId,
    from: p.apy,
    to: c.apy,
  });
};

/** What every venue earned since its last accrual; refused when there is nothing yet (a driver may ask daily). */
export const decideAccrueYield = (c: CommandOf<'AccrueYield'>, a: TreasuryAccount): Decision => {
  const venues = a.treasury.venues ?? {};
  const events = Object.keys(venues)
    .sort()
    .flatMap((id) => accrual(id, venues[id]!, c.at, false));
  if (events.length === 0)
    return E.left(
      reject('NOTHING_TO_ACCRUE', 'no venue has earned anything since its last accrual', {
        venues: Object.keys(venues).length,
      }),
    );
  return E.right(events);
};

/**
 * Money in venues is the reserve bucket's but not at hand: a move that would leave the bucket with
 * less than its venues hold is refused, with what to withdraw first.
 */
export const venueShortfall = (before: TreasuryState, after: TreasuryState) => {
  if (after.venues === undefined) return undefined;
  const { bucket, idle, deployed } = idleReserve(after);
  if (idle.gte(0)) return undefined;
  return reject(
    'FUNDS_IN_VENUE',
    `this move needs ${idle.neg().toFixed()} more of bucket ${bucket} than is idle: ${deployed.toFixed()} is in ` +
      'venues; withdraw from one (WithdrawFromVenue) first',
    { bucket, idle: idleReserve(before).idle, deployed, short: idle.neg() },
  );
};
