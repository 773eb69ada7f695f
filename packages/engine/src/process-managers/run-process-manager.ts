import * as E from 'fp-ts/Either';
import type { Ballast } from '../open-ballast';
import type { CheckpointStore } from '../projections/checkpoint-store';
import { type ProjectionOptions, type RunningProjection, runProjection } from '../projections/run-projection';
import { type ProcessManager, type Reaction, reactionCommandId } from './process-manager';

export interface ReactionOutcome {
  readonly manager: string;
  readonly reaction: Reaction;
  readonly position: number;
  /** `committed`, `replayed` (already done before a restart), or the refusal's code. */
  readonly outcome: string;
}

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
  const facades = { treasury: ballast.treasuries, pool: ballast.pools, escrow: ballast.escrows };
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
          const commandId = reactionCommandId(manager.name, reaction.key);
          const result = await facades[reaction.kind].execute(reaction.id, reaction.command, { commandId, actor: `pm:${manager.name}`, causationId: event.eventId.replace(/-/g, '') });
          const outcome = E.isLeft(result) ? result.left.code : result.right.replayed ? 'replayed' : 'committed';
          options.onOutcome?.({ manager: manager.name, reaction, position: event.position, outcome });
        }
        return next;
      },
    },
    options,
  );
};
