import type { Instant } from '../instant';
import { Decimal, type Money } from '../money';
import type { PoolEvent } from './pool-events';
import type { Claim, Member, PoolLedger, PoolState } from './pool-state';

type EventOf<T extends PoolEvent['type']> = Extract<PoolEvent, { type: T }>;

const ledger = (s: PoolState, change: Partial<Record<keyof PoolLedger, Money>>): PoolLedger => ({
  stakes: s.ledger.stakes.plus(change.stakes ?? 0),
  premiums: s.ledger.premiums.plus(change.premiums ?? 0),
  payouts: s.ledger.payouts.plus(change.payouts ?? 0),
  stakesReturned: s.ledger.stakesReturned.plus(change.stakesReturned ?? 0),
  lent: s.ledger.lent.plus(change.lent ?? 0),
  borrowed: s.ledger.borrowed.plus(change.borrowed ?? 0),
  repaidOut: s.ledger.repaidOut.plus(change.repaidOut ?? 0),
  repaidIn: s.ledger.repaidIn.plus(change.repaidIn ?? 0),
});
const member = (s: PoolState, id: string, change: Partial<Member>): PoolState['members'] => ({
  ...s.members,
  [id]: { ...s.members[id]!, ...change },
});
const claim = (s: PoolState, id: string, change: Partial<Claim>): PoolState['claims'] => ({
  ...s.claims,
  [id]: { ...s.claims[id]!, ...change },
});

const omit = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};
const settled = (s: PoolState, transferId: string): ReadonlySet<string> => new Set([...s.transfersSettled, transferId]);

const joined = (s: PoolState, e: EventOf<'MemberJoined'> | EventOf<'LegacyMemberJoined'>): PoolState => ({
  ...s,
  reserve: s.reserve.plus(e.stake),
  ledger: ledger(s, { stakes: e.stake }),
  members: {
    ...s.members,
    [e.agentId]: {
      agentId: e.agentId,
      stake: e.stake,
      coverage: e.coverage,
      riskScore: e.riskScore,
      active: true,
      lapsed: false,
      left: false,
      premiumsPaid: new Decimal(0),
      claimsFiled: 0,
      claimsApproved: 0,
      claimsRejected: 0,
      slashed: new Decimal(0),
    },
  },
});

/** A premium paid also reinstates a lapsed cover. */
const premiumPaid = (s: PoolState, e: EventOf<'PremiumCollected'> | EventOf<'LegacyPremiumCollected'>): PoolState => ({
  ...s,
  reserve: s.reserve.plus(e.amount),
  ledger: ledger(s, { premiums: e.amount }),
  members: member(s, e.agentId, { premiumsPaid: s.members[e.agentId]!.premiumsPaid.plus(e.amount), lapsed: false }),
  premiumsCollected: new Set([...s.premiumsCollected, `${e.agentId}:${e.period}`]),
});

const claimPaid = (s: PoolState, e: EventOf<'ClaimPaid'> | EventOf<'LegacyClaimPaid'>): PoolState => ({
  ...s,
  reserve: s.reserve.minus(e.payout),
  ledger: ledger(s, { payouts: e.payout }),
  claims: claim(s, e.claimId, { status: 'paid', payout: e.payout }),
});

