export * from './accounts';
export * from './posting';
export { treasuryPostings } from './treasury-postings';
export { poolPostings, repaymentTransferId } from './pool-postings';
export { treasuryBalances, poolBalances } from './expected-balances';
export { LedgerBook, type LedgerProblem, type LedgerProblemCode, type PostingSource } from './ledger-book';
