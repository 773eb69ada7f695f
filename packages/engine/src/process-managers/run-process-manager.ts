import type { Ballast } from '../open-ballast';
import type { CheckpointStore } from '../projections/checkpoint-store';
import { type ProjectionOptions, type RunningProjection, runProjection } from '../projections/run-projection';
import { executeReaction, type ReactionOutcome } from './execute-reaction';
import type { ProcessManager } from './process-manager';

export type { ReactionOutcome } from './execute-reaction';

/**
 * Runs a process manager from its durable checkpoint, like a projection whose fold executes
 * commands. An engine failure is retried with backoff and finally parked as a dead letter; a
 * domain refusal is an outcome, not a failure (the manager asked; the aggregate said no).
 */
export const runProcessManager = <S>(
  ballast: Ballast,
  checkpoints: CheckpointStore,
  manager: ProcessManager<S>,
  options: ProjectionOptions & { readonly onOutcome?: (o: ReactionOutcome) => void } = {},
): Promise<RunningProjection<S>> => {
  return runProjection(
    ballast.store,
    checkpoints,
    {
      name: `pm-${manager.name}`,
      version: manager.version,
      initial: manager.initial,
      evolve: async (state, event) => {
        const { state: next, reactions } = manager.react(state, event);
        for (const reaction of reactions) {
          // Executed first: an optional call would skip evaluating its argument when no one listens.
          const outcome = await executeReaction(ballast, manager.name, reaction, event.position, event.eventId.replace(/-/g, ''));
          options.onOutcome?.(outcome);
        }
        return next;
      },
    },
    options,
  );
};
