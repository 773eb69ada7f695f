import * as t from 'io-ts';
import { decimalString, PriceFromString, RatioFromString } from '../codecs/decimal-codec';
import { MoneyFromString, NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { boundedArray, boundedInt, SafeIntegerCodec } from '../codecs/primitives';
import { strict } from '../codecs/strict';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { InstantCodec } from '../instant';
import { PartyCodec, TransferIdCodec, TransferPurposeCodec } from '../transfers/transfer-codecs';
import { BucketNameCodec, SizingPolicyCodec, TreasuryConfigCodec } from './config';
import { CounterpartyCodec } from '../policy/policy-codecs';
import { POLICY_EVENTS } from './policy-events';
import { MARKET_EVENTS } from './market-events';
import { AssetDeposited, Swapped } from './swap-events';
import { VENUE_EVENTS } from './venue-events';
import { GameNameCodec, LocalIdCodec, ReferralServiceCodec, SideCodec, SymbolCodec } from './treasury-ids';

export {
  LocalIdCodec,
  type LocalId,
  SymbolCodec,
  GameNameCodec,
  SideCodec,
  ReferralServiceCodec,
} from './treasury-ids';

const Quantity = decimalString('quantity', { min: '0', maxDecimals: 12 });
const SignedRatio = decimalString('rate', { min: '-1', max: '1' });
const Ratio = RatioFromString;
const Drift = decimalString('drift', { min: '-1', max: '1' });

const event = timedRecord;

const MoveCodec = strict({ from: BucketNameCodec, to: BucketNameCodec, amount: PositiveMoneyFromString }, {}, 'Move');

export const TreasuryOpened = event('TreasuryOpened', { config: TreasuryConfigCodec });
export const FundsDeposited = event('FundsDeposited', { bucket: BucketNameCodec, amount: PositiveMoneyFromString });
export const FundsWithdrawn = event(
  'FundsWithdrawn',
  { bucket: BucketNameCodec, amount: PositiveMoneyFromString },
  { to: CounterpartyCodec },
);
export const FundsTransferred = event('FundsTransferred', {
  from: BucketNameCodec,
  to: BucketNameCodec,
  amount: PositiveMoneyFromString,
  reason: t.keyof({ manual: null, 'casino-stop': null, 'referral-reinvest': null }),
});
export const BucketRevalued = event('BucketRevalued', {
  bucket: BucketNameCodec,
  from: NonNegativeMoneyFromString,
  to: NonNegativeMoneyFromString,
});
export const Rebalanced = event('Rebalanced', {
  reason: t.keyof({ drift: null, 'reserve-floor': null }),
  total: NonNegativeMoneyFromString,
  drift: t.record(t.string, Drift),
  transfers: boundedArray(MoveCodec, 0, 100, 'transfers'),
  skipped: boundedArray(MoveCodec, 0, 100, 'skipped'),
});

export const CasinoSessionStarted = event('CasinoSessionStarted', {
  sessionId: LocalIdCodec,
  bankroll: NonNegativeMoneyFromString,
});
export const BetPlaced = event('BetPlaced', {
  betId: LocalIdCodec,
  sessionId: LocalIdCodec,
  game: GameNameCodec,
  stake: PositiveMoneyFromString,
  policy: SizingPolicyCodec,
  edge: decimalString('edge', { min: '-1', max: '100' }),
  cap: NonNegativeMoneyFromString,
});
export const BetSettled = event('BetSettled', { betId: LocalIdCodec, won: t.boolean, pnl: MoneyFromString });
export const CasinoSessionStopped = event('CasinoSessionStopped', {
  sessionId: LocalIdCodec,
  startBankroll: NonNegativeMoneyFromString,
  value: NonNegativeMoneyFromString,
  lossRatio: Ratio,
  returnedToReserve: NonNegativeMoneyFromString,
});
export const CasinoSessionEnded = event('CasinoSessionEnded', { sessionId: LocalIdCodec });

export const PositionOpened = event(
  'PositionOpened',
  {
    positionId: LocalIdCodec,
    symbol: SymbolCodec,
    side: SideCodec,
    size: PositiveMoneyFromString,
    leverage: boundedInt('leverage', 1, 50),
    margin: PositiveMoneyFromString,
    entryPrice: PriceFromString,
    quantity: Quantity,
    stopLoss: Ratio,
    takeProfit: Ratio,
  },
  { trailingStop: Ratio },
);
export const PriceMarked = event('PriceMarked', { symbol: SymbolCodec, price: PriceFromString });
export const PositionClosed = event('PositionClosed', {
  positionId: LocalIdCodec,
  exitPrice: PriceFromString,
  pnl: MoneyFromString,
  reason: t.keyof({ stop: null, trail: null, take: null, liquidation: null, manual: null, breaker: null }),
});
export const FundingApplied = event('FundingApplied', {
  positionId: LocalIdCodec,
  rate: SignedRatio,
  payment: MoneyFromString,
  marginUsed: NonNegativeMoneyFromString,
});

export const EscrowLocked = event(
  'EscrowLocked',
  { escrowId: LocalIdCodec, amount: PositiveMoneyFromString, fee: NonNegativeMoneyFromString },
  { payee: PartyCodec },
);
/**
 * Schema v2: the released amount leaves the lock as the debit leg of a transfer to the payee; the fee leaves as a
 * platform fee.
 */
export const EscrowReleased = event('EscrowReleased', {
  escrowId: LocalIdCodec,
  amount: NonNegativeMoneyFromString,
  fee: NonNegativeMoneyFromString,
  transferId: TransferIdCodec,
  to: PartyCodec,
});
/**
 * Schema v1 of EscrowReleased, written before transfers existed: the payee's credit cannot be paired with it. Read
 * only.
 */
export const LegacyEscrowReleased = event('LegacyEscrowReleased', {
  escrowId: LocalIdCodec,
  amount: NonNegativeMoneyFromString,
  fee: NonNegativeMoneyFromString,
});
export const EscrowRefunded = event('EscrowRefunded', {
  escrowId: LocalIdCodec,
  amount: NonNegativeMoneyFromString,
  fee: NonNegativeMoneyFromString,
});

/**
 * Written before transfers existed (an escrow release or an insurance payout credited with no debit leg to pair). Read
 * only.
 */
export const PaymentReceived = event('PaymentReceived', {
  paymentId: LocalIdCodec,
  source: t.keyof({ escrow: null, insurance: null }),
  amount: PositiveMoneyFromString,
});
/** Debit leg: money leaves a bucket for another aggregate; it is in flight until the payee credits (or refuses) it. */
export const TransferSent = event('TransferSent', {
  transferId: TransferIdCodec,
  to: PartyCodec,
  purpose: TransferPurposeCodec,
  bucket: BucketNameCodec,
  amount: PositiveMoneyFromString,
});
/** Credit leg: money another aggregate sent arrives in a bucket, once per transfer id. */
export const TransferReceived = event('TransferReceived', {
  transferId: TransferIdCodec,
  from: PartyCodec,
  purpose: TransferPurposeCodec,
  bucket: BucketNameCodec,
  amount: PositiveMoneyFromString,
});
/** A credit this treasury could not take (not opened): recorded so the payer takes its money back, once. */
export const TransferRefused = event('TransferRefused', {
  transferId: TransferIdCodec,
  from: PartyCodec,
  amount: PositiveMoneyFromString,
  code: t.string,
});
/** A transfer this treasury sent came back (the payee refused it): in flight → the bucket it left. */
export const TransferReturned = event('TransferReturned', {
  transferId: TransferIdCodec,
  bucket: BucketNameCodec,
  amount: PositiveMoneyFromString,
  code: t.string,
});
export const ReferralIncomeReceived = event('ReferralIncomeReceived', {
  service: ReferralServiceCodec,
  amount: PositiveMoneyFromString,
});
export const ReferralsReinvested = event('ReferralsReinvested', {
  toReserve: NonNegativeMoneyFromString,
  toTrading: NonNegativeMoneyFromString,
});

/** A refusal worth keeping in the audit trail (R1, R2, R6, T5), with the numbers behind it. */
export const CommandRejected = event('CommandRejected', {
  command: t.string,
  subject: t.string,
  code: t.string,
  // Integers only, as in every stored event: a fraction has no canonical form and could never be appended.
  details: t.record(t.string, t.union([t.string, SafeIntegerCodec, t.boolean])),
});

export const DailyWindowOpened = event('DailyWindowOpened', { equity: MoneyFromString });
export const RiskPaused = event('RiskPaused', {
  until: InstantCodec,
  dayStartEquity: MoneyFromString,
  equity: MoneyFromString,
  lossRatio: Ratio,
});
export const RiskResumed = event(
  'RiskResumed',
  { by: t.keyof({ cooldown: null, operator: null }), equity: MoneyFromString },
  { operator: ActorIdCodec, note: t.string },
);
export const RiskHalted = event('RiskHalted', { peak: MoneyFromString, equity: MoneyFromString, drawdown: Ratio });
export const TradingHalted = event('TradingHalted', { peak: MoneyFromString, value: MoneyFromString, drawdown: Ratio });
export const TradingResumed = event(
  'TradingResumed',
  { operator: ActorIdCodec, value: MoneyFromString },
  { note: t.string },
);
export const ReserveFloorBreached = event('ReserveFloorBreached', {
  reserve: MoneyFromString,
  floor: MoneyFromString,
  total: MoneyFromString,
});

export const TreasuryEventCodec = taggedUnion('TreasuryEvent', [
  TreasuryOpened,
  FundsDeposited,
  FundsWithdrawn,
  FundsTransferred,
  BucketRevalued,
  Rebalanced,
  CasinoSessionStarted,
  BetPlaced,
  BetSettled,
  CasinoSessionStopped,
  CasinoSessionEnded,
  PositionOpened,
  PriceMarked,
  PositionClosed,
  FundingApplied,
  EscrowLocked,
  EscrowReleased,
  LegacyEscrowReleased,
  EscrowRefunded,
  PaymentReceived,
  TransferSent,
  TransferReceived,
  TransferRefused,
  TransferReturned,
  ReferralIncomeReceived,
  ReferralsReinvested,
  CommandRejected,
  DailyWindowOpened,
  RiskPaused,
  RiskResumed,
  RiskHalted,
  TradingHalted,
  TradingResumed,
  ReserveFloorBreached,
  Swapped,
  AssetDeposited,
  ...VENUE_EVENTS,
  ...POLICY_EVENTS,
  ...MARKET_EVENTS,
] as const);
export type TreasuryEvent = t.TypeOf<typeof TreasuryEventCodec>;
export type TreasuryEventType = TreasuryEvent['type'];
export type EventOf<T extends TreasuryEventType> = Extract<TreasuryEvent, { type: T }>;
export type Move = t.TypeOf<typeof MoveCodec>;

/** The spend controls' and the market's events: they move no money and count no P&L, so the money folds pass them by. */
export type MoneylessEvent = t.TypeOf<(typeof POLICY_EVENTS)[number] | (typeof MARKET_EVENTS)[number]>;
const MONEYLESS_TYPES: ReadonlySet<string> = new Set([...POLICY_EVENTS, ...MARKET_EVENTS].map((codec) => codec.name));
export const isMoneylessEvent = (e: TreasuryEvent): e is MoneylessEvent => MONEYLESS_TYPES.has(e.type);
