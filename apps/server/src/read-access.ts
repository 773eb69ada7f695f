import type { KindName } from '@ballast/engine';
import type { Principal } from './principals';
import type { ServerContext } from './server-context';

export const canReadAll = (p: Principal): boolean => p.role === 'operator' || p.role === 'service';

/**
 * Whether a principal may read one aggregate (its state, its events, its live stream). Operators
 * and services read everything; an agent its own treasury, a pool it is a member of now, an escrow
 * it is a party to. Decided on the state now, and the same "no" whether the aggregate exists or
 * not, so an agent can neither probe ids nor read a pool it left by asking for an earlier time.
 */
export const mayRead = async (ctx: ServerContext, p: Principal, kind: KindName, id: string): Promise<boolean> => {
  if (canReadAll(p)) return true;
  if (p.role !== 'agent') return false;
  if (kind === 'treasury') return id === p.id;
  if (kind === 'pool') {
    const { state } = await ctx.ballast.pools.load(id);
    return Object.prototype.hasOwnProperty.call(state.members, p.id);
  }
  if (kind === 'escrow') {
    const { state } = await ctx.ballast.escrows.load(id);
    return state.payer === p.id || state.payee === p.id;
  }
  return false;
};
