import type { Party } from '../transfers/transfer-codecs';

/**
 * Ledger accounts, by name, `/`-separated (no id may contain a `/`). Internal accounts hold money that an aggregate's
 * own state also
 * shows (a bucket, a lock, a reserve); `transit/` holds a transfer between its legs; `external/`
 * is the world outside (its balance is the negative of what flowed in).
 */
export type AccountName = string;

export const bucketAccount = (treasury: string, bucket: string): AccountName => `treasury/${treasury}/bucket/${bucket}`;
/** Each escrow hold is the payer treasury's lock for that escrow (amount + fee). */
export const escrowAccount = (treasury: string, escrowId: string): AccountName =>
  `treasury/${treasury}/escrow/${escrowId}`;
export const marginAccount = (treasury: string): AccountName => `treasury/${treasury}/margin`;
export const betsAccount = (treasury: string): AccountName => `treasury/${treasury}/bets`;
/** BTC and ETH the treasury holds, at cost in USD (their market value is not the books'). */
export const holdingsAccount = (treasury: string): AccountName => `treasury/${treasury}/holdings`;
/** Money of the reserve bucket a yield venue holds: the bucket's account keeps only the idle rest. */
export const venueAccount = (treasury: string, venueId: string): AccountName => `treasury/${treasury}/venue/${venueId}`;
/** A pool's cash. Stakes are part of it: a member's stake is its attributed share, not separate money. */
export const reserveAccount = (pool: string): AccountName => `pool/${pool}/reserve`;
export const transitAccount = (transferId: string): AccountName => `transit/${transferId}`;

/**
 * Where money enters or leaves the system. `legacy` is money history written before transfers existed moved with one
 * leg.
 */
export const EXTERNAL_FLOWS = [
  'deposits',
  'withdrawals',
  'casino',
  'trading',
  'funding',
  'revaluation',
  'referrals',
  'fees',
  'yield',
  'legacy',
] as const;
export type ExternalFlow = (typeof EXTERNAL_FLOWS)[number];
export const externalAccount = (flow: ExternalFlow): AccountName => `external/${flow}`;

export const isExternal = (account: AccountName): boolean => account.startsWith('external/');
export const isTransit = (account: AccountName): boolean => account.startsWith('transit/');
export const partyOfAccount = (account: AccountName): Party | undefined => {
  const [kind, id] = account.split('/');
  return kind === 'treasury' || kind === 'pool' ? ({ kind, id } as Party) : undefined;
};
