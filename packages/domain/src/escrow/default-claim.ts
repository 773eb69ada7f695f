import { createHash } from 'node:crypto';
import * as E from 'fp-ts/Either';
import type { JsonObject } from '../canonical-json';
import type { Instant } from '../instant';
import { instantToIso } from '../instant';
import type { Money } from '../money';
import type { PoolCommandOf } from '../insurance/pool-commands';
import type { LocalId } from '../treasury/events';
import { type EscrowState, remainingOf } from './escrow-state';

export interface DefaultEvidenceFailure {
  readonly code: 'ESCROW_NOT_FOUND' | 'ESCROW_RELEASED' | 'DEADLINE_NOT_PASSED' | 'CLAIM_EXCEEDS_ESCROW';
  readonly message: string;
}

/**
 * Seed 001's evidence checks for a counterparty-default claim, as a pure function of the escrow's
 * own stream: it exists, it was not released, its deadline has passed, and the claim is not more
 * than what stayed unreleased.
 */
export const checkDefaultEvidence = (
  escrow: EscrowState,
  claimed: Money,
  at: Instant,
): E.Either<DefaultEvidenceFailure, true> => {
  if (escrow.status === 'none') return E.left({ code: 'ESCROW_NOT_FOUND', message: 'no such escrow' });
  if (escrow.status === 'released')
    return E.left({ code: 'ESCROW_RELEASED', message: 'escrow was released: no default' });
  if (at < escrow.deadline)
    return E.left({
      code: 'DEADLINE_NOT_PASSED',
      message: `the deadline ${instantToIso(escrow.deadline as Instant)} has not passed`,
    });
  const unreleased = remainingOf(escrow);
  if (claimed.gt(unreleased))
    return E.left({
      code: 'CLAIM_EXCEEDS_ESCROW',
      message: `claimed ${claimed.toFixed()} exceeds the ${unreleased.toFixed()} left in escrow`,
    });
  return E.right(true);
};

/**
 * The oracle: for an escrow that expired (or passed its deadline) without release, the
 * counterparty-default claim the payee files automatically, once the evidence checks pass. The claim
 * id is derived from the escrow id (a hash, to stay short), so filing it twice is refused as a
 * duplicate: exactly once per escrow.
 */
export const automaticDefaultClaim = (
  escrow: EscrowState,
  at: Instant,
): E.Either<DefaultEvidenceFailure, PoolCommandOf<'FileClaim'>> => {
  const amount = remainingOf(escrow);
  const checked = checkDefaultEvidence(escrow, amount, at);
  if (E.isLeft(checked)) return checked;
  const evidence: JsonObject = {
    type: 'counterparty_default',
    escrowId: escrow.escrowId!,
    payer: escrow.payer!,
    amount: amount.toFixed(),
    escrowStatus: escrow.status === 'expired' ? 'expired_without_release' : escrow.status,
    deadline: instantToIso(escrow.deadline as Instant),
  };
  return E.right({
    type: 'FileClaim',
    at,
    claimId: `default-${createHash('sha256').update(escrow.escrowId!).digest('hex').slice(0, 24)}` as LocalId,
    claimant: escrow.payee!,
    coverageType: 'counterparty_default',
    amount,
    evidence,
  });
};
