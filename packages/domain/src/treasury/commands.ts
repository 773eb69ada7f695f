import * as t from 'io-ts';
import { decimalString, PriceFromString, RatioFromString } from '../codecs/decimal-codec';
import { NonNegativeMoneyFromString, PositiveMoneyFromString } from '../codecs/money-codec';
import { boundedArray, boundedInt } from '../codecs/primitives';
import { decodeInput } from '../codecs/decode';
import { strict } from '../codecs/strict';
import { taggedUnion } from '../codecs/tagged-union';
import { timedRecord } from '../codecs/timed-record';
import { ActorIdCodec } from '../ids';
import { PartyCodec, TransferIdCodec, TransferPurposeCodec } from '../transfers/transfer-codecs';
import { BucketNameCodec, TreasuryConfigCodec } from './config';
import { CounterpartyCodec, SpendPolicyCodec } from '../policy/policy-codecs';
import { MarketSnapshotCodec, SourceCodec } from '../defi/market-snapshot';
import { TokenAssetCodec, TokenPriceCodec } from '../defi/assets';
import { AssetQuantity, SleeveAssetCodec } from './swap-events';
import { AdviceReasonsCodec, AdvisorNameCodec, TargetCodec } from './market-events';
import { InstantCodec } from '../instant';
import { VenueKindCodec } from '../defi/yield-venue';
import { GameNameCodec, LocalIdCodec, ReferralServiceCodec, SideCodec, SymbolCodec } from './treasury-ids';

const command = timedRecord;

const Note = t.string;

export const OpenTreasury = command('OpenTreasury', { config: TreasuryConfigCodec });
/** Without a bucket, a deposit is split by the targets (remainder to the reserve). */
export const Deposit = command('Deposit', { amount: PositiveMoneyFromString }, { bucket: BucketNameCodec });
/** `to` names the destination (required when the policy has an allow-list). */
export const Withdraw = command(
  'Withdraw',
  { bucket: BucketNameCodec, amount: PositiveMoneyFromString },
  { to: CounterpartyCodec },
);
export const Transfer = command('Transfer', {
  from: BucketNameCodec,
  to: BucketNameCodec,
  amount: PositiveMoneyFromString,
});
export const RecordValuation = command('RecordValuation', {
  bucket: BucketNameCodec,
  value: NonNegativeMoneyFromString,
});
export const Rebalance = command('Rebalance', {});
/** Without a stake, the configured sizing policy sizes the bet. */
export const PlaceBet = command(
  'PlaceBet',
  { betId: LocalIdCodec, game: GameNameCodec },
  { stake: PositiveMoneyFromString },
);
export const SettleBet = command('SettleBet', { betId: LocalIdCodec, won: t.boolean });
export const EndCasinoSession = command('EndCasinoSession', {});
const KellyInputs = strict(
  { winRate: RatioFromString, averageWin: PositiveMoneyFromString, averageLoss: PositiveMoneyFromString },
  {},
  'KellyInputs',
);
/** Give `size`, or `kelly` inputs to size it by the configured policy (capped like bets). */
export const OpenPosition = command(
  'OpenPosition',
  {
    positionId: LocalIdCodec,
    symbol: SymbolCodec,
    side: SideCodec,
    entryPrice: PriceFromString,
    leverage: boundedInt('leverage', 1, 50),
    stopLoss: RatioFromString,
    takeProfit: RatioFromString,
  },
  { size: PositiveMoneyFromString, kelly: KellyInputs, trailingStop: RatioFromString },
);
export const MarkPrice = command('MarkPrice', { symbol: SymbolCodec, price: PriceFromString });
export const ClosePosition = command('ClosePosition', { positionId: LocalIdCodec, price: PriceFromString });
/** A funding rate for one period; positive: longs pay shorts. */
export const ApplyFunding = command('ApplyFunding', {
  symbol: SymbolCodec,
  rate: decimalString('funding rate', { min: '-1', max: '1' }),
});
/** `payee`: whom the escrow will pay, checked against the policy's counterparty lists and budgets. */
export const LockEscrow = command(
  'LockEscrow',
  { escrowId: LocalIdCodec, amount: PositiveMoneyFromString },
  { payee: PartyCodec },
);
/** Pays the payee from the lock as transfer `transferId` (without an amount, all that remains). */
export const ReleaseEscrow = command(
  'ReleaseEscrow',
  { escrowId: LocalIdCodec, transferId: TransferIdCodec, to: PartyCodec },
  { amount: PositiveMoneyFromString },
);
export const RefundEscrow = command('RefundEscrow', { escrowId: LocalIdCodec });
/**
 * The debit leg of a transfer to another aggregate, from the reserve, decided against this treasury's floors and
 * breakers.
 */
export const SendTransfer = command('SendTransfer', {
  transferId: TransferIdCodec,
  to: PartyCodec,
  purpose: TransferPurposeCodec,
  amount: PositiveMoneyFromString,
});
/** The credit leg of a transfer another aggregate debited, into the reserve, once per transfer id. */
export const ReceiveTransfer = command('ReceiveTransfer', {
  transferId: TransferIdCodec,
  from: PartyCodec,
  purpose: TransferPurposeCodec,
  amount: PositiveMoneyFromString,
});
/** Takes back a transfer this treasury sent that the payee refused. */
export const ReturnTransfer = command('ReturnTransfer', { transferId: TransferIdCodec, code: t.string });
export const RecordReferralIncome = command('RecordReferralIncome', {
  service: ReferralServiceCodec,
  amount: PositiveMoneyFromString,
});
export const ReinvestReferrals = command('ReinvestReferrals', {});
/** Lets event time pass: cooldowns expire and daily windows roll even when nothing else happens. */
export const Tick = command('Tick', {});
export const ResumeRisk = command('ResumeRisk', { operator: ActorIdCodec }, { note: Note });
export const ResumeTrading = command('ResumeTrading', { operator: ActorIdCodec }, { note: Note });

