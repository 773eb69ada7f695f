import * as t from 'io-ts';
import { RatioFromString } from '../codecs/decimal-codec';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { timedRecord } from '../codecs/timed-record';
import { VenueKindCodec } from '../defi/yield-venue';
import { InstantCodec } from '../instant';
import { LocalIdCodec } from './treasury-ids';

/**
 * Money of the reserve bucket placed in a yield venue at the terms the venue quoted. It stays the
 * bucket's money (targets, floors and the books count it there); the ledger moves it to the
 * venue's own account, so what is deployed and what is idle are both on the record.
 */
export const VenueDeposited = timedRecord(
  'VenueDeposited',
  {
    venueId: LocalIdCodec,
    kind: VenueKindCodec,
    amount: PositiveMoneyFromString,
    apy: RatioFromString,
    exitFee: RatioFromString,
  },
  { maturesAt: InstantCodec },
);
/** What a venue earned from `from` to `to` of event time at `apy`, compounding: income to the bucket, held in the venue. */
export const YieldAccrued = timedRecord('YieldAccrued', {
  venueId: LocalIdCodec,
  amount: NonNegativeMoneyFromString,
  apy: RatioFromString,
  from: InstantCodec,
  to: InstantCodec,
});
/** A variable-rate venue's new APY, from now on (what it earned until now was accrued at the old one first). */
export const VenueRateChanged = timedRecord('VenueRateChanged', {
  venueId: LocalIdCodec,
  from: RatioFromString,
  to: RatioFromString,
});
/** Money back from a venue to the bucket's idle cash: `amount` leaves the venue, `fee` of it stays with the venue. */
export const VenueWithdrawn = timedRecord('VenueWithdrawn', {
  venueId: LocalIdCodec,
  amount: PositiveMoneyFromString,
  fee: NonNegativeMoneyFromString,
});

export const VENUE_EVENTS = [VenueDeposited, YieldAccrued, VenueRateChanged, VenueWithdrawn] as const;
export type VenueEvent = t.TypeOf<(typeof VENUE_EVENTS)[number]>;
