import { escrowDecider, type EscrowState, isResolved, remainingOf } from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { aggregateStates } from './aggregate-states';

export type EscrowStates = Record<string, EscrowState>;

/** Every escrow's state; resolved ones are dropped (their history stays in the log). */
export const escrowStates: Projection<EscrowStates> = aggregateStates(
  'escrow-states',
  'escrow',
  escrowDecider,
  (s) => !isResolved(s),
);

/** The open-escrows read model, soonest deadline first. */
export const openEscrows = (escrows: EscrowStates) =>
  Object.entries(escrows)
    .map(([escrowId, e]) => ({
      escrowId,
      payer: e.payer!,
      payee: e.payee!,
      amount: e.amount.toFixed(),
      remaining: remainingOf(e).toFixed(),
      deadline: e.deadline,
      status: e.status,
    }))
    .sort((a, b) => a.deadline - b.deadline || (a.escrowId < b.escrowId ? -1 : 1));
