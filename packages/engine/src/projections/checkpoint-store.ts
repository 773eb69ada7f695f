/** What a projection or process manager has durably done: its fold version, position and state. */
export interface Checkpoint {
  readonly version: number;
  /** The global position of the last event processed (0: none). */
  readonly position: number;
  readonly stateJson: string;
}

export interface DeadLetter {
  readonly position: number;
  readonly streamId: string;
  readonly revision: number;
  readonly type: string;
  readonly error: string;
  readonly attempts: number;
}

/**
 * Durable checkpoints. State and position are saved together in one write, so after a crash a
 * projection resumes exactly where its state says it is: no event counted twice, none missed.
 */
export interface CheckpointStore {
  load(name: string): Promise<Checkpoint | undefined>;
  save(name: string, checkpoint: Checkpoint, parked?: readonly DeadLetter[]): Promise<void>;
  deadLetters(name: string): Promise<readonly DeadLetter[]>;
  close(): Promise<void>;
}

export const memoryCheckpoints = (): CheckpointStore => {
  const checkpoints = new Map<string, Checkpoint>();
  const parked = new Map<string, DeadLetter[]>();
  return {
    load: async (name) => checkpoints.get(name),
    save: async (name, checkpoint, letters = []) => {
      checkpoints.set(name, checkpoint);
      if (letters.length > 0) parked.set(name, [...(parked.get(name) ?? []), ...letters]);
    },
    deadLetters: async (name) => parked.get(name) ?? [],
    close: async () => undefined,
  };
};
