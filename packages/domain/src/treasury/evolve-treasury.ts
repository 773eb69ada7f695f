import { Decimal, type Money } from '../money';
import type { Instant } from '../instant';
import { isMoneylessEvent, type Move, type TreasuryEvent } from './events';
import { bucketOf, type Holding, type Ledger, type TreasuryState } from './state';
import { UsedIds } from './used-ids';
import { evolveVenues } from './venue-state';

const credit = (s: TreasuryState, bucket: string, amount: Money): TreasuryState['buckets'] => ({
  ...s.buckets,
  [bucket]: bucketOf(s, bucket).plus(amount),
});
const applyMoves = (buckets: TreasuryState['buckets'], moves: readonly Move[]): TreasuryState['buckets'] => {
  const next: Record<string, Money> = { ...buckets };
  for (const m of moves) {
    next[m.from] = (next[m.from] ?? new Decimal(0)).minus(m.amount);
    next[m.to] = (next[m.to] ?? new Decimal(0)).plus(m.amount);
  }
  return next;
};
const omit = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> => {
  const { [key]: _gone, ...rest } = record;
  return rest;
};
// Only the lines that change are added to (x + 0 is x: decimal.js would build two Decimals to say so).
const ledger = (s: TreasuryState, change: Partial<Record<keyof Ledger, Money>>): Ledger => {
  const l = s.ledger;
  return {
    deposited: change.deposited === undefined ? l.deposited : l.deposited.plus(change.deposited),
    withdrawn: change.withdrawn === undefined ? l.withdrawn : l.withdrawn.plus(change.withdrawn),
    sent: change.sent === undefined ? l.sent : l.sent.plus(change.sent),
    received: change.received === undefined ? l.received : l.received.plus(change.received),
    realizedPnl: change.realizedPnl === undefined ? l.realizedPnl : l.realizedPnl.plus(change.realizedPnl),
    revaluation: change.revaluation === undefined ? l.revaluation : l.revaluation.plus(change.revaluation),
    fees: change.fees === undefined ? l.fees : l.fees.plus(change.fees),
  };
};
const used = (s: TreasuryState, id: string): ReadonlySet<string> => UsedIds.with(s.usedIds, id);

/** What stays locked after part of an escrow (amount and its share of the fee) is paid out. */
const releaseLock = (
  s: TreasuryState,
  event: { escrowId: string; amount: Money; fee: Money },
): TreasuryState['escrows'] => {
  const lock = s.escrows[event.escrowId]!;
  const rest = { ...lock, amount: lock.amount.minus(event.amount), fee: lock.fee.minus(event.fee) };
  return rest.amount.isZero() && rest.fee.isZero()
    ? omit(s.escrows, event.escrowId)
    : { ...s.escrows, [event.escrowId]: rest };
};

