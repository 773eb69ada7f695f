import {
  type EscrowEvent,
  EscrowEventCodec,
  type EscrowState,
  evolveEscrow,
  evolvePool,
  isCovered,
  isResolved,
  isUnderfunded,
  sameParty,
  PAYOUT_MULTIPLIERS,
  POOL_TIERS,
  type PoolEvent,
  PoolEventCodec,
  type PoolState,
  totalCoverage,
  treasuryParty,
  canonicalJson,
  Decimal,
} from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { InvariantViolation } from '../treasury/treasury-invariants';

const check = (id: string, ok: boolean, detail: () => string): void => {
  if (!ok) throw new InvariantViolation(id, detail());
};

const roundTrips = (
  codec: { encode(a: unknown): unknown; decode(u: unknown): E.Either<unknown, unknown> },
  event: { type: string },
) => {
  const wire = codec.encode(event);
  canonicalJson(wire);
  const back = codec.decode(JSON.parse(JSON.stringify(wire)));
  check(
    'G1',
    E.isRight(back) && JSON.stringify(codec.encode(back.right)) === JSON.stringify(wire),
    () => `${event.type} does not round-trip`,
  );
};

/** Folds one pool decision event by event, checking P1–P6 against the state before each event. */
export const foldPoolChecked = (state: PoolState, events: readonly PoolEvent[]): PoolState => {
  let s = state;
  for (const [i, event] of events.entries()) {
    const before = s;
    const config = before.config;
    if (config) {
      if (event.type === 'MemberAdmitted') {
        // Admission is where P2, P4 and P6 are decided; the stake arrives later as a transfer.
        const tier = POOL_TIERS[config.tier];
        const waiting = Object.values(before.pendingJoins);
        check('P6', !before.underfunded, () => 'a member was admitted while the pool was underfunded');
        // Admissions still waiting for their stake count as if it had arrived (two cannot pass on one reserve).
        const reserveAfter = waiting.reduce((n, j) => n.plus(j.stake), before.reserve.plus(event.stake));
        const coverageAfter = waiting.reduce((n, j) => n.plus(j.coverage), totalCoverage(before).plus(event.coverage));
        const ratio = reserveAfter.div(coverageAfter);
        check(
          'P2',
          ratio.gte(config.minFundingRatio),
          () => `admission left the funding ratio at ${ratio.toFixed(8)} (pending admissions counted)`,
        );
        check(
          'P2',
          event.coverage.lte(event.stake.mul(config.maxCoverageMultiple)) && event.coverage.lte(tier.maxCoverage),
          () => `coverage ${event.coverage.toFixed()} for stake ${event.stake.toFixed()}`,
        );
        check(
          'P4',
          event.premium.gte(config.minPremium) && event.premium.lte(event.coverage.mul(config.maxPremiumRatio)),
          () => `premium ${event.premium.toFixed()} on coverage ${event.coverage.toFixed()}`,
        );
        check(
          'G2',
          !before.members[event.agentId] || before.members[event.agentId]!.left,
          () => `${event.agentId} admitted while already a member`,
        );
        check(
          'G2',
          !before.pendingJoins[event.agentId],
          () => `${event.agentId} admitted twice before its stake arrived`,
        );
      }
      if (event.type === 'MemberJoined') {
        // The credit leg equals the debit the pool asked for: same transfer, same stake, same terms.
        const asked = before.pendingJoins[event.agentId];
        check(
          'G6',
          asked !== undefined &&
            asked.transferId === event.transferId &&
            asked.stake.eq(event.stake) &&
            asked.coverage.eq(event.coverage),
          () =>
            `${event.agentId} joined with stake ${event.stake.toFixed()} by ${event.transferId}, ` +
            `asked ${asked?.stake.toFixed()} by ${asked?.transferId}`,
        );
      }
      if (event.type === 'PremiumDue') {
        check(
          'P6',
          event.surcharged === isUnderfunded(before),
          () => `premium surcharge ${event.surcharged} while underfunded=${isUnderfunded(before)}`,
        );
        check('P4', event.amount.gte(config.minPremium), () => `premium ${event.amount.toFixed()} below the minimum`);
      }
      if (event.type === 'PremiumCollected') {
        const due = before.pendingPremiums[event.transferId];
        check(
          'G6',
          due !== undefined &&
            due.amount.eq(event.amount) &&
            due.agentId === event.agentId &&
            due.period === event.period,
          () =>
            `premium ${event.transferId} of ${event.amount.toFixed()} collected, ${due ? `${due.amount.toFixed()} due` : 'none due'}`,
        );
      }
      if (event.type === 'JoinCancelled')
        check(
          'G2',
          before.pendingJoins[event.agentId]?.transferId === event.transferId,
          () => `join ${event.transferId} cancelled but not pending`,
        );
      if (event.type === 'CoverageLapsed')
        check(
          'G2',
          before.pendingPremiums[event.transferId] !== undefined,
          () => `premium ${event.transferId} lapsed but not pending`,
        );
      if (event.type === 'ClaimFiled') {
        const m = before.members[event.claimant];
        check(
          'LAPSE',
          m !== undefined && isCovered(m),
          () =>
            `claim ${event.claimId} filed by ${event.claimant}, not covered (lapsed=${m?.lapsed}, active=${m?.active}, left=${m?.left})`,
        );
      }
      if (event.type === 'VoteCast') {
        const claim = before.claims[event.claimId]!;
        check('P3', event.voter !== claim.claimant, () => `${event.voter} voted on its own claim`);
        check(
          'P3',
          claim.status === (event.panel ? 'arbitration' : 'pending'),
          () => `a vote on a ${claim.status} claim`,
        );
        check(
          'P3',
          !(event.voter in (event.panel ? claim.panelVotes : claim.votes)),
          () => `${event.voter} voted twice`,
        );
        if (event.panel) check('P3', claim.panel!.includes(event.voter), () => `${event.voter} is not on the panel`);
        else check('P3', claim.eligible.includes(event.voter), () => `${event.voter} is not eligible`);
      }
      if (event.type === 'ClaimApproved' || event.type === 'ClaimRejected') {
        const claim = before.claims[event.claimId]!;
        check(
          'P3',
          claim.status === 'pending' || claim.status === 'arbitration',
          () => `a ${claim.status} claim resolved again`,
        );
        if (event.by === 'quorum') {
          const total = event.votesFor + event.votesAgainst;
          check(
            'P3',
            config.quorum.mul(claim.eligible.length).lte(total),
            () => `resolved with ${total} of ${claim.eligible.length} votes`,
          );
          check(
            'P3',
            (event.type === 'ClaimApproved') === config.approvalThreshold.mul(total).lte(event.votesFor),
            () => `${event.type} with ${event.votesFor} of ${total}`,
          );
        }
        if (event.type === 'ClaimRejected' && event.by !== 'no-arbiters' && event.approval.lt(config.fraudThreshold)) {
          const slashed = events.slice(i + 1).some((e) => e.type === 'StakeSlashed' && e.agentId === claim.claimant);
          check(
            'P5',
            slashed,
            () => `claim ${event.claimId} rejected at ${event.approval.toFixed()} approval without a slash`,
          );
        }
      }
      if (event.type === 'ClaimPaid') {
        const claim = before.claims[event.claimId]!;
        const raw = claim.amount.mul(PAYOUT_MULTIPLIERS[claim.coverageType]);
        check(
          'P1',
          event.payout.lte(raw) &&
            event.payout.lte(before.members[claim.claimant]!.coverage) &&
            event.payout.lte(before.reserve),
          () =>
            `payout ${event.payout.toFixed()} > min(${raw.toFixed()}, coverage, reserve ${before.reserve.toFixed()})`,
        );
        check(
          'G6',
          sameParty(event.to, treasuryParty(claim.claimant)),
          () =>
            `payout of ${event.claimId} sent to ${event.to.kind}:${event.to.id}, not the claimant ${claim.claimant}`,
        );
        check(
          'G2',
          before.transfersSent[event.transferId] === undefined,
          () => `payout transfer ${event.transferId} sent twice`,
        );
      }
      if (event.type === 'MemberLeft') {
        const m = before.members[event.agentId]!;
        check(
          'P1',
          event.stakeReturned.lte(m.stake) && event.stakeReturned.lte(before.reserve),
          () =>
            `returned ${event.stakeReturned.toFixed()} of stake ${m.stake.toFixed()} from reserve ${before.reserve.toFixed()}`,
        );
        const open = Object.values(before.claims).filter(
          (c) => c.claimant === event.agentId && ['pending', 'arbitration', 'approved'].includes(c.status),
        );
        check(
          'CLAIM_OPEN',
          open.length === 0,
          () => `${event.agentId} left with claim ${open[0]?.claimId} ${open[0]?.status}`,
        );
        check(
          'P5',
          event.reason === (m.active ? 'left' : 'expelled'),
          () => `${event.agentId} ${event.reason} while active=${m.active}`,
        );
      }
      if (event.type === 'TransferReturned') {
        const sent = before.transfersSent[event.transferId];
        check(
          'G2',
          sent !== undefined && !sent.returned && sent.amount.eq(event.amount),
          () =>
            `transfer ${event.transferId} of ${event.amount.toFixed()} came back ` +
            `${sent ? (sent.returned ? 'twice' : `but ${sent.amount.toFixed()} was sent`) : 'but was never sent'}`,
        );
      }
      if (event.type === 'MemberSuspended')
        check('P5', event.stake.lt(config.minActiveStake), () => `suspended with stake ${event.stake.toFixed()}`);
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
  const expected = l.stakes
    .plus(l.premiums)
    .minus(l.payouts)
    .minus(l.stakesReturned)
    .minus(l.lent)
    .plus(l.borrowed)
    .minus(l.repaidOut)
    .plus(l.repaidIn);
  check(
    'POOL-MONEY',
    s.reserve.eq(expected),
    () =>
      `reserve ${s.reserve.toFixed()} ≠ stakes + premiums − payouts − stakes returned ± reinsurance = ${expected.toFixed()}`,
  );
  // Payouts and stake returns on the ledger are net of the ones that came back: exactly what is out.
  const out = (purpose: string) =>
    Object.values(s.transfersSent).reduce(
      (n, x) => (x.purpose === purpose && !x.returned ? n.plus(x.amount) : n),
      new Decimal(0),
    );
  check(
    'POOL-MONEY',
    l.stakesReturned.eq(out('stake-return')),
    () => `ledger stakes returned ${l.stakesReturned.toFixed()} ≠ stake returns out ${out('stake-return').toFixed()}`,
  );
  check(
    'POOL-MONEY',
    l.payouts.eq(out('payout')),
    () => `ledger payouts ${l.payouts.toFixed()} ≠ payouts out ${out('payout').toFixed()}`,
  );
  for (const c of Object.values(s.claims))
    check(
      'P1',
      (c.status === 'paid') === (c.payout !== undefined),
      () => `claim ${c.claimId} is ${c.status} with payout ${c.payout?.toFixed()}`,
    );
  check(
    'P6',
    s.underfunded === isUnderfunded(s),
    () => `underfunded flag ${s.underfunded} but ratio says ${isUnderfunded(s)}`,
  );
  for (const m of Object.values(s.members))
    check(
      'P5',
      m.stake.gte(0) && (m.active || m.stake.lt(s.config.minActiveStake)),
      () => `member ${m.agentId} stake ${m.stake.toFixed()} active=${m.active}`,
    );
};

/** Exactly-once resolution: nothing happens to an escrow after it resolved, and it resolves at most once. */
export const foldEscrowChecked = (state: EscrowState, events: readonly EscrowEvent[]): EscrowState => {
  let s = state;
  for (const event of events) {
    check('ESCROW-ONCE', !isResolved(s), () => `${event.type} after the escrow was ${s.status}`);
    roundTrips(EscrowEventCodec as never, event);
    s = evolveEscrow(s, event);
    check(
      'ESCROW-ONCE',
      s.resolutions <= 1 && s.released.lte(s.amount) && s.feeCharged.lte(s.fee),
      () => `resolutions ${s.resolutions}, released ${s.released.toFixed()} of ${s.amount.toFixed()}`,
    );
  }
  return s;
};
