import type { Ballast } from '../open-ballast';
import { executeReaction, type ReactionOutcome } from './execute-reaction';
import type { ProcessManager, Reaction } from './process-manager';

/** A reaction the engine refused as invalid: a bug in its manager, kept for a person to see. */
export interface DeadLetterRecord {
  readonly manager: string;
  readonly reaction: Reaction;
  readonly position: number;
  readonly code: string;
  readonly message: string;
}

export interface ManagerCursor {
  position: number;
  /** Events reacted to so far: every event passes the cursor once, so this is the store's count. */
  events: number;
  readonly states: Map<string, unknown>;
  /**
   * Reactions refused as INVALID_INPUT. There is no runner to retry and park them here, and dropping
   * them would hide a manager's bug; a retry would not help either, the same command is decoded again.
   */
  readonly deadLetters: DeadLetterRecord[];
}

/**
 * Runs process managers to quiescence in the caller's own turn: every event after the cursor is
 * reacted to, in global order, manager by manager, including the events the reactions append, until
 * nothing new lands. No subscriptions and no timers, so a simulation that calls this after each
 * step is deterministic: the same seed gives the same interleaving of commands every time.
 */
export const drainProcessManagers = async (
  ballast: Ballast,
  managers: readonly ProcessManager<unknown>[],
  cursor: ManagerCursor,
  onOutcome?: (o: ReactionOutcome) => void,
): Promise<void> => {
  for (;;) {
    const head = await ballast.store.headPosition();
    if (head <= cursor.position) return;
    for await (const event of ballast.store.readAll({
      fromPosition: cursor.position + 1,
      maxCount: head - cursor.position,
    })) {
      // Up to the head seen above, in every store (maxCount only bounds it where positions are contiguous).
      if (event.position > head) break;
      for (const manager of managers) {
        const { state, reactions } = manager.react(cursor.states.get(manager.name) ?? manager.initial, event);
        cursor.states.set(manager.name, state);
        for (const reaction of reactions) {
          const outcome = await executeReaction(ballast, manager.name, reaction, event.position);
          if (outcome.outcome === 'INVALID_INPUT') {
            cursor.deadLetters.push({
              manager: manager.name,
              reaction,
              position: event.position,
              code: outcome.outcome,
              message: outcome.message ?? '',
            });
          }
          onOutcome?.(outcome);
        }
      }
      cursor.position = event.position;
      cursor.events += 1;
    }
  }
};
