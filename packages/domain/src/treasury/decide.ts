import * as E from 'fp-ts/Either';
import type { Decider } from '../decider';
import type { Instant } from '../instant';
import { type Decision, evolveAccount, foldAccount, initialAccount, type TreasuryAccount } from './account';
import { tripBreakers } from './breakers';
import type { TreasuryCommand } from './commands';
import { decideEndSession, decidePlaceBet, decideSettleBet } from './decide-casino';
import { decideLockEscrow, decideRefundEscrow, decideReleaseEscrow } from './decide-escrow';
import {
  decideDeposit,
  decideOpen,
  decideRebalance,
  decideReferralIncome,
  decideReinvest,
  decideTransfer,
  decideValuation,
  decideWithdraw,
} from './decide-funds';
import { decideResumeRisk, decideResumeTrading, decideTick, timePasses } from './decide-risk';
import { decideClosePosition, decideFunding, decideMarkPrice, decideOpenPosition } from './decide-trading';
import {
  decideReceiveTransfer,
  decideReturnTransfer,
  decideSendTransfer,
  refuseCreditUnopened,
  refuseDebitUnopened,
} from './decide-transfers';
import type { TreasuryEvent } from './events';
import { reject, type TreasuryRejection } from './rejections';
import {
  decideApprove,
  decideChangePolicy,
  decideDeny,
  decideEmergencyStop,
  decideLift,
  decideSetMode,
} from './decide-controls';
import { type ExecutingRequest, gateMove } from './policy-gate';
import { decideRecordAdvice, decideRecordMarket } from './decide-market';
import { decideSwap } from './decide-swap';
import { decideDepositAsset, decideRecordPrices } from './decide-assets';
import {
  decideAccrueYield,
  decideDepositToVenue,
  decideRecordVenueRate,
  decideWithdrawFromVenue,
  venueShortfall,
} from './decide-venues';

const decideCommand = (c: TreasuryCommand, a: TreasuryAccount): Decision => {
  switch (c.type) {
    case 'OpenTreasury':
      return decideOpen(c, a);
    case 'Deposit':
      return decideDeposit(c, a);
    case 'Withdraw':
      return decideWithdraw(c, a);
    case 'Transfer':
      return decideTransfer(c, a);
    case 'RecordValuation':
      return decideValuation(c, a);
    case 'RecordMarket':
      return decideRecordMarket(c, a);
    case 'RecordAdvice':
      return decideRecordAdvice(c, a);
    case 'Swap':
      return decideSwap(c, a);
    case 'RecordPrices':
      return decideRecordPrices(c, a);
    case 'DepositAsset':
      return decideDepositAsset(c, a);
    case 'DepositToVenue':
      return decideDepositToVenue(c, a);
    case 'WithdrawFromVenue':
      return decideWithdrawFromVenue(c, a);
    case 'RecordVenueRate':
      return decideRecordVenueRate(c, a);
    case 'AccrueYield':
      return decideAccrueYield(c, a);
    case 'Rebalance':
      return decideRebalance(c, a);
    case 'PlaceBet':
      return decidePlaceBet(c, a);
    case 'SettleBet':
      return decideSettleBet(c, a);
    case 'EndCasinoSession':
      return decideEndSession(c, a);
    case 'OpenPosition':
      return decideOpenPosition(c, a);
    case 'MarkPrice':
      return decideMarkPrice(c, a);
    case 'ClosePosition':
      return decideClosePosition(c, a);
    case 'ApplyFunding':
      return decideFunding(c, a);
    case 'LockEscrow':
      return decideLockEscrow(c, a);
    case 'ReleaseEscrow':
      return decideReleaseEscrow(c, a);
    case 'RefundEscrow':
      return decideRefundEscrow(c, a);
    case 'SendTransfer':
      return decideSendTransfer(c, a);
    case 'ReceiveTransfer':
      return decideReceiveTransfer(c, a);
    case 'ReturnTransfer':
      return decideReturnTransfer(c, a);
    case 'RecordReferralIncome':
      return decideReferralIncome(c, a);
    case 'ReinvestReferrals':
      return decideReinvest(c, a);
    case 'Tick':
      return decideTick(c);
    case 'ResumeRisk':
      return decideResumeRisk(c, a);
    case 'ResumeTrading':
      return decideResumeTrading(c, a);
    case 'ChangePolicy':
    case 'ApproveRequest':
    case 'DenyRequest':
    case 'EmergencyStop':
    case 'LiftEmergencyStop':
    case 'SetMode':
      // Decided by decideStep before this switch: they are not moves.
      throw new Error(`${c.type} is a control command`);
    default: {
      const unreachable: never = c;
      return unreachable;
    }
  }
};

