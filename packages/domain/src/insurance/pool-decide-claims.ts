import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import { canonicalJson } from '../canonical-json';
import type { ActorId } from '../ids';
import type { Instant } from '../instant';
import { Decimal, roundMoney } from '../money';
import { choosePanel } from './arbitration-panel';
import type { PoolCommandOf } from './pool-commands';
import type { PoolDecision } from './pool-decide-members';
import type { PoolEvent, Sha256Hex } from './pool-events';
import { evolvePool } from './pool-evolve';
import { poolReject, poolRejectAndRecord } from './pool-rejections';
import type { Claim, PoolState } from './pool-state';
import { PAYOUT_MULTIPLIERS } from './tiers';
import { transferIdOf, treasuryParty } from '../transfers/transfer-codecs';

/** The claim's evidence is hashed over its canonical JSON, so any byte-identical re-encoding matches. */
export const evidenceHash = (evidence: unknown): Sha256Hex =>
  createHash('sha256').update(canonicalJson(evidence)).digest('hex') as Sha256Hex;

const activeAgents = (s: PoolState, except: string): ActorId[] =>
  Object.values(s.members)
    .filter((m) => m.active && !m.left && m.agentId !== except)
    .map((m) => m.agentId)
    .sort();

export const decideFileClaim = (c: PoolCommandOf<'FileClaim'>, s: PoolState): PoolDecision => {
  const m = s.members[c.claimant];
  if (!m || m.left) return E.left(poolReject('NOT_A_MEMBER', `${c.claimant} is not a member`, { agentId: c.claimant }));
  if (!m.active)
    return E.left(
      poolReject('MEMBER_SUSPENDED', `${c.claimant} is suspended and cannot claim`, {
        agentId: c.claimant,
        stake: m.stake,
      }),
    );
  if (m.lapsed) {
    return E.left(
      poolRejectAndRecord(
        'COVERAGE_LAPSED',
        `${c.claimant}'s cover lapsed when a premium was refused; pay a later premium to restore it`,
        { agentId: c.claimant, coverage: m.coverage, requested: c.amount },
        c,
        `claim:${c.claimId}`,
      ),
    );
  }
  if (s.claims[c.claimId])
    return E.left(poolReject('DUPLICATE_CLAIM', `claim ${c.claimId} already exists`, { claimId: c.claimId }));
  return E.right([
    {
      type: 'ClaimFiled',
      at: c.at,
      claimId: c.claimId,
      claimant: c.claimant,
      coverageType: c.coverageType,
      requested: c.amount,
      amount: Decimal.min(c.amount, m.coverage),
      evidence: c.evidence,
      evidenceHash: evidenceHash(c.evidence),
      eligible: activeAgents(s, c.claimant),
      deadline: (c.at + s.config!.votingWindowMs) as Instant,
    },
  ]);
};

/** P1: amount × multiplier, capped at the member's coverage and at the reserve, rounded down. */
export const payoutFor = (s: PoolState, claim: Claim) => {
  const multiplier = PAYOUT_MULTIPLIERS[claim.coverageType];
  const raw = claim.amount.mul(multiplier);
  const payout = roundMoney(Decimal.min(raw, s.members[claim.claimant]!.coverage, s.reserve), 'down');
  return { multiplier, raw: roundMoney(raw, 'down'), payout };
};

const payEvents = (s: PoolState, claim: Claim, at: Instant): PoolEvent[] => {
  const { multiplier, raw, payout } = payoutFor(s, claim);
  if (!payout.gt(0)) return [];
  // A payout the claimant's treasury refused came back; paying again is a new transfer.
  const transferId =
    claim.returnedPayouts > 0
      ? transferIdOf('payout', s.poolId!, claim.claimId, claim.returnedPayouts)
      : transferIdOf('payout', s.poolId!, claim.claimId);
  return [
    {
      type: 'ClaimPaid',
      at,
      claimId: claim.claimId,
      claimant: claim.claimant,
      multiplier,
      raw,
      payout,
      reserveAfter: s.reserve.minus(payout),
      transferId,
      to: treasuryParty(claim.claimant),
    },
  ];
};

