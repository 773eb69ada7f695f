import { stateToJson } from '../state-digest';
import type { Projection } from '../projections/projection';
import { decodeDomain } from './decode-domain';

const BREAKERS = new Set(['RiskPaused', 'RiskResumed', 'RiskHalted', 'TradingHalted', 'TradingResumed', 'CasinoSessionStopped', 'ReserveFloorBreached', 'CommandRejected']);
/** Kept per treasury; older entries stay in the event log. */
export const BREAKER_HISTORY_LIMIT = 200;

export interface BreakerEntry {
  readonly position: number;
  readonly type: string;
  readonly at: number;
  readonly details: unknown;
}

/** Every breaker trip, resume and recorded refusal per treasury, with its numbers. */
export const breakerHistory: Projection<Record<string, BreakerEntry[]>> = {
  name: 'breaker-history',
  version: 1,
  initial: {},
  evolve: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (d?.kind !== 'treasury' || !BREAKERS.has(d.event.type)) return state;
    const { type, at, ...details } = d.event;
    const entry = { position: recorded.position, type, at, details: stateToJson(details) };
    return { ...state, [d.id]: [...(state[d.id] ?? []), entry].slice(-BREAKER_HISTORY_LIMIT) };
  },
};
