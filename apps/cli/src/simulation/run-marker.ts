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
  const data = {
    hoursRun: marker.hoursRun,
    totalHours: marker.totalHours,
    ...(marker.stoppedBy ? { stoppedBy: marker.stoppedBy } : {}),
  };
  const result = await store.append(simulationStream(seed), [{ type, version: 1, data }], {
    expectedRevision: 'no_stream',
    commandId: `${simulationStream(seed)}-${type}`,
  });
  if (E.isLeft(result))
    throw new Error(
      `could not record the simulation's end in ${simulationStream(seed)}: ${JSON.stringify(result.left)}`,
    );
};

const markerOf = (data: unknown, type: string): RunMarker => {
  const d = data as { hoursRun?: unknown; totalHours?: unknown; stoppedBy?: unknown };
  return {
    complete: type === 'SimulationCompleted',
    hoursRun: Number(d.hoursRun),
    totalHours: Number(d.totalHours),
    ...(typeof d.stoppedBy === 'string' ? { stoppedBy: d.stoppedBy } : {}),
  };
};

/** The marker of the run with this seed, if the store holds one. */
export const readRunMarker = async (store: EventStore, seed: number): Promise<RunMarker | undefined> => {
  let marker: RunMarker | undefined;
  for await (const e of store.readStream(simulationStream(seed), { from: 'end', direction: 'backwards', maxCount: 1 }))
    marker = markerOf(e.data, e.type);
  return marker;
};

/**
 * How the simulation that wrote this store ended, for `ballast audit`: the marker is appended last, so
 * it is the store's last event. Undefined when the last event is not a marker (not a simulation's
 * store, or a run killed before it could write one).
 */
export const readLastRunMarker = async (
  store: EventStore,
): Promise<(RunMarker & { readonly streamId: string }) | undefined> => {
  const head = await store.headPosition();
  if (head === 0) return undefined;
  for await (const e of store.readAll({ fromPosition: head, maxCount: 1 })) {
    if (
      e.streamId.startsWith(SIMULATION_STREAM_PREFIX) &&
      (e.type === 'SimulationCompleted' || e.type === 'SimulationStopped')
    )
      return { streamId: e.streamId, ...markerOf(e.data, e.type) };
  }
  return undefined;
};

/** One line for `ballast audit`: whether the simulation run in the store is complete. */
export const runMarkerLine = (m: RunMarker & { readonly streamId: string }): string =>
  m.complete
    ? `run       complete: ${m.streamId} ran all ${m.totalHours} hours (SimulationCompleted)`
    : `run       INCOMPLETE: ${m.streamId} stopped${m.stoppedBy ? ` by ${m.stoppedBy}` : ''} ` +
      `after hour ${m.hoursRun} of ${m.totalHours} (SimulationStopped); the figures are of the partial run`;
