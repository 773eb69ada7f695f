export type { EventStore, AppendOptions, AppendResult, ExpectedRevision, NewEventInput, ReadAllOptions, ReadStreamOptions, StreamHead, SubscribeOptions } from './port';
export type { AppendError, AppendResultEither, CommandIdReused, WrongExpectedRevision } from './append-errors';
export type { VerifyProblem, VerifyProblemKind, VerifyReport } from './verify';
export { StoreError, type StoreErrorCode } from './store-error';
export { GENESIS_HASH, canonicalEnvelope, chainHash, deriveEventId } from './hash-chain';
export * from './limits';
export { openMemoryStore } from './memory/open-memory-store';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite/open-sqlite-store';
export { LATEST_SCHEMA_VERSION } from './sqlite/schema';
