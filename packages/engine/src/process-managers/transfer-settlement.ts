import type { Party, TransferPurpose } from '@ballast/domain';
import type { CommandInput } from '../aggregate-kinds';
import { decodeDomain, type DomainEvent } from '../read-models/decode-domain';
import type { ProcessManager, Reaction } from './process-manager';

/** A transfer leg both a treasury and a pool take, in the same wire form. */
type TransferLeg = Extract<CommandInput<'treasury'>, { type: 'ReceiveTransfer' | 'ReturnTransfer' }>;

/** A transfer leg on a party's own aggregate: a treasury or a pool. */
const onParty = (p: Party, command: TransferLeg, key: string): Reaction =>
  p.kind === 'pool' ? { kind: 'pool', id: p.id, command, key } : { kind: 'treasury', id: p.id, command, key };
const self = (d: DomainEvent): Party => ({ kind: d.kind === 'pool' ? 'pool' : 'treasury', id: d.id }) as Party;

/** The credit leg for a debit that landed: the payee's ReceiveTransfer, keyed by the transfer id. */
const credit = (
  from: Party,
  to: Party,
  transferId: string,
  purpose: TransferPurpose,
  amount: { toFixed(): string },
): Reaction =>
  onParty(to, { type: 'ReceiveTransfer', transferId, from, purpose, amount: amount.toFixed() }, `credit:${transferId}`);

/** The payee refused the credit: the payer takes its money back, keyed by the transfer id. */
const giveBack = (payer: Party, transferId: string, code: string): Reaction =>
  onParty(payer, { type: 'ReturnTransfer', transferId, code }, `return:${transferId}`);

/** The debit leg a pool asked for: the agent's treasury decides it against its own rules. */
const debit = (
  pool: string,
  agentId: string,
  transferId: string,
  purpose: 'stake' | 'premium',
  amount: { toFixed(): string },
): Reaction => ({
  kind: 'treasury',
  id: agentId,
  command: { type: 'SendTransfer', transferId, to: { kind: 'pool', id: pool }, purpose, amount: amount.toFixed() },
  key: `debit:${transferId}`,
});

/**
 * Moves money between aggregates as two-legged transfers (TigerBeetle's pending → posted/voided),
 * each step once by its transfer id:
 * - a pool's request (an admission's stake, a premium due) → the debit in the agent's treasury;
 * - a debit that landed (a treasury's TransferSent or escrow release, a pool's payout or stake
 *   return) → the credit in the payee;
 * - a refused debit (recorded in the treasury) → the request is cancelled in the pool (admission
 *   void, or cover lapsed);
 * - a refused credit (recorded in the payee) → the payer takes its money back;
 * - a suspended member → expelled, and the rest of its stake goes back.
 * Every fact it needs is in the event itself, so it keeps no state.
 */
export const transferSettlement: ProcessManager<Record<string, never>> = {
  name: 'transfer-settlement',
  version: 1,
  initial: {},
  react: (state, recorded) => {
    const d = decodeDomain(recorded);
    return { state, reactions: d ? reactionsTo(d) : [] };
  },
};

const reactionsTo = (d: DomainEvent): Reaction[] => {
  const from = self(d);
  if (d.kind === 'treasury') {
    const e = d.event;
    switch (e.type) {
      case 'TransferSent':
        return [credit(from, e.to, e.transferId, e.purpose, e.amount)];
      case 'EscrowReleased':
        return [credit(from, e.to, e.transferId, 'escrow', e.amount)];
      case 'TransferRefused':
        return [giveBack(e.from, e.transferId, e.code)];
      case 'CommandRejected': {
        if (e.command !== 'SendTransfer' || e.details.toKind !== 'pool') return [];
        const transferId = String(e.details.transferId);
        return [
          {
            kind: 'pool',
            id: String(e.details.toId),
            command: { type: 'CancelTransfer', transferId, code: e.code },
            key: `cancel:${transferId}`,
          },
        ];
      }
      default:
        return [];
    }
  }
  if (d.kind === 'pool') {
    const e = d.event;
    switch (e.type) {
      case 'MemberAdmitted':
        return [debit(d.id, e.agentId, e.transferId, 'stake', e.stake)];
      case 'PremiumDue':
        return [debit(d.id, e.agentId, e.transferId, 'premium', e.amount)];
      case 'ClaimPaid':
        return [credit(from, e.to, e.transferId, 'payout', e.payout)];
      case 'MemberLeft':
        return e.stakeReturned.gt(0) ? [credit(from, e.to, e.transferId, 'stake-return', e.stakeReturned)] : [];
      case 'TransferRefused':
        return [giveBack(e.from, e.transferId, e.code)];
      case 'MemberSuspended':
        return [
          {
            kind: 'pool',
            id: d.id,
            command: { type: 'LeavePool', agentId: e.agentId },
            key: `expel:${d.id}:${e.agentId}`,
          },
        ];
      default:
        return [];
    }
  }
  return [];
};