/** The Treasury's fold: balances, locks and the ledger. Pure; never reads a clock. */
export const evolveTreasury = (state: TreasuryState, event: TreasuryEvent): TreasuryState => {
  // One copy of the state per event: `{ ...s, lastAt, … }` (lastAt keeps its place among the keys).
  // The helpers read `s` for everything but lastAt, which none of them reads.
  const s = state;
  const lastAt = event.at as Instant;
  if (event.type === 'PricesObserved') {
    const tokenPrices: Record<string, { price: Money; at: number }> = { ...s.tokenPrices };
    for (const p of event.prices) tokenPrices[p.symbol] = { price: p.price, at: event.observedAt };
    return { ...s, lastAt, tokenPrices };
  }
  if (isMoneylessEvent(event)) return { ...s, lastAt };
  switch (event.type) {
    case 'TreasuryOpened':
      return {
        ...s,
        lastAt,
        opened: true,
        config: event.config,
        buckets: Object.fromEntries(event.config.buckets.map((b) => [b.name, new Decimal(0)])),
      };
    case 'FundsDeposited':
      return {
        ...s,
        lastAt,
        buckets: credit(s, event.bucket, event.amount),
        ledger: ledger(s, { deposited: event.amount }),
      };
    case 'FundsWithdrawn':
      return {
        ...s,
        lastAt,
        buckets: credit(s, event.bucket, event.amount.neg()),
        ledger: ledger(s, { withdrawn: event.amount }),
      };
    case 'FundsTransferred':
      return { ...s, lastAt, buckets: applyMoves(s.buckets, [event]) };
    case 'BucketRevalued':
      return {
        ...s,
        lastAt,
        buckets: { ...s.buckets, [event.bucket]: event.to },
        ledger: ledger(s, { revaluation: event.to.minus(event.from) }),
      };
    case 'Rebalanced':
      return { ...s, lastAt, buckets: applyMoves(s.buckets, event.transfers) };
    case 'CasinoSessionStarted':
      return {
        ...s,
        lastAt,
        session: { sessionId: event.sessionId, startBankroll: event.bankroll },
        usedIds: used(s, `session:${event.sessionId}`),
      };
    case 'BetPlaced': {
      const casino = s.config!.roles.casino!;
      return {
        ...s,
        lastAt,
        buckets: credit(s, casino, event.stake.neg()),
        bets: { ...s.bets, [event.betId]: { betId: event.betId, game: event.game, stake: event.stake } },
        usedIds: used(s, `bet:${event.betId}`),
      };
    }
    case 'BetSettled': {
      const bet = s.bets[event.betId]!;
      return {
        ...s,
        lastAt,
        bets: omit(s.bets, event.betId),
        buckets: credit(s, s.config!.roles.casino!, bet.stake.plus(event.pnl)),
        ledger: ledger(s, { realizedPnl: event.pnl }),
      };
    }
    case 'CasinoSessionStopped': {
      const { session: _ended, ...rest } = s;
      const moves = event.returnedToReserve.gt(0)
        ? [{ from: s.config!.roles.casino!, to: s.config!.roles.reserve, amount: event.returnedToReserve }]
        : [];
      return { ...rest, lastAt, buckets: applyMoves(s.buckets, moves) };
    }
    case 'CasinoSessionEnded': {
      const { session: _ended, ...rest } = s;
      return { ...rest, lastAt };
    }
    case 'PositionOpened': {
      const { type: _t, at: _a, ...fields } = event;
      return {
        ...s,
        lastAt,
        buckets: credit(s, s.config!.roles.trading!, event.margin.neg()),
        positions: { ...s.positions, [event.positionId]: { ...fields, extremePrice: event.entryPrice } },
        usedIds: used(s, `position:${event.positionId}`),
      };
    }
    case 'PriceMarked': {
      const positions = Object.fromEntries(
        Object.entries(s.positions).map(([id, p]) => {
          if (p.symbol !== event.symbol) return [id, p];
          const extremePrice =
            p.side === 'long' ? Decimal.max(p.extremePrice, event.price) : Decimal.min(p.extremePrice, event.price);
          return [id, { ...p, extremePrice }];
        }),
      );
      return { ...s, lastAt, marks: { ...s.marks, [event.symbol]: event.price }, positions };
    }
    case 'PositionClosed': {
      const p = s.positions[event.positionId]!;
      return {
        ...s,
        lastAt,
        positions: omit(s.positions, event.positionId),
        buckets: credit(s, s.config!.roles.trading!, p.margin.plus(event.pnl)),
        ledger: ledger(s, { realizedPnl: event.pnl }),
      };
    }
    case 'FundingApplied': {
      const p = s.positions[event.positionId]!;
      return {
        ...s,
        lastAt,
        positions: { ...s.positions, [event.positionId]: { ...p, margin: p.margin.minus(event.marginUsed) } },
        buckets: credit(s, s.config!.roles.trading!, event.payment.plus(event.marginUsed)),
        ledger: ledger(s, { realizedPnl: event.payment }),
      };
    }
    case 'EscrowLocked':
      return {
        ...s,
        lastAt,
        buckets: credit(s, s.config!.roles.reserve, event.amount.plus(event.fee).neg()),
        escrows: {
          ...s.escrows,
          [event.escrowId]: {
            amount: event.amount,
            fee: event.fee,
            ...(event.payee === undefined ? {} : { payee: event.payee }),
          },
        },
        usedIds: used(s, `escrow:${event.escrowId}`),
      };
    case 'EscrowReleased':
      return {
        ...s,
        lastAt,
        escrows: releaseLock(s, event),
        transfersSent: {
          ...s.transfersSent,
          [event.transferId]: {
            to: event.to,
            purpose: 'escrow',
            bucket: s.config!.roles.reserve,
            amount: event.amount,
            returned: false,
          },
        },
        ledger: ledger(s, { sent: event.amount, fees: event.fee }),
      };
    case 'LegacyEscrowReleased':
      return {
        ...s,
        lastAt,
        escrows: releaseLock(s, event),
        ledger: ledger(s, { withdrawn: event.amount, fees: event.fee }),
      };
    case 'EscrowRefunded':
      return {
        ...s,
        lastAt,
        escrows: omit(s.escrows, event.escrowId),
        buckets: credit(s, s.config!.roles.reserve, event.amount.plus(event.fee)),
      };
    case 'PaymentReceived':
      return {
        ...s,
        lastAt,
        buckets: credit(s, s.config!.roles.reserve, event.amount),
        ledger: ledger(s, { realizedPnl: event.amount }),
        usedIds: used(s, `payment:${event.paymentId}`),
      };
    case 'TransferSent':
      return {
        ...s,
        lastAt,
        buckets: credit(s, event.bucket, event.amount.neg()),
        transfersSent: {
          ...s.transfersSent,
          [event.transferId]: {
            to: event.to,
            purpose: event.purpose,
            bucket: event.bucket,
            amount: event.amount,
            returned: false,
          },
        },
        ledger: ledger(s, { sent: event.amount }),
      };
    case 'TransferReceived':
      return {
        ...s,
        lastAt,
        buckets: credit(s, event.bucket, event.amount),
        ledger: ledger(s, { received: event.amount }),
        transfersIn: { ...s.transfersIn, [event.transferId]: { from: event.from, amount: event.amount } },
      };
    case 'TransferRefused':
      return {
        ...s,
        lastAt,
        transfersIn: { ...s.transfersIn, [event.transferId]: { from: event.from, amount: event.amount } },
      };
    case 'TransferReturned': {
      const sent = s.transfersSent[event.transferId]!;
      return {
        ...s,
        lastAt,
        buckets: credit(s, event.bucket, event.amount),
        transfersSent: { ...s.transfersSent, [event.transferId]: { ...sent, returned: true } },
        ledger: ledger(s, { sent: event.amount.neg() }),
      };
    }
    case 'ReferralIncomeReceived':
      return {
        ...s,
        lastAt,
        buckets: credit(s, s.config!.roles.referral!, event.amount),
        ledger: ledger(s, { realizedPnl: event.amount }),
      };
    case 'ReferralsReinvested': {
      const { referral, reserve, trading } = s.config!.roles;
      const moves = [
        { from: referral!, to: reserve, amount: event.toReserve },
        ...(trading ? [{ from: referral!, to: trading, amount: event.toTrading }] : []),
      ].filter((m) => m.amount.gt(0));
      return { ...s, lastAt, buckets: applyMoves(s.buckets, moves) };
    }
    case 'Swapped': {
      // USDC is the trading bucket's money; a holding moves at cost, the rest of a sale is realized.
      const trading = s.config!.roles.trading!;
      const holdings = s.holdings ?? {};
      const usdcIn = event.buy === 'USDC' ? event.bought : new Decimal(0);
      const usdcOut = event.sell === 'USDC' ? event.sold : new Decimal(0);
      const next: Record<string, Holding> = { ...holdings };
      if (event.buy !== 'USDC') {
        const h = holdings[event.buy];
        next[event.buy] = {
          quantity: (h?.quantity ?? new Decimal(0)).plus(event.bought),
          cost: (h?.cost ?? new Decimal(0)).plus(event.cost),
        };
      }
      if (event.sell !== 'USDC') {
        const h = holdings[event.sell]!;
        const quantity = h.quantity.minus(event.sold);
        if (quantity.isZero()) delete next[event.sell];
        else next[event.sell] = { quantity, cost: h.cost.minus(event.cost) };
      }
      return {
        ...s,
        lastAt,
        buckets: credit(s, trading, usdcIn.minus(usdcOut).minus(event.gasFee)),
        holdings: next,
        usedIds: used(s, `swap:${event.swapId}`),
        ledger: ledger(s, { realizedPnl: event.realized, fees: event.gasFee }),
      };
    }
    case 'AssetDeposited': {
      const h = s.holdings?.[event.asset];
      return {
        ...s,
        lastAt,
        holdings: {
          ...s.holdings,
          [event.asset]: {
            quantity: (h?.quantity ?? new Decimal(0)).plus(event.quantity),
            cost: (h?.cost ?? new Decimal(0)).plus(event.cost),
          },
        },
        ledger: ledger(s, { deposited: event.cost }),
      };
    }
    case 'VenueDeposited':
    case 'VenueRateChanged':
      return { ...s, lastAt, venues: evolveVenues(s.venues, event) };
    case 'YieldAccrued':
      // Income to the reserve bucket, held in the venue that earned it.
      return {
        ...s,
        lastAt,
        buckets: credit(s, s.config!.roles.reserve, event.amount),
        venues: evolveVenues(s.venues, event),
        ledger: ledger(s, { realizedPnl: event.amount }),
      };
    case 'VenueWithdrawn':
      return {
        ...s,
        lastAt,
        buckets: credit(s, s.config!.roles.reserve, event.fee.neg()),
        venues: evolveVenues(s.venues, event),
        ledger: ledger(s, { fees: event.fee }),
      };
    case 'CommandRejected':
    case 'DailyWindowOpened':
    case 'RiskPaused':
    case 'RiskResumed':
    case 'RiskHalted':
    case 'TradingHalted':
    case 'TradingResumed':
    case 'ReserveFloorBreached':
      return { ...s, lastAt };
    default: {
      const unreachable: never = event;
      return unreachable;
    }
  }
};
