import { stateToJson } from '../state-digest';
import type { Projection } from '../projections/projection';
import { BoundedLists } from './bounded-lists';
import { decodeDomain } from './decode-domain';
import type { RecordedEvent } from '@ballast/domain';

const BREAKERS = new Set([
  'RiskPaused',
  'RiskResumed',
  'RiskHalted',
  'TradingHalted',
  'TradingResumed',
  'CasinoSessionStopped',
  'ReserveFloorBreached',
  'CommandRejected',
]);
/** Kept per treasury; older entries stay in the event log. */
export const BREAKER_HISTORY_LIMIT = 200;

export interface BreakerEntry {
  readonly position: number;
  readonly type: string;
  readonly at: number;
  readonly details: unknown;
}

/** The entry for a breaker event of a treasury, with the treasury's id; undefined for every other event. */
const breakerEntry = (recorded: RecordedEvent): { id: string; entry: BreakerEntry } | undefined => {
  const d = decodeDomain(recorded);
  if (d?.kind !== 'treasury' || !BREAKERS.has(d.event.type)) return undefined;
  const { type, at, ...details } = d.event;
  return { id: d.id, entry: { position: recorded.position, type, at, details: stateToJson(details) } };
};

/** Every breaker trip, resume and recorded refusal per treasury, with its numbers. */
export const breakerHistory: Projection<Record<string, BreakerEntry[]>> = {
  name: 'breaker-history',
  version: 1,
  initial: {},
  evolve: (state, recorded) => {
    const found = breakerEntry(recorded);
    if (found === undefined) return state;
    return { ...state, [found.id]: [...(state[found.id] ?? []), found.entry].slice(-BREAKER_HISTORY_LIMIT) };
  },
  inPlace: (from) => {
    const histories = new BoundedLists<BreakerEntry>(BREAKER_HISTORY_LIMIT, from);
    return {
      step: (recorded) => {
        const found = breakerEntry(recorded);
        if (found !== undefined) histories.push(found.id, found.entry);
      },
      finish: () => histories.toRecord(),
    };
  },
};
