/** Simulation time: moves only when the simulator says so. Plugs into the engine as its clock. */
export interface VirtualClock {
  now(): number;
  advance(ms: number): number;
}

export const virtualClock = (start: number): VirtualClock => {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
};
