import { decodeDomain } from '../read-models/decode-domain';
import type { ProcessManager, Reaction } from './process-manager';

/** Held moves still waiting, by treasury and request id, with when each expires. */
export interface ApprovalExpiryState {
  readonly waiting: Readonly<Record<string, { readonly treasuryId: string; readonly expiresAt: number }>>;
}

const CLOSING = new Set(['RequestExecuted', 'RequestFailed', 'RequestDenied', 'RequestExpired']);

/**
 * Closes held moves on time: a treasury expires its requests only when it decides a command, so
 * once any event anywhere is at or past a request's expiry this sends that treasury a Tick (once per
 * request). The expiry then records the held command as refused, and whoever waits on it (an
 * escrow's saga, a pool's transfer) cancels its side instead of waiting for the treasury's next command.
 */
export const approvalExpiry: ProcessManager<ApprovalExpiryState> = {
  name: 'approval-expiry',
  version: 1,
  initial: { waiting: {} },
  react: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (!d) return { state, reactions: [] };
    let waiting = state.waiting;
    if (d.kind === 'treasury') {
      const e = d.event;
      const key = (requestId: string) => `${d.id}/${requestId}`;
      if (e.type === 'ApprovalRequested')
        waiting = { ...waiting, [key(e.requestId)]: { treasuryId: d.id, expiresAt: e.expiresAt } };
      if (CLOSING.has(e.type)) {
        const { [key((e as { requestId: string }).requestId)]: _closed, ...rest } = waiting;
        waiting = rest;
      }
    }
    const reactions: Reaction[] = Object.entries(waiting)
      .filter(([, w]) => d.event.at >= w.expiresAt)
      .map(([key, w]) => ({ kind: 'treasury', id: w.treasuryId, command: { type: 'Tick' }, key: `expire:${key}` }));
    return { state: { waiting }, reactions };
  },
};