/** P5: fewer than 20% approving slashes 10% of the claimant's stake; under the minimum stake suspends. */
const fraudEvents = (s: PoolState, claim: Claim, approval: Decimal, at: Instant): PoolEvent[] => {
  const config = s.config!;
  if (!approval.lt(config.fraudThreshold)) return [];
  const m = s.members[claim.claimant]!;
  const amount = roundMoney(m.stake.mul(config.slashRatio), 'down');
  const stakeAfter = m.stake.minus(amount);
  const events: PoolEvent[] = [
    { type: 'StakeSlashed', at, agentId: m.agentId, claimId: claim.claimId, amount, stakeAfter },
  ];
  if (stakeAfter.lt(config.minActiveStake) && m.active)
    events.push({ type: 'MemberSuspended', at, agentId: m.agentId, stake: stakeAfter });
  return events;
};

const tally = (votes: Readonly<Record<string, boolean>>) => {
  const all = Object.values(votes);
  const votesFor = all.filter(Boolean).length;
  return { votesFor, votesAgainst: all.length - votesFor, total: all.length };
};

/**
 * P3: resolves at quorum (50% of eligible) with 60% approval; under arbitration, by a majority of
 * the panel. Approval pays at once (P1); rejection may slash (P5).
 */
const resolve = (s: PoolState, claim: Claim, at: Instant): PoolEvent[] => {
  const config = s.config!;
  const byPanel = claim.status === 'arbitration';
  const { votesFor, votesAgainst, total } = tally(byPanel ? claim.panelVotes : claim.votes);
  let approved: boolean;
  if (byPanel) {
    const size = claim.panel!.length;
    if (votesFor * 2 > size) approved = true;
    else if (votesAgainst * 2 >= size) approved = false;
    else return [];
  } else {
    if (new Decimal(total).lt(config.quorum.mul(claim.eligible.length))) return [];
    approved = new Decimal(votesFor).gte(config.approvalThreshold.mul(total));
  }
  const approval = total === 0 ? new Decimal(0) : new Decimal(votesFor).div(total);
  const by = byPanel ? 'panel' : 'quorum';
  if (approved) {
    const event: PoolEvent = { type: 'ClaimApproved', at, claimId: claim.claimId, votesFor, votesAgainst, by };
    return [event, ...payEvents(evolvePool(s, event), evolvePool(s, event).claims[claim.claimId]!, at)];
  }
  const event: PoolEvent = {
    type: 'ClaimRejected',
    at,
    claimId: claim.claimId,
    votesFor,
    votesAgainst,
    approval: approval.toDecimalPlaces(12, Decimal.ROUND_DOWN),
    by,
  };
  return [event, ...fraudEvents(evolvePool(s, event), claim, approval, at)];
};

