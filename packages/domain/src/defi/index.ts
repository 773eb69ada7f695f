export * from './market-snapshot';
export * from './market-policy';
export * from './market-signal';
export * from './market-csv';
export * from './swap-rules';
export * from './yield-accrual';
export * from './allocation-plan';
export * from './advisor';
