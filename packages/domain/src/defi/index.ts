export * from './market-snapshot';
export * from './market-policy';
export * from './market-signal';
