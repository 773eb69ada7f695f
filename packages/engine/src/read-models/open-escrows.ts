import { escrowDecider, type EscrowState, isResolved, remainingOf } from '@ballast/domain';
import type { Projection } from '../projections/projection';
import { decodeDomain } from './decode-domain';

export type EscrowStates = Record<string, EscrowState>;

/** Every escrow's state; resolved ones are dropped (their history stays in the log). */
export const escrowStates: Projection<EscrowStates> = {
  name: 'escrow-states',
  version: 1,
  initial: {},
  evolve: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (d?.kind !== 'escrow') return state;
    const next = escrowDecider.evolve(state[d.id] ?? escrowDecider.initialState, d.event);
    if (!isResolved(next)) return { ...state, [d.id]: next };
    const { [d.id]: _resolved, ...rest } = state;
    return rest;
  },
};

/** The open-escrows read model, soonest deadline first. */
export const openEscrows = (escrows: EscrowStates) =>
  Object.entries(escrows)
    .map(([escrowId, e]) => ({ escrowId, payer: e.payer!, payee: e.payee!, amount: e.amount.toFixed(), remaining: remainingOf(e).toFixed(), deadline: e.deadline, status: e.status }))
    .sort((a, b) => a.deadline - b.deadline || (a.escrowId < b.escrowId ? -1 : 1));
