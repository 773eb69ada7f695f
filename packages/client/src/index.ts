export type {
  AggregateView,
  Aggregates,
  CommandInput,
  ExecuteOptions,
  Executed,
  FollowedKind,
  ReadOptions,
} from './aggregates';
export type { Answer, Failure, WireEvent } from './answers';
export { BACKOFF } from './backoff';
export { ballastClient, type BallastClient } from './client';
export type { Follow, ReadModelView } from './follow';
export type { ClientOptions } from './http';
export type { CreatedKey, KeyInfo, Keys, Role } from './keys';
export { StreamRefused } from './stream-error';
export type { CommandInputs, EscrowCommandInput, PoolCommandInput, TreasuryCommandInput } from '@ballast/domain';
