import * as E from 'fp-ts/Either';
import { AGGREGATE_KINDS } from '../aggregate-kinds';
import type { AggregateFacade, Ballast } from '../open-ballast';
import { type Reaction, reactionCommandId } from './process-manager';

export interface ReactionOutcome {
  readonly manager: string;
  readonly reaction: Reaction;
  readonly position: number;
  /** `committed`, `replayed` (already done before a restart), or the refusal's code. */
  readonly outcome: string;
  /** The refusal's message, when refused: an INVALID_INPUT code alone does not say what was wrong. */
  readonly message?: string;
}

/** Executes one reaction under its deterministic command id; a refusal is an outcome, not an error. */
export const executeReaction = async (
  ballast: Ballast,
  manager: string,
  reaction: Reaction,
  position: number,
  causationId?: string,
): Promise<ReactionOutcome> => {
  // The command was type-checked against its kind when the reaction was built; TypeScript cannot
  // follow that pairing through the union, so the facade is reached by name and the codec decides.
  const facade: AggregateFacade<unknown> = ballast[AGGREGATE_KINDS[reaction.kind].facade];
  const result = await facade.executeJson(reaction.id, reaction.command, {
    commandId: reactionCommandId(manager, reaction.key),
    actor: `pm:${manager}`,
    ...(causationId === undefined ? {} : { causationId }),
  });
  if (E.isLeft(result)) return { manager, reaction, position, outcome: result.left.code, message: result.left.message };
  return { manager, reaction, position, outcome: result.right.replayed ? 'replayed' : 'committed' };
};
