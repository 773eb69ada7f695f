import type { ActorId } from '../ids';
import type { Instant } from '../instant';
import { Decimal, type Money } from '../money';
import type { EscrowEvent } from './escrow-events';
import type { JobType } from './collateral';

/** open → (partially released) → released | refunded | expired; disputed pauses it until resolved. */
export type EscrowStatus = 'none' | 'open' | 'disputed' | 'released' | 'refunded' | 'expired';

export interface EscrowState {
  readonly status: EscrowStatus;
  readonly escrowId?: string;
  readonly payer?: ActorId;
  readonly payee?: ActorId;
  readonly amount: Money;
  readonly fee: Money;
  readonly released: Money;
  readonly feeCharged: Money;
  readonly deadline: Instant | 0;
  readonly job?: { readonly type: JobType; readonly value: Money; readonly collateral: Money };
  /** How many times the escrow reached an end state: the exactly-once check counts this. */
  readonly resolutions: number;
  readonly lastAt: Instant | 0;
}

const ZERO = new Decimal(0);

export const initialEscrowState: EscrowState = {
  status: 'none',
  amount: ZERO,
  fee: ZERO,
  released: ZERO,
  feeCharged: ZERO,
  deadline: 0,
  resolutions: 0,
  lastAt: 0,
};

export const remainingOf = (s: EscrowState): Money => s.amount.minus(s.released);
export const isResolved = (s: EscrowState): boolean =>
  s.status === 'released' || s.status === 'refunded' || s.status === 'expired';

export const evolveEscrow = (state: EscrowState, event: EscrowEvent): EscrowState => {
  const s: EscrowState = { ...state, lastAt: event.at as Instant };
  switch (event.type) {
    case 'EscrowCreated':
      return {
        ...s,
        status: 'open',
        escrowId: event.escrowId,
        payer: event.payer,
        payee: event.payee,
        amount: event.amount,
        fee: event.fee,
        deadline: event.deadline as Instant,
        ...(event.jobType && event.jobValue
          ? { job: { type: event.jobType, value: event.jobValue, collateral: event.collateral ?? ZERO } }
          : {}),
      };
    case 'EscrowReleased': {
      const released = s.released.plus(event.amount);
      const done = event.remaining.isZero();
      return {
        ...s,
        released,
        feeCharged: s.feeCharged.plus(event.fee),
        status: done ? 'released' : 'open',
        resolutions: s.resolutions + (done ? 1 : 0),
      };
    }
    case 'EscrowRefunded':
      return { ...s, status: 'refunded', resolutions: s.resolutions + 1 };
    case 'EscrowExpired':
      return { ...s, status: 'expired', resolutions: s.resolutions + 1 };
    case 'EscrowDisputed':
      return { ...s, status: 'disputed' };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};