/** The commands that change the controls rather than move money. */
const decideControl = (
  c: TreasuryCommand,
  a: TreasuryAccount,
  executing: ExecutingRequest | undefined,
): Decision | undefined => {
  switch (c.type) {
    case 'ChangePolicy':
      return decideChangePolicy(c, a, executing);
    case 'ApproveRequest':
      return decideApprove(c, a, decideStep);
    case 'DenyRequest':
      return decideDeny(c, a);
    case 'EmergencyStop':
      return decideEmergencyStop(c, a);
    case 'LiftEmergencyStop':
      return decideLift(c, a, decideStep);
    case 'SetMode':
      return decideSetMode(c, a);
    default:
      return undefined;
  }
};

/**
 * One command on a treasury whose time has passed: a control command, or a move decided by its own
 * rules, then by the spend controls (which may hold it for approvals), then every breaker looks at
 * the result. `executing` names the approval request whose last approval is executing it.
 */
const decideStep = (c: TreasuryCommand, ready: TreasuryAccount, executing?: ExecutingRequest): Decision => {
  const control = decideControl(c, ready, executing);
  if (control !== undefined) return control;
  const decided = decideCommand(c, ready);
  if (E.isLeft(decided)) return decided;
  const gated = gateMove(c, ready.treasury.controls, decided.right, executing);
  if (E.isLeft(gated)) return gated;
  const after = foldAccount(ready, gated.right);
  const short = venueShortfall(ready.treasury, after.treasury);
  if (short !== undefined) return E.left(short);
  return E.right([...gated.right, ...tripBreakers(after, c.at as Instant)]);
};

/**
 * Every command: time passes first (cooldowns, daily window), then the command is decided on that
 * state, then every breaker looks at the result. A refusal that must be audited carries the
 * time-passing events and its CommandRejected record in `recorded`.
 */
export const decideTreasury = (
  c: TreasuryCommand,
  a: TreasuryAccount,
): E.Either<TreasuryRejection, readonly TreasuryEvent[]> => {
  if (c.type === 'OpenTreasury') return decideOpen(c, a);
  if (!a.treasury.opened) {
    // A transfer's leg on a treasury that does not exist is refused on the record, or its other side would wait
    // forever.
    if (c.type === 'SendTransfer') return E.left(refuseDebitUnopened(c));
    if (c.type === 'ReceiveTransfer') return E.left(refuseCreditUnopened(c, a));
    return E.left(reject('TREASURY_NOT_OPENED', 'open the treasury (OpenTreasury) before anything else'));
  }
  if (c.at < a.treasury.lastAt) {
    return E.left(
      reject('TIME_WENT_BACKWARDS', `command time ${c.at} is before the stream's last event at ${a.treasury.lastAt}`, {
        at: c.at,
        lastAt: a.treasury.lastAt,
      }),
    );
  }
  const before = timePasses(a, c.at as Instant);
  const ready = foldAccount(a, before);
  const decided = decideStep(c, ready);
  if (E.isLeft(decided)) {
    const r = decided.left;
    return E.left(r.recorded.length > 0 ? { ...r, recorded: [...before, ...r.recorded] } : r);
  }
  return E.right([...before, ...decided.right]);
};

export const treasuryDecider: Decider<TreasuryCommand, TreasuryEvent, TreasuryAccount, TreasuryRejection> = {
  initialState: initialAccount,
  evolve: evolveAccount,
  decide: decideTreasury,
};
