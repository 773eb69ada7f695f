import * as E from 'fp-ts/Either';
import type { Ballast } from '../open-ballast';
import { type ProcessManager, reactionCommandId } from './process-manager';
import type { ReactionOutcome } from './run-process-manager';

export interface ManagerCursor {
  position: number;
  readonly states: Map<string, unknown>;
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
  const facades = { treasury: ballast.treasuries, pool: ballast.pools, escrow: ballast.escrows };
  for (;;) {
    const head = await ballast.store.headPosition();
    if (head <= cursor.position) return;
    for await (const event of ballast.store.readAll({ fromPosition: cursor.position + 1, maxCount: head - cursor.position })) {
      for (const manager of managers) {
        const { state, reactions } = manager.react(cursor.states.get(manager.name) ?? manager.initial, event);
        cursor.states.set(manager.name, state);
        for (const reaction of reactions) {
          const commandId = reactionCommandId(manager.name, reaction.key);
          const result = await facades[reaction.kind].execute(reaction.id, reaction.command, { commandId, actor: `pm:${manager.name}` });
          onOutcome?.({ manager: manager.name, reaction, position: event.position, outcome: E.isLeft(result) ? result.left.code : result.right.replayed ? 'replayed' : 'committed' });
        }
      }
      cursor.position = event.position;
    }
  }
};
