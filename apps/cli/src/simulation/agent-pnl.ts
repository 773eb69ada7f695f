import {
  bookValue,
  Decimal,
  equity,
  type Money,
  type PnlSource,
  pnlSources,
  pnlTotal,
  type PoolState,
  type TreasuryAccount,
  type TreasuryEvent,
} from '@ballast/domain';
import { fromRecorded, streamIdOf, TREASURY } from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';

/**
 * The summary's P&L keys: the domain's sources (deposits beyond the start only) and the open positions' unrealized P&L.
 */
export type PnlKey = Exclude<PnlSource, 'deposits'> | 'depositsAfterStart' | 'unrealized';
export type AgentPnl = Readonly<Record<PnlKey, Money>>;

/** An amount as the summary writes it: exact (up to 6 decimals), with at least cents. */
export const exactAmount = (d: Decimal): string => d.toFixed(Math.max(2, d.decimalPlaces()));

const treasuryEvents = async (store: EventStore, agentId: string): Promise<TreasuryEvent[]> => {
  const events: TreasuryEvent[] = [];
  for await (const recorded of store.readStream(streamIdOf(TREASURY, agentId))) {
    const event = fromRecorded(TREASURY, recorded);
    if (E.isLeft(event)) throw new Error(`P&L of ${agentId}: ${event.left.message}`);
    events.push(event.right as TreasuryEvent);
  }
  return events;
};

/**
 * An agent's P&L by source, from its whole treasury stream, checked two ways: Σ sources equals the
 * book value the engine folded (T1), and start + Σ (all but the starting deposit, with the open
 * positions' unrealized P&L) equals the equity the summary reports as `end`. Either failing is a
 * bug in a fold, so it throws: a report that does not add up is worse than none.
 */
export const agentPnl = async (
  store: EventStore,
  agentId: string,
  account: TreasuryAccount,
  start: Decimal,
): Promise<AgentPnl> => {
  const { deposits, ...sources } = pnlSources(await treasuryEvents(store, agentId));
  const book = bookValue(account.treasury);
  const booked = pnlTotal(sources).plus(deposits);
  if (!booked.eq(book))
    throw new Error(
      `P&L of ${agentId} does not reconcile: Σ sources ${booked.toFixed()} ≠ book value ${book.toFixed()} (T1)`,
    );
  const end = equity(account.treasury);
  const pnl: AgentPnl = { ...sources, depositsAfterStart: deposits.minus(start), unrealized: end.minus(book) };
  const total = start.plus(pnlTotal(pnl));
  if (!total.eq(end))
    throw new Error(
      `P&L of ${agentId} does not reconcile: start ${start.toFixed()} + Σ ${pnlTotal(pnl).toFixed()} ≠ end ${end.toFixed()}`,
    );
  return pnl;
};

/**
 * What the pool stands behind for an agent at the end: covered, lapsed (a refused premium), suspended, left, pending
 * (stake not yet paid) or none.
 */
export const coverOf = (pool: PoolState, agentId: string): string => {
  const m = pool.members[agentId];
  if (!m) return agentId in pool.pendingJoins ? 'pending' : 'none';
  if (m.left) return 'left';
  if (!m.active) return 'suspended';
  return m.lapsed ? 'lapsed' : 'covered';
};