export const decideVote = (c: PoolCommandOf<'CastVote'>, s: PoolState): PoolDecision => {
  const claim = s.claims[c.claimId];
  if (!claim) return E.left(poolReject('UNKNOWN_CLAIM', `no claim ${c.claimId}`, { claimId: c.claimId }));
  if (claim.status !== 'pending' && claim.status !== 'arbitration')
    return E.left(
      poolReject('CLAIM_NOT_PENDING', `claim ${c.claimId} is ${claim.status}`, {
        claimId: c.claimId,
        status: claim.status,
      }),
    );
  if (c.voter === claim.claimant)
    return E.left(
      poolReject('CLAIMANT_CANNOT_VOTE', 'a claimant never votes on its own claim', {
        claimId: c.claimId,
        voter: c.voter,
      }),
    );
  const panel = claim.status === 'arbitration';
  if (panel) {
    if (!claim.panel!.includes(c.voter))
      return E.left(
        poolReject('NOT_ON_PANEL', `${c.voter} is not on the arbitration panel`, {
          claimId: c.claimId,
          voter: c.voter,
          panel: claim.panel!.join(','),
        }),
      );
    if (c.voter in claim.panelVotes)
      return E.left(
        poolReject('ALREADY_VOTED', `${c.voter} already voted as an arbiter`, { claimId: c.claimId, voter: c.voter }),
      );
  } else {
    if (!claim.eligible.includes(c.voter) || !s.members[c.voter]?.active)
      return E.left(
        poolReject('NOT_ELIGIBLE', `${c.voter} may not vote on ${c.claimId}`, { claimId: c.claimId, voter: c.voter }),
      );
    if (c.voter in claim.votes)
      return E.left(poolReject('ALREADY_VOTED', `${c.voter} already voted`, { claimId: c.claimId, voter: c.voter }));
    if (c.at >= claim.deadline)
      return E.left(
        poolReject(
          'VOTING_CLOSED',
          `the voting window closed at ${new Date(claim.deadline).toISOString()}; close it to start arbitration`,
          { claimId: c.claimId, deadline: claim.deadline },
        ),
      );
  }
  const vote: PoolEvent = { type: 'VoteCast', at: c.at, claimId: c.claimId, voter: c.voter, approve: c.approve, panel };
  const after = evolvePool(s, vote);
  return E.right([vote, ...resolve(after, after.claims[c.claimId]!, c.at)]);
};

/** After the 48h window, an unresolved claim goes to a deterministic panel of 3 eligible members. */
export const decideCloseVoting = (c: PoolCommandOf<'CloseVoting'>, s: PoolState): PoolDecision => {
  const claim = s.claims[c.claimId];
  if (!claim) return E.left(poolReject('UNKNOWN_CLAIM', `no claim ${c.claimId}`, { claimId: c.claimId }));
  if (claim.status !== 'pending')
    return E.left(
      poolReject('CLAIM_NOT_PENDING', `claim ${c.claimId} is ${claim.status}`, {
        claimId: c.claimId,
        status: claim.status,
      }),
    );
  if (c.at < claim.deadline)
    return E.left(
      poolReject('VOTING_STILL_OPEN', `voting is open until ${new Date(claim.deadline).toISOString()}`, {
        claimId: c.claimId,
        deadline: claim.deadline,
        at: c.at,
      }),
    );
  const { votesFor, votesAgainst } = tally(claim.votes);
  const panel = choosePanel(
    claim.claimId,
    claim.eligible.filter((a) => s.members[a]?.active),
    s.config!.panelSize,
  );
  if (panel.length === 0) {
    return E.right([
      {
        type: 'ClaimRejected',
        at: c.at,
        claimId: c.claimId,
        votesFor,
        votesAgainst,
        approval: new Decimal(0),
        by: 'no-arbiters',
      },
    ]);
  }
  return E.right([{ type: 'ArbitrationStarted', at: c.at, claimId: c.claimId, panel: panel, votesFor, votesAgainst }]);
};

export const decidePayClaim = (c: PoolCommandOf<'PayClaim'>, s: PoolState): PoolDecision => {
  const claim = s.claims[c.claimId];
  if (!claim) return E.left(poolReject('UNKNOWN_CLAIM', `no claim ${c.claimId}`, { claimId: c.claimId }));
  if (claim.status !== 'approved')
    return E.left(
      poolReject('CLAIM_NOT_APPROVED', `claim ${c.claimId} is ${claim.status}, not approved and unpaid`, {
        claimId: c.claimId,
        status: claim.status,
      }),
    );
  const events = payEvents(s, claim, c.at);
  return events.length > 0
    ? E.right(events)
    : E.left(
        poolReject('RESERVE_EMPTY', 'the reserve is empty; the claim stays approved until it can be paid', {
          reserve: s.reserve,
        }),
      );
};
