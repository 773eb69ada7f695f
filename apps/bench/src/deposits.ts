import type { NewEventInput } from '@ballast/event-store';
import type { Deposit } from './emmett-peer';

/** About 180 bytes of JSON, the row size FACTS.md measured; the same data for every side. */
export const depositData = (i: number) => ({
  amount: `${i % 100000}.${String(i % 999999).padStart(6, '0')}`,
  bucket: 'reserve',
  at: 1767225600000 + i,
  memo: 'benchmark deposit',
});

export const ballastDeposit = (i: number): NewEventInput => ({
  type: 'FundsDeposited',
  version: 1,
  data: depositData(i),
});
export const emmettDeposit = (i: number): Deposit => ({ type: 'FundsDeposited', data: depositData(i) });
export const rawDeposit = (i: number): string => JSON.stringify(depositData(i));
