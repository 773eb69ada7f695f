import { decodeDomain } from '../read-models/decode-domain';
import type { ProcessManager } from './process-manager';

/** A paid claim credits the claimant's treasury, once per claim. */
export const claimPayouts: ProcessManager<Record<string, never>> = {
  name: 'claim-payouts',
  version: 1,
  initial: {},
  react: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (d?.kind !== 'pool' || d.event.type !== 'ClaimPaid') return { state, reactions: [] };
    const e = d.event;
    return {
      state,
      reactions: [{ kind: 'treasury', id: e.claimant, command: { type: 'ReceivePayment', paymentId: `claim.${d.id}.${e.claimId}`.slice(0, 64), source: 'insurance', amount: e.payout.toFixed() }, key: `payout:${d.id}:${e.claimId}` }],
    };
  },
};
