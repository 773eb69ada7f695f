import {
  type EscrowEvent,
  EscrowEventCodec,
  type EscrowState,
  evolveEscrow,
  evolvePool,
  isResolved,
  isUnderfunded,
  PAYOUT_MULTIPLIERS,
  POOL_TIERS,
  type PoolEvent,
  PoolEventCodec,
  type PoolState,
  totalCoverage,
  canonicalJson,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { InvariantViolation } from '../treasury/treasury-invariants';

const check = (id: string, ok: boolean, detail: () => string): void => {
  if (!ok) throw new InvariantViolation(id, detail());
};

const roundTrips = (codec: { encode(a: unknown): unknown; decode(u: unknown): E.Either<unknown, unknown> }, event: { type: string }) => {
  const wire = codec.encode(event);
  canonicalJson(wire);
  const back = codec.decode(JSON.parse(JSON.stringify(wire)));
  check('G1', E.isRight(back) && JSON.stringify(codec.encode(back.right)) === JSON.stringify(wire), () => `${event.type} does not round-trip`);
};

/** Folds one pool decision event by event, checking P1–P6 against the state before each event. */
export const foldPoolChecked = (state: PoolState, events: readonly PoolEvent[]): PoolState => {
  let s = state;
  for (const [i, event] of events.entries()) {
    const before = s;
    const config = before.config;
    if (config) {
      if (event.type === 'MemberJoined') {
        const tier = POOL_TIERS[config.tier];
        check('P6', !before.underfunded, () => 'a member joined while the pool was underfunded');
        const ratio = before.reserve.plus(event.stake).div(totalCoverage(before).plus(event.coverage));
        check('P2', ratio.gte(config.minFundingRatio), () => `admission left the funding ratio at ${ratio.toFixed(8)}`);
        check('P2', event.coverage.lte(event.stake.mul(config.maxCoverageMultiple)) && event.coverage.lte(tier.maxCoverage), () => `coverage ${event.coverage.toFixed()} for stake ${event.stake.toFixed()}`);
        check('P4', event.premium.gte(config.minPremium) && event.premium.lte(event.coverage.mul(config.maxPremiumRatio)), () => `premium ${event.premium.toFixed()} on coverage ${event.coverage.toFixed()}`);
      }
      if (event.type === 'PremiumCollected') {
        check('P6', event.surcharged === isUnderfunded(before), () => `premium surcharge ${event.surcharged} while underfunded=${isUnderfunded(before)}`);
        check('P4', event.amount.gte(config.minPremium), () => `premium ${event.amount.toFixed()} below the minimum`);
      }
      if (event.type === 'VoteCast') {
        const claim = before.claims[event.claimId]!;
        check('P3', event.voter !== claim.claimant, () => `${event.voter} voted on its own claim`);
        check('P3', claim.status === (event.panel ? 'arbitration' : 'pending'), () => `a vote on a ${claim.status} claim`);
        check('P3', !(event.voter in (event.panel ? claim.panelVotes : claim.votes)), () => `${event.voter} voted twice`);
        if (event.panel) check('P3', claim.panel!.includes(event.voter), () => `${event.voter} is not on the panel`);
        else check('P3', claim.eligible.includes(event.voter), () => `${event.voter} is not eligible`);
      }
      if (event.type === 'ClaimApproved' || event.type === 'ClaimRejected') {
        const claim = before.claims[event.claimId]!;
        check('P3', claim.status === 'pending' || claim.status === 'arbitration', () => `a ${claim.status} claim resolved again`);
        if (event.by === 'quorum') {
          const total = event.votesFor + event.votesAgainst;
          check('P3', config.quorum.mul(claim.eligible.length).lte(total), () => `resolved with ${total} of ${claim.eligible.length} votes`);
          check('P3', (event.type === 'ClaimApproved') === config.approvalThreshold.mul(total).lte(event.votesFor), () => `${event.type} with ${event.votesFor} of ${total}`);
        }
        if (event.type === 'ClaimRejected' && event.by !== 'no-arbiters' && event.approval.lt(config.fraudThreshold)) {
          const slashed = events.slice(i + 1).some((e) => e.type === 'StakeSlashed' && e.agentId === claim.claimant);
          check('P5', slashed, () => `claim ${event.claimId} rejected at ${event.approval.toFixed()} approval without a slash`);
        }
      }
      if (event.type === 'ClaimPaid') {
        const claim = before.claims[event.claimId]!;
        const raw = claim.amount.mul(PAYOUT_MULTIPLIERS[claim.coverageType]);
        check('P1', event.payout.lte(raw) && event.payout.lte(before.members[claim.claimant]!.coverage) && event.payout.lte(before.reserve), () => `payout ${event.payout.toFixed()} > min(${raw.toFixed()}, coverage, reserve ${before.reserve.toFixed()})`);
      }
      if (event.type === 'MemberSuspended') check('P5', event.stake.lt(config.minActiveStake), () => `suspended with stake ${event.stake.toFixed()}`);
    }
    // After the rule checks, so a broken rule is named by its id rather than by a codec refusal.
    roundTrips(PoolEventCodec as never, event);
    s = evolvePool(s, event);
  }
  return s;
};

export const checkPoolState = (s: PoolState): void => {
  if (!s.config) return;
  check('P1', s.reserve.gte(0), () => `reserve ${s.reserve.toFixed()} is negative`);
  const l = s.ledger;
  const expected = l.stakes.plus(l.premiums).minus(l.payouts).minus(l.lent).plus(l.borrowed).minus(l.repaidOut).plus(l.repaidIn);
  check('POOL-MONEY', s.reserve.eq(expected), () => `reserve ${s.reserve.toFixed()} ≠ stakes + premiums − payouts ± reinsurance = ${expected.toFixed()}`);
  check('P6', s.underfunded === isUnderfunded(s), () => `underfunded flag ${s.underfunded} but ratio says ${isUnderfunded(s)}`);
  for (const m of Object.values(s.members)) check('P5', m.stake.gte(0) && (m.active || m.stake.lt(s.config.minActiveStake)), () => `member ${m.agentId} stake ${m.stake.toFixed()} active=${m.active}`);
};

/** Exactly-once resolution: nothing happens to an escrow after it resolved, and it resolves at most once. */
export const foldEscrowChecked = (state: EscrowState, events: readonly EscrowEvent[]): EscrowState => {
  let s = state;
  for (const event of events) {
    check('ESCROW-ONCE', !isResolved(s), () => `${event.type} after the escrow was ${s.status}`);
    roundTrips(EscrowEventCodec as never, event);
    s = evolveEscrow(s, event);
    check('ESCROW-ONCE', s.resolutions <= 1 && s.released.lte(s.amount) && s.feeCharged.lte(s.fee), () => `resolutions ${s.resolutions}, released ${s.released.toFixed()} of ${s.amount.toFixed()}`);
  }
  return s;
};