/** The InsurancePool's fold. Pure; time comes from the events. */
export const evolvePool = (state: PoolState, event: PoolEvent): PoolState => {
  const s: PoolState = { ...state, lastAt: event.at as Instant };
  switch (event.type) {
    case 'PoolOpened':
      return { ...s, opened: true, poolId: event.poolId, config: event.config };
    case 'MemberAdmitted': {
      const { type: _t, at: _a, agentId, ...pending } = event;
      return { ...s, pendingJoins: { ...s.pendingJoins, [agentId]: pending } };
    }
    case 'JoinCancelled':
      return {
        ...s,
        pendingJoins: omit(s.pendingJoins, event.agentId),
        transfersSettled: settled(s, event.transferId),
      };
    case 'MemberJoined':
      return {
        ...joined(s, event),
        pendingJoins: omit(s.pendingJoins, event.agentId),
        transfersSettled: settled(s, event.transferId),
      };
    case 'LegacyMemberJoined':
      return joined(s, event);
    case 'PremiumDue': {
      const { type: _t, at: _a, transferId, ...due } = event;
      return {
        ...s,
        pendingPremiums: { ...s.pendingPremiums, [transferId]: due },
        premiumsCollected: new Set([...s.premiumsCollected, `${event.agentId}:${event.period}`]),
      };
    }
    case 'PremiumCollected':
      return {
        ...premiumPaid(s, event),
        pendingPremiums: omit(s.pendingPremiums, event.transferId),
        transfersSettled: settled(s, event.transferId),
      };
    case 'LegacyPremiumCollected':
      return premiumPaid(s, event);
    case 'CoverageLapsed':
      return {
        ...s,
        members: member(s, event.agentId, { lapsed: true }),
        pendingPremiums: omit(s.pendingPremiums, event.transferId),
        transfersSettled: settled(s, event.transferId),
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
            returnedPayouts: 0,
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
      return {
        ...s,
        claims: claim(s, event.claimId, { status: 'approved' }),
        members: member(s, c.claimant, { claimsApproved: s.members[c.claimant]!.claimsApproved + 1 }),
      };
    }
    case 'ClaimRejected': {
      const c = s.claims[event.claimId]!;
      return {
        ...s,
        claims: claim(s, event.claimId, { status: 'rejected' }),
        members: member(s, c.claimant, { claimsRejected: s.members[c.claimant]!.claimsRejected + 1 }),
      };
    }
    case 'ClaimPaid':
      return {
        ...claimPaid(s, event),
        transfersSent: {
          ...s.transfersSent,
          [event.transferId]: {
            to: event.to,
            purpose: 'payout',
            amount: event.payout,
            claimId: event.claimId,
            returned: false,
          },
        },
      };
    case 'LegacyClaimPaid':
      return claimPaid(s, event);
    case 'StakeSlashed': {
      // The stake is already in the reserve: slashing ends the member's claim on that share, it moves no cash.
      const m = s.members[event.agentId]!;
      return {
        ...s,
        members: member(s, event.agentId, { stake: event.stakeAfter, slashed: m.slashed.plus(event.amount) }),
      };
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
        loans: {
          ...s.loans,
          [event.transferId]: {
            transferId: event.transferId,
            direction: 'lent',
            counterparty: event.toPool,
            amount: event.amount,
            fee: event.fee,
            repaid: false,
          },
        },
      };
    case 'ReinsuranceBorrowed':
      return {
        ...s,
        reserve: s.reserve.plus(event.amount),
        ledger: ledger(s, { borrowed: event.amount }),
        loans: {
          ...s.loans,
          [event.transferId]: {
            transferId: event.transferId,
            direction: 'borrowed',
            counterparty: event.fromPool,
            amount: event.amount,
            fee: event.fee,
            repaid: false,
          },
        },
      };
    case 'ReinsuranceRepaid': {
      const total = event.amount.plus(event.fee);
      return {
        ...s,
        reserve: s.reserve.minus(total),
        ledger: ledger(s, { repaidOut: total }),
        loans: { ...s.loans, [event.transferId]: { ...s.loans[event.transferId]!, repaid: true } },
      };
    }
    case 'ReinsuranceRepaymentReceived': {
      const total = event.amount.plus(event.fee);
      return {
        ...s,
        reserve: s.reserve.plus(total),
        ledger: ledger(s, { repaidIn: total }),
        loans: { ...s.loans, [event.transferId]: { ...s.loans[event.transferId]!, repaid: true } },
      };
    }
    case 'MemberLeft':
      return {
        ...s,
        reserve: s.reserve.minus(event.stakeReturned),
        ledger: ledger(s, { stakesReturned: event.stakeReturned }),
        members: member(s, event.agentId, { active: false, left: true, stake: new Decimal(0) }),
        transfersSent: event.stakeReturned.gt(0)
          ? {
              ...s.transfersSent,
              [event.transferId]: {
                to: event.to,
                purpose: 'stake-return',
                amount: event.stakeReturned,
                returned: false,
              },
            }
          : s.transfersSent,
      };
    case 'TransferRefused':
      return { ...s, transfersSettled: settled(s, event.transferId) };
    case 'TransferReturned': {
      const sent = s.transfersSent[event.transferId]!;
      const payout = sent.purpose === 'payout';
      const back = {
        ...s,
        reserve: s.reserve.plus(event.amount),
        transfersSent: { ...s.transfersSent, [event.transferId]: { ...sent, returned: true } },
      };
      if (!payout) return { ...back, ledger: ledger(s, { stakesReturned: event.amount.neg() }) };
      // The claim is approved and unpaid again; a later PayClaim sends it under a new transfer id.
      const c = s.claims[sent.claimId!]!;
      const { payout: _unpaid, ...rest } = c;
      return {
        ...back,
        ledger: ledger(s, { payouts: event.amount.neg() }),
        claims: { ...s.claims, [c.claimId]: { ...rest, status: 'approved', returnedPayouts: c.returnedPayouts + 1 } },
      };
    }
    case 'PoolCommandRejected':
      return s;
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};
