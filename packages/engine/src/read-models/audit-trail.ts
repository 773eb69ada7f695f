import type { RecordedEvent } from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { BoundedLists } from './bounded-lists';

/** Kept per actor; older entries stay in the event log. */
export const AUDIT_TRAIL_LIMIT = 500;

export interface TrailEntry {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly commandId: string;
}

const entryOf = (e: RecordedEvent): TrailEntry => ({
  position: e.position,
  streamId: e.streamId,
  revision: e.revision,
  type: e.type,
  commandId: e.metadata.commandId,
});

/** Who did what: every event by the actor named in its metadata (events without one are skipped). */
export const auditTrail: Projection<Record<string, TrailEntry[]>> = {
  name: 'audit-trail',
  version: 1,
  initial: {},
  evolve: (state, e) => {
    const actor = e.metadata.actor;
    if (actor === undefined) return state;
    return { ...state, [actor]: [...(state[actor] ?? []), entryOf(e)].slice(-AUDIT_TRAIL_LIMIT) };
  },
  inPlace: (from) => {
    const trails = new BoundedLists<TrailEntry>(AUDIT_TRAIL_LIMIT, from);
    return {
      step: (e) => {
        const actor = e.metadata.actor;
        if (actor !== undefined) trails.push(actor, entryOf(e));
      },
      finish: () => trails.toRecord(),
    };
  },
};
