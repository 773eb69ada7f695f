import { automaticDefaultClaim, checkDefaultEvidence, collateralFor, money } from '@ballast/domain';
import * as E from 'fp-ts/Either';
import { escrowSpec, HOUR, T0 } from '../support/pool-fixtures';

const deadline = T0 + 24 * HOUR;
const create = (extra: Record<string, unknown> = {}) => ({
  type: 'CreateEscrow',
  at: T0,
  escrowId: 'ESC-7729',
  payer: 'zeta',
  payee: 'alpha',
  amount: '200',
  deadline,
  ...extra,
});
const created = [create()];

describe('Escrow: two-phase, resolved exactly once', () => {
  it('creates with a 1% fee, and collateral by job type for a self-insured payee', () => {
    escrowSpec
      .given([])
      .when(create())
      .then([{ type: 'EscrowCreated', amount: '200', fee: '2', deadline }]);
    escrowSpec
      .given([])
      .when(create({ job: { type: 'trading_execution', value: '1000' } }))
      .then([{ type: 'EscrowCreated', jobType: 'trading_execution', collateral: '250' }]);
    expect(collateralFor('content_generation', money('1000')).toFixed()).toBe('50');
  });

  it('refuses collateral beyond 40% of the wallet (self-insurance exposure limit)', () => {
    escrowSpec
      .given([])
      .when(
        create({
          job: { type: 'smart_contract_call', value: '1000' },
          exposure: { current: '150', walletBalance: '1000' },
        }),
      )
      .thenRejects('EXPOSURE_LIMIT', { collateral: '300', current: '150', limit: '400' });
  });

  it('releases in parts with the matching fee share, then whole; nothing moves after resolution', () => {
    const part = escrowSpec
      .given(created)
      .when({ type: 'ReleaseEscrow', at: T0 + HOUR, amount: '50', proof: 'sha256:abc' });
    part.then([{ type: 'EscrowReleased', amount: '50', fee: '0.5', remaining: '150', proof: 'sha256:abc' }]);
    const partly = [...created, { type: 'ReleaseEscrow', at: T0 + HOUR, amount: '50', proof: 'p1' }];
    escrowSpec
      .given(partly)
      .when({ type: 'ReleaseEscrow', at: T0 + HOUR, proof: 'p2' })
      .then([{ type: 'EscrowReleased', amount: '150', fee: '1.5', remaining: '0' }]);
    const done = [...partly, { type: 'ReleaseEscrow', at: T0 + HOUR, proof: 'p2' }];
    for (const next of [
      { type: 'ReleaseEscrow', at: T0 + HOUR, proof: 'again' },
      { type: 'RefundEscrow', at: T0 + HOUR, reason: 'x' },
      { type: 'ExpireEscrow', at: deadline },
    ]) {
      escrowSpec.given(done).when(next).thenRejects('ESCROW_RESOLVED', { status: 'released' });
    }
    escrowSpec
      .given(partly)
      .when({ type: 'ReleaseEscrow', at: T0 + HOUR, amount: '151', proof: 'p' })
      .thenRejects('RELEASE_EXCEEDS_REMAINING', { remaining: '150' });
  });

  it('expires only at the deadline, refunding what remains', () => {
    escrowSpec
      .given(created)
      .when({ type: 'ExpireEscrow', at: deadline - 1 })
      .thenRejects('DEADLINE_NOT_PASSED');
    escrowSpec
      .given(created)
      .when({ type: 'ExpireEscrow', at: deadline })
      .then([{ type: 'EscrowExpired', amount: '200', fee: '2' }]);
    escrowSpec
      .given(created)
      .when({ type: 'RefundEscrow', at: T0 + HOUR, reason: 'job cancelled' })
      .then([{ type: 'EscrowRefunded', amount: '200', fee: '2' }]);
  });

  it('freezes a disputed escrow until the dispute is resolved one way', () => {
    const disputed = [...created, { type: 'DisputeEscrow', at: T0 + HOUR, by: 'zeta', reason: 'work not delivered' }];
    escrowSpec
      .given(disputed)
      .when({ type: 'ReleaseEscrow', at: T0 + HOUR, proof: 'p' })
      .thenRejects('ESCROW_DISPUTED');
    escrowSpec.given(disputed).when({ type: 'ExpireEscrow', at: deadline }).thenRejects('ESCROW_DISPUTED');
    escrowSpec
      .given(disputed)
      .when({ type: 'ResolveDispute', at: T0 + HOUR, outcome: 'refund', by: 'arbiter' })
      .then([{ type: 'EscrowRefunded', amount: '200' }]);
    escrowSpec
      .given(created)
      .when({ type: 'ResolveDispute', at: T0 + HOUR, outcome: 'release', by: 'arbiter' })
      .thenRejects('NOT_DISPUTED');
  });

  it('refuses bad creations', () => {
    escrowSpec.given(created).when(create()).thenRejects('ESCROW_EXISTS');
    escrowSpec
      .given([])
      .when(create({ payee: 'zeta' }))
      .thenRejects('SAME_PARTY');
    escrowSpec
      .given([])
      .when(create({ deadline: T0 }))
      .thenRejects('DEADLINE_IN_PAST');
    escrowSpec.given([]).when({ type: 'ReleaseEscrow', at: T0, proof: 'p' }).thenRejects('ESCROW_NOT_FOUND');
  });
});

describe('the counterparty-default oracle', () => {
  it("passes seed 001's evidence checks only for an unreleased escrow past its deadline, for at most what is left", () => {
    const open = escrowSpec.given(created).state;
    expect(E.isLeft(checkDefaultEvidence(open, money('200'), (deadline - 1) as never)) && 'DEADLINE_NOT_PASSED').toBe(
      'DEADLINE_NOT_PASSED',
    );
    expect(checkDefaultEvidence(open, money('200.01'), deadline as never)).toEqual(
      E.left(expect.objectContaining({ code: 'CLAIM_EXCEEDS_ESCROW' })),
    );
    expect(checkDefaultEvidence(escrowSpec.given([]).state, money('1'), deadline as never)).toEqual(
      E.left(expect.objectContaining({ code: 'ESCROW_NOT_FOUND' })),
    );
    const released = escrowSpec.given([...created, { type: 'ReleaseEscrow', at: T0 + HOUR, proof: 'p' }]).state;
    expect(checkDefaultEvidence(released, money('1'), deadline as never)).toEqual(
      E.left(expect.objectContaining({ code: 'ESCROW_RELEASED' })),
    );
  });

  it("files the payee's counterparty-default claim for an expired escrow, with a stable claim id", () => {
    const expired = escrowSpec.given([...created, { type: 'ExpireEscrow', at: deadline }]).state;
    const claim = automaticDefaultClaim(expired, (deadline + HOUR) as never);
    expect(E.isRight(claim) && claim.right).toMatchObject({
      type: 'FileClaim',
      claimant: 'alpha',
      coverageType: 'counterparty_default',
      evidence: { escrowId: 'ESC-7729', escrowStatus: 'expired_without_release', amount: '200' },
    });
    const again = automaticDefaultClaim(expired, (deadline + 2 * HOUR) as never);
    expect(E.isRight(claim) && E.isRight(again) && again.right.claimId).toBe(
      E.isRight(claim) ? claim.right.claimId : '',
    );
  });
});
