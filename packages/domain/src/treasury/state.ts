import type { Instant } from '../instant';
import { Decimal, type Money } from '../money';
import type { BucketName, TreasuryConfig } from './config';
import type { EventOf, LocalId } from './events';
import type { Controls } from './controls';
import type { MarketState } from './market-state';
import type { Venues } from './venue-state';
import type { TokenPrices } from '../defi/assets';
import type { Party, TransferPurpose } from '../transfers/transfer-codecs';

export type Side = 'long' | 'short';

export interface PositionState {
  readonly positionId: LocalId;
  readonly symbol: string;
  readonly side: Side;
  readonly size: Money;
  readonly leverage: number;
  readonly margin: Money;
  readonly entryPrice: Decimal;
  readonly quantity: Decimal;
  readonly stopLoss: Decimal;
  readonly takeProfit: Decimal;
  readonly trailingStop?: Decimal;
  /** Best price seen since opening (highest for a long, lowest for a short): the trailing stop's anchor. */
  readonly extremePrice: Decimal;
}

export interface OpenBet {
  readonly betId: LocalId;
  readonly game: EventOf<'BetPlaced'>['game'];
  readonly stake: Money;
}

export interface EscrowLock {
  readonly amount: Money;
  readonly fee: Money;
  /** Whom the lock may pay, when the lock named it (every lock the escrow saga makes does). */
  readonly payee?: Party;
}

/** A quantity of an asset and what it cost (USD, average cost: a sale takes its share of the cost). */
export interface Holding {
  readonly quantity: Decimal;
  readonly cost: Money;
}

export interface CasinoSession {
  readonly sessionId: LocalId;
  readonly startBankroll: Money;
}

/** A transfer this treasury sent: kept so a refused one can be taken back exactly once. */
export interface SentTransfer {
  readonly to: Party;
  readonly purpose: TransferPurpose;
  readonly bucket: BucketName;
  readonly amount: Money;
  readonly returned: boolean;
}

/** Cumulative flows, so conservation (T1) can be checked exactly at any point. */
export interface Ledger {
  readonly deposited: Money;
  /** Withdrawals (and, before transfers existed, escrow payments): money that left the treasury on purpose. */
  readonly withdrawn: Money;
  /** Transfers to other aggregates (stakes, premiums, escrow payments), net of those that came back. */
  readonly sent: Money;
  /** Transfers from other aggregates (payouts, stake returns, escrow payments earned). */
  readonly received: Money;
  readonly realizedPnl: Money;
  readonly revaluation: Money;
  readonly fees: Money;
}

export interface TreasuryState {
  readonly opened: boolean;
  readonly config?: TreasuryConfig;
  /** Free balance per bucket; locks are held apart below. */
  readonly buckets: Readonly<Record<string, Money>>;
  readonly escrows: Readonly<Record<string, EscrowLock>>;
  readonly bets: Readonly<Record<string, OpenBet>>;
  readonly positions: Readonly<Record<string, PositionState>>;
  readonly marks: Readonly<Record<string, Decimal>>;
  readonly session?: CasinoSession;
  /** Ids ever used, so a reused bet, position or escrow id is refused. */
  readonly usedIds: ReadonlySet<string>;
  readonly transfersSent: Readonly<Record<string, SentTransfer>>;
  /**
   * Credits taken (or refused) here, by transfer id: the same credit again is a no-op, another one under that id is
   * refused.
   */
  readonly transfersIn: Readonly<Record<string, { readonly from: Party; readonly amount: Money }>>;
  readonly ledger: Ledger;
  readonly lastAt: Instant | 0;
  /** Spend policy, mode, emergency stop, budgets' spends and approval requests; absent without any. */
  readonly controls?: Controls;
  /** The last market reading's time and phase; absent until the first RecordMarket. */
  readonly market?: MarketState;
  /**
   * What the trading bucket holds besides its cash, by asset (BTC, ETH, SOL@solana, …), with the
   * cost in USD; absent until the first swap or asset deposit.
   */
  readonly holdings?: Readonly<Record<string, Holding>>;
  /** The last price of each token other than BTC and ETH (RecordPrices); absent until the first. */
  readonly tokenPrices?: TokenPrices;
  /** Yield venues holding money of the reserve bucket; absent until the first venue deposit. */
  readonly venues?: Venues;
}

const ZERO = new Decimal(0);

export const initialTreasuryState: TreasuryState = {
  opened: false,
  buckets: {},
  escrows: {},
  bets: {},
  positions: {},
  marks: {},
  usedIds: new Set(),
  transfersSent: {},
  transfersIn: {},
  ledger: {
    deposited: ZERO,
    withdrawn: ZERO,
    sent: ZERO,
    received: ZERO,
    realizedPnl: ZERO,
    revaluation: ZERO,
    fees: ZERO,
  },
  lastAt: 0,
};

export const bucketOf = (state: TreasuryState, bucket: string): Money => state.buckets[bucket] ?? ZERO;

export const requireConfig = (state: TreasuryState): TreasuryConfig => {
  if (!state.config) throw new Error('treasury is not opened');
  return state.config;
};

export type RoleName = keyof TreasuryConfig['roles'];
export const roleBucket = (state: TreasuryState, role: RoleName): BucketName | undefined => state.config?.roles[role];
