import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';

/**
 * Whether a simulation ran to its end, recorded in the store it wrote: one event in a stream of the
 * simulation's own, `simulation-<seed>`, appended after the last hour it simulated.
 *
 * The stream is outside Ballast's categories (treasury-, pool-, escrow-), so an audit verifies its
 * hash chain and does not fold it; the event carries no actor, so the audit trail read model skips it
 * too. A complete run therefore has the same audit digest as before the marker existed. It is
 * appended last, so no domain event's global position moves either.
 *
 * A store with no marker at all was stopped without a chance to write one (killed, power lost).
 */
export const SIMULATION_STREAM_PREFIX = 'simulation-';
export const simulationStream = (seed: number): string => `${SIMULATION_STREAM_PREFIX}${seed}`;

export interface RunMarker {
  readonly complete: boolean;
  readonly hoursRun: number;
  readonly totalHours: number;
  /** Why a run ended early (`SIGINT`); absent for a complete run. */
  readonly stoppedBy?: string;
}

export const appendRunMarker = async (store: EventStore, seed: number, marker: RunMarker): Promise<void> => {
  const type = marker.complete ? 'SimulationCompleted' : 'SimulationStopped';
  const data = { hoursRun: marker.hoursRun, totalHours: marker.totalHours, ...(marker.stoppedBy ? { stoppedBy: marker.stoppedBy } : {}) };
  const result = await store.append(simulationStream(seed), [{ type, version: 1, data }], { expectedRevision: 'no_stream', commandId: `${simulationStream(seed)}-${type}` });
  if (E.isLeft(result)) throw new Error(`could not record the simulation's end in ${simulationStream(seed)}: ${JSON.stringify(result.left)}`);
};

/** The marker of the run with this seed, if the store holds one. */
export const readRunMarker = async (store: EventStore, seed: number): Promise<RunMarker | undefined> => {
  let marker: RunMarker | undefined;
  for await (const e of store.readStream(simulationStream(seed), { from: 'end', direction: 'backwards', maxCount: 1 })) {
    const d = e.data as { hoursRun?: unknown; totalHours?: unknown; stoppedBy?: unknown };
    marker = {
      complete: e.type === 'SimulationCompleted',
      hoursRun: Number(d.hoursRun),
      totalHours: Number(d.totalHours),
      ...(typeof d.stoppedBy === 'string' ? { stoppedBy: d.stoppedBy } : {}),
    };
  }
  return marker;
};
