export type {
  EventStore,
  AppendOptions,
  AppendResult,
  ExpectedRevision,
  NewEventInput,
  ReadAllOptions,
  ReadStreamOptions,
  SnapshotSlots,
  StoredSnapshot,
  StreamHead,
  SubscribeOptions,
  VerifyOptions,
} from './port';
export type { AppendError, AppendResultEither, CommandIdReused, WrongExpectedRevision } from './append-errors';
export type {
  VerifiedEventHandler,
  VerifiedHeadHandler,
  VerifyProblem,
  VerifyProblemKind,
  VerifyReport,
} from './verify';
export { StoreError, type StoreErrorCode } from './store-error';
export { catchUpThenLive } from './subscription';
export { ChainWalker } from './verify';
export { GENESIS_HASH, canonicalEnvelope, chainHash, deriveEventId, deriveEventIds } from './hash-chain';
export * from './limits';
export { openMemoryStore } from './memory/open-memory-store';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite/open-sqlite-store';
export { LATEST_SCHEMA_VERSION, BALLAST_APPLICATION_ID } from './sqlite/schema';
export type { CommitInfo } from './sqlite/sqlite-backend';
export { openEsdbStore, DEFAULT_ESDB_NAMESPACE, ESDB_URL_ENV, type EsdbStoreOptions } from './esdb/open-esdb-store';
