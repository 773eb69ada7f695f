import {
  automaticDefaultClaim,
  escrowDecider,
  type EscrowState,
  type Instant,
  remainingOf,
  transferIdOf,
  treasuryParty,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { decodeDomain } from '../read-models/decode-domain';
import type { ProcessManager, Reaction } from './process-manager';

export interface EscrowSettlementState {
  readonly escrows: Record<string, EscrowState>;
  /** Agents insured by the configured pool, and so entitled to the automatic default claim. */
  readonly insured: readonly string[];
}

/**
 * The escrow saga across streams, each step exactly once by its key:
 * created → lock amount + fee in the payer's treasury (a refused lock refunds the escrow);
 * released → the payer's treasury pays out the lock as a transfer to the payee (credited by transfer-settlement);
 * refunded or expired → the payer's lock comes back; an escrow's deadline passing → expire it;
 * expired and the payee insured → the payee's counterparty-default claim (the seed's oracle).
 * Treasuries are named after their agents (`treasury-<agentId>`).
 */
export const escrowSettlement = (insurancePoolId: string): ProcessManager<EscrowSettlementState> => ({
  name: 'escrow-settlement',
  version: 1,
  initial: { escrows: {}, insured: [] },
  react: (state, recorded) => {
    const d = decodeDomain(recorded);
    if (!d) return { state, reactions: [] };
    const reactions: Reaction[] = [];
    let next = state;
    // Time passes with every event: any open escrow whose deadline is behind us expires.
    for (const [id, escrow] of Object.entries(state.escrows)) {
      if (escrow.status === 'open' && d.event.at >= escrow.deadline) {
        reactions.push({ kind: 'escrow', id, command: { type: 'ExpireEscrow' }, key: `expire:${id}` });
      }
    }
    if (
      d.kind === 'pool' &&
      d.id === insurancePoolId &&
      (d.event.type === 'MemberJoined' || d.event.type === 'LegacyMemberJoined')
    )
      next = { ...next, insured: [...next.insured, d.event.agentId] };
    if (d.kind === 'treasury' && d.event.type === 'CommandRejected' && d.event.command === 'LockEscrow') {
      const escrowId = d.event.subject.replace(/^escrow:/, '');
      reactions.push({
        kind: 'escrow',
        id: escrowId,
        command: { type: 'RefundEscrow', reason: `payer lock refused: ${d.event.code}` },
        key: `compensate:${escrowId}`,
      });
    }
    if (d.kind === 'escrow') {
      const before = next.escrows[d.id] ?? escrowDecider.initialState;
      const escrow = escrowDecider.evolve(before, d.event);
      next = { ...next, escrows: { ...next.escrows, [d.id]: escrow } };
      const e = d.event;
      const payer = escrow.payer!;
      if (e.type === 'EscrowCreated') {
        reactions.push({
          kind: 'treasury',
          id: payer,
          command: {
            type: 'LockEscrow',
            escrowId: d.id,
            amount: e.amount.toFixed(),
            payee: treasuryParty(escrow.payee!),
          },
          key: `lock:${d.id}`,
        });
      }
      if (e.type === 'EscrowReleased') {
        // The payer's lock pays out as the debit leg of a transfer; the payee's credit follows that
        // debit (transfer-settlement), never this event, so a refused release pays nobody.
        const transferId = transferIdOf('escrow', d.id, recorded.revision);
        const release = {
          type: 'ReleaseEscrow' as const,
          escrowId: d.id,
          amount: e.amount.toFixed(),
          transferId,
          to: treasuryParty(escrow.payee!),
        };
        reactions.push({ kind: 'treasury', id: payer, command: release, key: `release:${d.id}:${recorded.revision}` });
      }
      if (e.type === 'EscrowRefunded' || e.type === 'EscrowExpired') {
        reactions.push({
          kind: 'treasury',
          id: payer,
          command: { type: 'RefundEscrow', escrowId: d.id },
          key: `refund:${d.id}`,
        });
      }
      if (e.type === 'EscrowExpired' && next.insured.includes(escrow.payee!) && remainingOf(before).gt(0)) {
        const claim = automaticDefaultClaim(escrow, e.at as Instant);
        if (E.isRight(claim)) {
          const { at: _stamped, ...command } = claim.right;
          reactions.push({
            kind: 'pool',
            id: insurancePoolId,
            command: { ...command, amount: command.amount.toFixed() },
            key: `claim:${d.id}`,
          });
        }
      }
    }
    return { state: next, reactions };
  },
});