/**
 * A swap in the tactical sleeve through USDC (one side is USDC): `amount` of `sell` for `filled` of
 * `buy`, as the venue filled it, with the gas price and the gas fee in USD (paid from the bucket).
 * Judged against the last market reading: slippage, gas, the volatile and per-asset caps.
 */
export const Swap = command('Swap', {
  swapId: LocalIdCodec,
  sell: SleeveAssetCodec,
  buy: SleeveAssetCodec,
  amount: AssetQuantity,
  filled: AssetQuantity,
  gasGwei: decimalString('gas', { min: '0', max: '100000', maxDecimals: 3 }),
  gasFee: NonNegativeMoneyFromString,
});
/**
 * The advisor port's way in: advice on the last market reading from an advisor other than the rules
 * (off by default; nothing needs one). Recorded as it came, or refused when outside the risk rules.
 */
export const RecordAdvice = command('RecordAdvice', {
  advisor: AdvisorNameCodec,
  observedAt: InstantCodec,
  target: TargetCodec,
  confidence: RatioFromString,
  reasons: AdviceReasonsCodec,
});
/**
 * Money of the reserve bucket into a yield venue at the terms the venue quoted (the venue port's
 * `quote`): the APY, a maturity for a fixed term, an exit fee for a liquidity pool. Only idle money
 * of the bucket goes in; a held approval waits like any large move.
 */
export const DepositToVenue = command(
  'DepositToVenue',
  { venueId: LocalIdCodec, kind: VenueKindCodec, amount: PositiveMoneyFromString, apy: RatioFromString },
  { exitFee: RatioFromString, maturesAt: InstantCodec },
);
/** Money back from a venue to the bucket's idle cash (all of it without `amount`), what it earned accrued first. */
export const WithdrawFromVenue = command(
  'WithdrawFromVenue',
  { venueId: LocalIdCodec },
  { amount: PositiveMoneyFromString },
);
/** A variable-rate venue's new APY as it quoted it: what it earned so far is accrued at the old one. */
export const RecordVenueRate = command('RecordVenueRate', { venueId: LocalIdCodec, apy: RatioFromString });
/** Records what every venue earned since its last accrual, in event time. */
export const AccrueYield = command('AccrueYield', {});
/** Token prices from a feed (SOL, ARB, …: BTC and ETH come with RecordMarket), for valuing and swapping holdings. */
export const RecordPrices = command('RecordPrices', {
  observedAt: InstantCodec,
  prices: boundedArray(TokenPriceCodec, 1, 64, 'prices'),
  source: SourceCodec,
});
/** Tokens that came into the sleeve from outside (a balance found on a chain), valued at their symbol's last price. */
export const DepositAsset = command('DepositAsset', { asset: TokenAssetCodec, quantity: AssetQuantity });
/** A reading of the market (seed 002's indicators): recorded, and the rule-based signal it gives with it. */
export const RecordMarket = command('RecordMarket', { snapshot: MarketSnapshotCodec });
/** A new spend policy (the next version). Needs approvals when the current policy says so. */
export const ChangePolicy = command('ChangePolicy', { policy: SpendPolicyCodec, by: ActorIdCodec });
/** One approver's yes to a pending request; the last one needed executes the move. */
export const ApproveRequest = command('ApproveRequest', { requestId: LocalIdCodec, approver: ActorIdCodec });
/** One approver's no: the request closes and never executes. */
export const DenyRequest = command('DenyRequest', { requestId: LocalIdCodec, by: ActorIdCodec }, { reason: Note });
/** The kill switch: every outflow is frozen until operators lift it. */
export const EmergencyStop = command('EmergencyStop', { by: ActorIdCodec }, { reason: Note });
/** One operator's vote to lift the stop; the policy's `liftRequired` distinct votes lift it. */
export const LiftEmergencyStop = command('LiftEmergencyStop', { by: ActorIdCodec }, { note: Note });
/** `reduce-only`: positions may close and premiums keep cover; nothing new opens, nothing else is spent. */
export const SetMode = command(
  'SetMode',
  { mode: t.keyof({ normal: null, 'reduce-only': null }, 'mode'), by: ActorIdCodec },
  { note: Note },
);

export const TreasuryCommandCodec = taggedUnion('TreasuryCommand', [
  OpenTreasury,
  Deposit,
  Withdraw,
  Transfer,
  RecordValuation,
  Rebalance,
  PlaceBet,
  SettleBet,
  EndCasinoSession,
  OpenPosition,
  MarkPrice,
  ClosePosition,
  ApplyFunding,
  LockEscrow,
  ReleaseEscrow,
  RefundEscrow,
  SendTransfer,
  ReceiveTransfer,
  ReturnTransfer,
  RecordReferralIncome,
  ReinvestReferrals,
  Tick,
  ResumeRisk,
  ResumeTrading,
  RecordMarket,
  RecordAdvice,
  Swap,
  RecordPrices,
  DepositAsset,
  DepositToVenue,
  WithdrawFromVenue,
  RecordVenueRate,
  AccrueYield,
  ChangePolicy,
  ApproveRequest,
  DenyRequest,
  EmergencyStop,
  LiftEmergencyStop,
  SetMode,
] as const);
export type TreasuryCommand = t.TypeOf<typeof TreasuryCommandCodec>;
export type CommandOf<T extends TreasuryCommand['type']> = Extract<TreasuryCommand, { type: T }>;

/** The boundary check for a treasury command from JSON: INVALID_INPUT with every bad path, or the typed command. */
export const decodeTreasuryCommand = decodeInput(TreasuryCommandCodec, 'treasury command');
