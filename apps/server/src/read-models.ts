import {
  auditTrail,
  breakerHistory,
  decisionOutcomes,
  escrowStates,
  openEscrows,
  pendingApprovals,
  poolHealth,
  poolStates,
  portfolios,
  type Projection,
  type RunningProjection,
  riskBoard,
  stateToJson,
  treasuryAccounts,
  treasuryControls,
  treasuryOverview,
} from '@ballast/engine';
import { defiSeries, defiSeriesRows } from '@ballast/engine';

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
  'pending-approvals': served(treasuryAccounts, pendingApprovals),
  'treasury-controls': served(treasuryAccounts, treasuryControls),
  'pool-health': served(poolStates, poolHealth),
  // Seed 001's tracker: each treasury's cash and assets by chain, valued in USD with the price used.
  portfolios: served(treasuryAccounts, portfolios),
  'open-escrows': served(escrowStates, openEscrows),
  'audit-trail': served(auditTrail, (s) => s),
  'breaker-history': served(breakerHistory, (s) => s),
  // Each DeFi decision (signal, advice, swap) and how the market moved 1, 7 and 30 days after it.
  'decision-outcomes': served(decisionOutcomes, (s) => s),
  // The DeFi charts' history: one point per market reading per DeFi treasury, and the last signals.
  'defi-series': served(defiSeries, defiSeriesRows),
};

/** A read model's view as JSON text, made once per state however many clients ask. */
const views = new WeakMap<ServedReadModel, { state: unknown; json: string }>();

/**
 * `{ name, position, state }` of a read model now, serialized. The view is cached by the state
 * object (a projection's state is a new object after every event that changes it and never changes
 * in place, so the same object means the same view); the position is the projection's now, since
 * events that leave a read model as it was still move it on.
 */
export const readModelBody = (name: string, model: ServedReadModel, running: RunningProjection<unknown>): string => {
  const state = running.state$.value;
  let cached = views.get(model);
  if (cached === undefined || cached.state !== state) {
    cached = { state, json: JSON.stringify(model.view(state)) };
    views.set(model, cached);
  }
  return `{"name":${JSON.stringify(name)},"position":${running.position()},"state":${cached.json}}`;
};

/** Each projection once, however many views share it. */
export const projectionsToRun = (): Projection<unknown>[] => [
  ...new Set(Object.values(READ_MODELS).map((m) => m.projection)),
];
