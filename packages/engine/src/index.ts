export {
  TREASURY,
  POOL,
  ESCROW,
  ACCESS,
  AGGREGATE_KINDS,
  KINDS,
  kindOfStream,
  kindName,
  streamIdOf,
  type AggregateKind,
  type AnyKind,
  type KindName,
  type FacadeName,
  type CommandInput,
  type CommandOfKind,
  type EventOfKind,
  type StateOfKind,
} from './aggregate-kinds';
export { toStored, fromRecorded, type EventContext } from './event-mapping';
export { schemaVersionOf, upcast, READ_ONLY_TYPES } from './event-versions';
export { stateDigest, stateToJson } from './state-digest';
export { SnapshotCache, type Snapshot, type SnapshotCounts, type SnapshotProblem } from './snapshot-cache';
export { loadAggregate, type Loaded } from './load-aggregate';
export { replayStream, type Replayed } from './replay-stream';
export {
  executeCommand,
  MAX_CONFLICT_RETRIES,
  type Clock,
  type Committed,
  type CommandFailure,
} from './execute-command';
export { EngineError } from './engine-error';
export {
  openBallast,
  systemClock,
  type Ballast,
  type BallastOptions,
  type AggregateFacade,
  type FacadeOf,
  type Facades,
  type SnapshotStatus,
} from './open-ballast';
export { auditStore, type AuditReport, type AuditOptions, type AggregateDigest, type AuditProblem } from './audit';
export * from './anchors';
export * from './log-export';
export type { LedgerReport } from './ledger-audit';
export { serializeState, deserializeState } from './state-json';
export type { Projection } from './projections/projection';
export {
  memoryCheckpoints,
  type CheckpointStore,
  type Checkpoint,
  type DeadLetter,
} from './projections/checkpoint-store';
export { openSqliteCheckpoints } from './projections/sqlite-checkpoints';
export { runProjection, type RunningProjection, type ProjectionOptions } from './projections/run-projection';
export * from './read-models';
export * from './process-managers';
