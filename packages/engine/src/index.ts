export { TREASURY, POOL, ESCROW, KINDS, kindOfStream, streamIdOf, type AggregateKind, type AnyKind } from './aggregate-kinds';
export { toStored, fromRecorded, EVENT_SCHEMA_VERSION, type EventContext } from './event-mapping';
export { stateDigest, stateToJson } from './state-digest';
export { SnapshotCache, type Snapshot } from './snapshot-cache';
export { loadAggregate, type Loaded } from './load-aggregate';
export { executeCommand, MAX_CONFLICT_RETRIES, type Clock, type Committed, type CommandFailure } from './execute-command';
export { EngineError } from './engine-error';
export { openBallast, systemClock, type Ballast, type BallastOptions, type AggregateFacade } from './open-ballast';
export { auditStore, type AuditReport, type AggregateDigest, type AuditProblem } from './audit';
