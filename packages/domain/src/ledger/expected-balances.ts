import { Decimal, type Money } from '../money';
import type { PoolState } from '../insurance/pool-state';
import type { TreasuryState } from '../treasury/state';
import {
  type AccountName,
  betsAccount,
  bucketAccount,
  escrowAccount,
  holdingsAccount,
  marginAccount,
  reserveAccount,
  venueAccount,
} from './accounts';
import { deployedInVenues } from '../treasury/venue-state';

const sum = (values: Iterable<Money>): Money => {
  let n = new Decimal(0);
  for (const v of values) n = n.plus(v);
  return n;
};

/** Every account a treasury's own state says it holds: the ledger must agree with each. */
export const treasuryBalances = (id: string, s: TreasuryState): [AccountName, Money][] => [
  // The reserve bucket's account holds what no venue does: the rest of it is in the venues' accounts.
  ...Object.entries(s.buckets).map(([b, v]): [AccountName, Money] => [
    bucketAccount(id, b),
    s.venues !== undefined && b === s.config?.roles.reserve ? v.minus(deployedInVenues(s.venues)) : v,
  ]),
  ...Object.entries(s.venues ?? {}).map(([v, p]): [AccountName, Money] => [venueAccount(id, v), p.value]),
  ...Object.entries(s.escrows).map(([e, lock]): [AccountName, Money] => [
    escrowAccount(id, e),
    lock.amount.plus(lock.fee),
  ]),
  [marginAccount(id), sum(Object.values(s.positions).map((p) => p.margin))],
  [betsAccount(id), sum(Object.values(s.bets).map((b) => b.stake))],
  // Only once the treasury has swapped: older treasuries report exactly the accounts they always did.
  ...(s.holdings === undefined
    ? []
    : [[holdingsAccount(id), sum(Object.values(s.holdings).map((h) => h!.cost))] as [AccountName, Money]]),
];

export const poolBalances = (id: string, s: PoolState): [AccountName, Money][] => [[reserveAccount(id), s.reserve]];
