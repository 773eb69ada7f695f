import * as E from 'fp-ts/Either';
import { money, roundMoney } from '../money';
import { accept, type Decision, type TreasuryAccount } from './account';
import type { CommandOf } from './commands';
import type { TreasuryEvent } from './events';
import { CASINO_GAMES, edgeOf } from './games';
import { kellyFraction, sizeStake } from './kelly';
import { reject, rejectAndRecord } from './rejections';
import { riskGate } from './risk-gate';
import { bucketOf, requireConfig } from './state';

/** The smallest stake a casino takes (seed 000: max(0.01, bet)). */
export const MIN_BET = money('0.01');

export const decidePlaceBet = (c: CommandOf<'PlaceBet'>, a: TreasuryAccount): Decision => {
  const s = a.treasury;
  const config = requireConfig(s);
  const casino = config.roles.casino;
  if (casino === undefined) return E.left(reject('NO_CASINO_BUCKET', 'this treasury has no casino bucket'));
  if (s.usedIds.has(`bet:${c.betId}`))
    return E.left(reject('DUPLICATE_ID', `bet ${c.betId} already exists`, { betId: c.betId }));
  const subject = `bet:${c.betId}`;
  const gate = riskGate(a, c, subject);
  if (gate) return E.left(gate);
  if (a.risk.casinoDesk === 'stopped') {
    return E.left(
      rejectAndRecord(
        'CASINO_STOPPED',
        'the casino stopped after a session stop-loss; it reopens after a rebalance',
        { casinoDesk: 'stopped', casinoBucket: bucketOf(s, casino) },
        c,
        subject,
      ),
    );
  }

  const game = CASINO_GAMES[c.game];
  const edge = edgeOf(game);
  const bankroll = bucketOf(s, casino);
  const cap = roundMoney(bankroll.mul(config.betCap), 'down');
  const numbers = {
    game: c.game,
    edge,
    winProbability: game.winProbability,
    netOdds: game.netOdds,
    bankroll,
    cap,
    policy: config.sizing,
  };
  if (config.sizing !== 'lottery' && edge.lte(0)) {
    return E.left(
      rejectAndRecord(
        'NEGATIVE_EDGE',
        `${c.game} has edge ${edge.toFixed()} per unit staked: Kelly sizing bets nothing on a negative expected value`,
        { ...numbers, kellyFraction: kellyFraction(game.winProbability, game.netOdds) },
        c,
        subject,
      ),
    );
  }
  const stake =
    c.stake ??
    sizeStake(config.sizing, bankroll, game.winProbability, game.netOdds, config.betCap, config.lotteryFraction).stake;
  if (stake.gt(cap)) {
    return E.left(
      rejectAndRecord(
        'BET_ABOVE_CAP',
        `stake ${stake.toFixed()} is above the per-bet cap of ${cap.toFixed()} (${config.betCap.toFixed()} of ${bankroll.toFixed()})`,
        { ...numbers, stake, betCap: config.betCap },
        c,
        subject,
      ),
    );
  }
  if (stake.lt(MIN_BET)) {
    return E.left(
      rejectAndRecord(
        'BET_TOO_SMALL',
        `stake ${stake.toFixed()} is below the minimum bet of ${MIN_BET.toFixed()}`,
        { ...numbers, stake, minimum: MIN_BET },
        c,
        subject,
      ),
    );
  }

  const events: TreasuryEvent[] = [];
  // A session is named after the bet that opened it.
  const sessionId = s.session?.sessionId ?? c.betId;
  if (s.session === undefined) events.push({ type: 'CasinoSessionStarted', at: c.at, sessionId, bankroll });
  events.push({
    type: 'BetPlaced',
    at: c.at,
    betId: c.betId,
    sessionId,
    game: c.game,
    stake,
    policy: config.sizing,
    edge,
    cap,
  });
  return accept(...events);
};

export const decideSettleBet = (c: CommandOf<'SettleBet'>, a: TreasuryAccount): Decision => {
  const bet = a.treasury.bets[c.betId];
  if (bet === undefined) return E.left(reject('UNKNOWN_BET', `no open bet ${c.betId}`, { betId: c.betId }));
  // A win pays stake × net odds on top of the stake, rounded down; a loss forfeits the stake.
  const pnl = c.won ? roundMoney(bet.stake.mul(CASINO_GAMES[bet.game].netOdds), 'down') : bet.stake.neg();
  return accept({ type: 'BetSettled', at: c.at, betId: c.betId, won: c.won, pnl });
};

export const decideEndSession = (c: CommandOf<'EndCasinoSession'>, a: TreasuryAccount): Decision =>
  a.treasury.session === undefined
    ? E.left(reject('NO_OPEN_SESSION', 'no casino session is open'))
    : accept({ type: 'CasinoSessionEnded', at: c.at, sessionId: a.treasury.session.sessionId });
