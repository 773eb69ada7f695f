import type { Instant } from '../instant';
import { Decimal, type Money } from '../money';
import type { PoolEvent } from './pool-events';
import type { Claim, Member, PoolLedger, PoolState } from './pool-state';

const ledger = (s: PoolState, change: Partial<Record<keyof PoolLedger, Money>>): PoolLedger => ({
  stakes: s.ledger.stakes.plus(change.stakes ?? 0),
  premiums: s.ledger.premiums.plus(change.premiums ?? 0),
  payouts: s.ledger.payouts.plus(change.payouts ?? 0),
  lent: s.ledger.lent.plus(change.lent ?? 0),
  borrowed: s.ledger.borrowed.plus(change.borrowed ?? 0),
  repaidOut: s.ledger.repaidOut.plus(change.repaidOut ?? 0),
  repaidIn: s.ledger.repaidIn.plus(change.repaidIn ?? 0),
});
const member = (s: PoolState, id: string, change: Partial<Member>): PoolState['members'] => ({ ...s.members, [id]: { ...s.members[id]!, ...change } });
const claim = (s: PoolState, id: string, change: Partial<Claim>): PoolState['claims'] => ({ ...s.claims, [id]: { ...s.claims[id]!, ...change } });

/** The InsurancePool's fold. Pure; time comes from the events. */
export const evolvePool = (state: PoolState, event: PoolEvent): PoolState => {
  const s: PoolState = { ...state, lastAt: event.at as Instant };
  switch (event.type) {
    case 'PoolOpened':
      return { ...s, opened: true, poolId: event.poolId, config: event.config };
    case 'MemberJoined':
      return {
        ...s,
        reserve: s.reserve.plus(event.stake),
        ledger: ledger(s, { stakes: event.stake }),
        members: {
          ...s.members,
          [event.agentId]: {
            agentId: event.agentId,
            stake: event.stake,
            coverage: event.coverage,
            riskScore: event.riskScore,
            active: true,
            premiumsPaid: new Decimal(0),
            claimsFiled: 0,
            claimsApproved: 0,
            claimsRejected: 0,
            slashed: new Decimal(0),
          },
        },
      };
    case 'PremiumCollected':
      return {
        ...s,
        reserve: s.reserve.plus(event.amount),
        ledger: ledger(s, { premiums: event.amount }),
        members: member(s, event.agentId, { premiumsPaid: s.members[event.agentId]!.premiumsPaid.plus(event.amount) }),
        premiumsCollected: new Set([...s.premiumsCollected, `${event.agentId}:${event.period}`]),
      };
    case 'ClaimFiled':
      return {
        ...s,
        members: member(s, event.claimant, { claimsFiled: s.members[event.claimant]!.claimsFiled + 1 }),
        claims: {
          ...s.claims,
          [event.claimId]: {
            claimId: event.claimId,
            claimant: event.claimant,
            coverageType: event.coverageType,
            amount: event.amount,
            evidenceHash: event.evidenceHash,
            eligible: event.eligible,
            deadline: event.deadline as Instant,
            status: 'pending',
            votes: {},
            panelVotes: {},
          },
        },
      };
    case 'VoteCast': {
      const c = s.claims[event.claimId]!;
      return event.panel
        ? { ...s, claims: claim(s, event.claimId, { panelVotes: { ...c.panelVotes, [event.voter]: event.approve } }) }
        : { ...s, claims: claim(s, event.claimId, { votes: { ...c.votes, [event.voter]: event.approve } }) };
    }
    case 'ArbitrationStarted':
      return { ...s, claims: claim(s, event.claimId, { status: 'arbitration', panel: event.panel }) };
    case 'ClaimApproved': {
      const c = s.claims[event.claimId]!;
      return { ...s, claims: claim(s, event.claimId, { status: 'approved' }), members: member(s, c.claimant, { claimsApproved: s.members[c.claimant]!.claimsApproved + 1 }) };
    }
    case 'ClaimRejected': {
      const c = s.claims[event.claimId]!;
      return { ...s, claims: claim(s, event.claimId, { status: 'rejected' }), members: member(s, c.claimant, { claimsRejected: s.members[c.claimant]!.claimsRejected + 1 }) };
    }
    case 'ClaimPaid':
      return { ...s, reserve: s.reserve.minus(event.payout), ledger: ledger(s, { payouts: event.payout }), claims: claim(s, event.claimId, { status: 'paid', payout: event.payout }) };
    case 'StakeSlashed': {
      // The stake is already in the reserve: slashing ends the member's claim on that share, it moves no cash.
      const m = s.members[event.agentId]!;
      return { ...s, members: member(s, event.agentId, { stake: event.stakeAfter, slashed: m.slashed.plus(event.amount) }) };
    }
    case 'MemberSuspended':
      return { ...s, members: member(s, event.agentId, { active: false }) };
    case 'FundingStateChanged':
      return { ...s, underfunded: event.underfunded };
    case 'ReinsuranceLent':
      return {
        ...s,
        reserve: s.reserve.minus(event.amount),
        ledger: ledger(s, { lent: event.amount }),
        loans: { ...s.loans, [event.transferId]: { transferId: event.transferId, direction: 'lent', counterparty: event.toPool, amount: event.amount, fee: event.fee, repaid: false } },
      };
    case 'ReinsuranceBorrowed':
      return {
        ...s,
        reserve: s.reserve.plus(event.amount),
        ledger: ledger(s, { borrowed: event.amount }),
        loans: { ...s.loans, [event.transferId]: { transferId: event.transferId, direction: 'borrowed', counterparty: event.fromPool, amount: event.amount, fee: event.fee, repaid: false } },
      };
    case 'ReinsuranceRepaid': {
      const total = event.amount.plus(event.fee);
      return { ...s, reserve: s.reserve.minus(total), ledger: ledger(s, { repaidOut: total }), loans: { ...s.loans, [event.transferId]: { ...s.loans[event.transferId]!, repaid: true } } };
    }
    case 'ReinsuranceRepaymentReceived': {
      const total = event.amount.plus(event.fee);
      return { ...s, reserve: s.reserve.plus(total), ledger: ledger(s, { repaidIn: total }), loans: { ...s.loans, [event.transferId]: { ...s.loans[event.transferId]!, repaid: true } } };
    }
    case 'PoolCommandRejected':
      return s;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};
