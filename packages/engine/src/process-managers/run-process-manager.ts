import type { Ballast } from '../open-ballast';
import type { CheckpointStore } from '../projections/checkpoint-store';
import { type ProjectionOptions, type RunningProjection, runProjection } from '../projections/run-projection';
import { executeReaction, type ReactionOutcome } from './execute-reaction';
import type { ProcessManager } from './process-manager';

export type { ReactionOutcome } from './execute-reaction';

const describeInvalid = (o: ReactionOutcome): string =>
  `${o.manager}: reaction ${o.reaction.key} (${o.reaction.kind} ${o.reaction.id}) ` +
  `was refused as INVALID_INPUT: ${o.message ?? 'no message'}`;

/**
 * Runs a process manager from its durable checkpoint, like a projection whose fold executes
 * commands. An engine failure is retried with backoff and finally parked as a dead letter; a
 * domain refusal is an outcome, not a failure (the manager asked; the aggregate said no). A
 * reaction refused as INVALID_INPUT is a bug in the manager, not a "no": it fails the event, so it
 * is parked and reported like an engine failure instead of vanishing into an outcome.
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
        const invalid: ReactionOutcome[] = [];
        for (const reaction of reactions) {
          // Executed first: an optional call would skip evaluating its argument when no one listens.
          const outcome = await executeReaction(
            ballast,
            manager.name,
            reaction,
            event.position,
            event.eventId.replace(/-/g, ''),
          );
          options.onOutcome?.(outcome);
          if (outcome.outcome === 'INVALID_INPUT') invalid.push(outcome);
        }
        // Thrown after every reaction ran, so one bad command does not hold back its siblings; the
        // retries find those already done (same command ids) and append nothing.
        if (invalid.length > 0) throw new Error(invalid.map(describeInvalid).join('; '));
        return next;
      },
    },
    options,
  );
};
