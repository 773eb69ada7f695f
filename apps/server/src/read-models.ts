import {
  auditTrail,
  breakerHistory,
  escrowStates,
  openEscrows,
  poolHealth,
  poolStates,
  type Projection,
  riskBoard,
  stateToJson,
  treasuryAccounts,
  treasuryOverview,
} from '@ballast/engine';

/** A read model the API serves: the projection the server runs, and the view of its state it shows. */
export interface ServedReadModel {
  readonly projection: Projection<unknown>;
  view(state: unknown): unknown;
}

const served = <S>(projection: Projection<S>, view: (state: S) => unknown): ServedReadModel => ({
  projection: projection as Projection<unknown>,
  view: (state) => stateToJson(view(state as S)),
});

/** The read models by their public name (`GET /v1/read-models/:name`). */
export const READ_MODELS: Readonly<Record<string, ServedReadModel>> = {
  'treasury-overview': served(treasuryAccounts, treasuryOverview),
  'risk-board': served(treasuryAccounts, riskBoard),
  'pool-health': served(poolStates, poolHealth),
  'open-escrows': served(escrowStates, openEscrows),
  'audit-trail': served(auditTrail, (s) => s),
  'breaker-history': served(breakerHistory, (s) => s),
};

/** Each projection once, however many views share it. */
export const projectionsToRun = (): Projection<unknown>[] => [
  ...new Set(Object.values(READ_MODELS).map((m) => m.projection)),
];
