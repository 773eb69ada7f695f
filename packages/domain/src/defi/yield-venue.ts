import * as t from 'io-ts';
import type { Decimal } from '../money';

/**
 * The three kinds of yield venue of seed 002's base sleeve:
 * - `lending` (Aave-like): a variable APY, money in and out at any time;
 * - `fixed-term` (Pendle PT-like): the APY is fixed at the first deposit until `maturesAt`; nothing
 *   comes out before maturity and nothing accrues after it;
 * - `liquidity-pool` (Curve-like): a variable APY, and an exit fee on what is withdrawn.
 */
export const VenueKindCodec = t.keyof({ lending: null, 'fixed-term': null, 'liquidity-pool': null }, 'venue kind');
export type VenueKind = t.TypeOf<typeof VenueKindCodec>;

/** What a venue offers at an instant: the APY (0.065 is 6.5%), a maturity for a fixed term, an exit fee. */
export interface VenueQuote {
  readonly venueId: string;
  readonly kind: VenueKind;
  readonly apy: Decimal;
  /** Fixed-term venues only: when the position matures (ms). */
  readonly maturesAt?: number;
  /** The fraction of a withdrawal the venue keeps (0 for lending and fixed-term). */
  readonly exitFee: Decimal;
}

/**
 * The venue port. A venue quotes its terms; the treasury decides and records every deposit,
 * withdrawal, rate change and accrual (DepositToVenue, WithdrawFromVenue, RecordVenueRate,
 * AccrueYield) with the quote it used, so the books never depend on asking a venue again.
 * The simulated venues of @ballast/sim implement it; an on-chain adapter would too, carrying out
 * a move after the treasury recorded it. Asynchronous because a remote venue is.
 */
export interface YieldVenue {
  readonly id: string;
  readonly kind: VenueKind;
  quote(at: number): Promise<VenueQuote>;
}
