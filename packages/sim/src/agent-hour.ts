import {
  bucketOf,
  type EscrowCommandInput,
  marginLocked,
  type PoolCommandInput,
  type TreasuryAccount,
  type TreasuryCommandInput,
} from '@ballast/domain';
import type { AgentPolicy } from './agent-policy';
import type { MarketTick, SymbolSpec } from './markets';
import type { Prng } from './prng';
import type { Scenario } from './scenarios';
import { casinoOutcome, counterpartyBehaviour } from './venues';

const HOUR = 3_600_000;

/** Cents, rounded down, as a decimal string (an amount the codecs take as is). */
export const cents = (x: number) => (Math.floor(x * 100) / 100).toFixed(2);

/** Why an agent proposes a command: the driver counts outcomes by it (bets placed, trades opened, …). */
export type Intent = 'mark' | 'funding' | 'bet' | 'settle' | 'trade' | 'hire' | 'referral' | 'claim';

/**
 * What an agent proposes, one at a time: a command for its treasury, an escrow or the pool; a look
 * at its treasury as it is now; or an escrow command for a later hour (the payee's behaviour).
 */
export type Proposal =
  | { readonly to: 'treasury'; readonly intent: Intent; readonly command: TreasuryCommandInput }
  | { readonly to: 'escrow'; readonly intent: Intent; readonly id: string; readonly command: EscrowCommandInput }
  | { readonly to: 'pool'; readonly intent: Intent; readonly command: PoolCommandInput }
  | { readonly to: 'look' }
  | { readonly to: 'later'; readonly hour: number; readonly escrowId: string; readonly command: EscrowCommandInput };

/** The driver's answer to a proposal: accepted or refused (its code), the types of the events, and a look's account. */
export interface Outcome {
  readonly ok: boolean;
  readonly code?: string;
  readonly eventTypes: readonly string[];
  readonly account?: TreasuryAccount;
}

/** What an agent sees at the start of an hour. */
export interface AgentView {
  readonly policy: AgentPolicy;
  readonly account: TreasuryAccount;
  readonly hour: number;
  readonly now: number;
  readonly tick: MarketTick;
  readonly symbols: readonly SymbolSpec[];
  /** The other agents, in the driver's order: whom this one may hire. */
  readonly others: readonly string[];
  readonly scenario: Pick<Scenario, 'counterparty'>;
  /** The sequence number the next command will run under (ids of bets, positions, escrows and claims use it). */
  readonly seq: number;
}

export interface AgentRngs {
  readonly act: Prng;
  readonly casino: Prng;
  readonly jobs: Prng;
}

/**
 * One agent's hour, as a generator: it proposes, the driver executes and answers, and it decides
 * what comes next from the answer (a bet is settled only if it was placed). Pure apart from the
 * seeded random streams it is given: no clock, no store. Every draw happens in the same order as
 * the simulation has always made them, so a seed replays exactly.
 */
export function* agentHour(view: AgentView, rng: AgentRngs): Generator<Proposal, void, Outcome> {
  const { policy: p, account, hour, tick } = view;
  let seq = view.seq;
  // Each command proposed runs under the next sequence number; a look or a later command uses none.
  function* propose(proposal: Proposal): Generator<Proposal, Outcome, Outcome> {
    const outcome = yield proposal;
    if (proposal.to !== 'look' && proposal.to !== 'later') seq += 1;
    return outcome;
  }

  const held = new Set(Object.values(account.treasury.positions).map((x) => x.symbol));
  for (const symbol of [...held].sort()) {
    yield* propose({
      to: 'treasury',
      intent: 'mark',
      command: { type: 'MarkPrice', symbol, price: tick.prices[symbol]!.toFixed(2) },
    });
    if (hour % 8 === 0)
      yield* propose({
        to: 'treasury',
        intent: 'funding',
        command: { type: 'ApplyFunding', symbol, rate: tick.funding[symbol]!.toFixed(6) },
      });
  }
  if (rng.act.chance(p.betsPerHour)) {
    const betId = `b${seq}`;
    const placed = yield* propose({
      to: 'treasury',
      intent: 'bet',
      command: { type: 'PlaceBet', betId, game: p.favouriteGame },
    });
    if (placed.ok && placed.eventTypes.includes('BetPlaced'))
      yield* propose({
        to: 'treasury',
        intent: 'settle',
        command: { type: 'SettleBet', betId, won: casinoOutcome(rng.casino, p.favouriteGame) },
      });
  }
  if (rng.act.chance(p.tradesPerHour)) {
    const now = (yield* propose({ to: 'look' })).account ?? account;
    const symbol = rng.act.pick(view.symbols).symbol;
    const bucket = bucketOf(now.treasury, 'trading').plus(marginLocked(now.treasury));
    const stop = 0.01 + rng.act.next() * 0.03;
    const size = cents(bucket.toNumber() * (0.03 + rng.act.next() * 0.06));
    if (Number(size) > 1) {
      yield* propose({
        to: 'treasury',
        intent: 'trade',
        command: {
          type: 'OpenPosition',
          positionId: `p${seq}`,
          symbol,
          side: rng.act.chance(0.55) ? 'long' : 'short',
          entryPrice: tick.prices[symbol]!.toFixed(2),
          leverage: 1 + rng.act.int(4),
          stopLoss: stop.toFixed(4),
          takeProfit: (stop * (2 + rng.act.next())).toFixed(4),
          size,
          ...(rng.act.chance(0.3) ? { trailingStop: (stop * 1.5).toFixed(4) } : {}),
        },
      });
    }
  }
  if (rng.jobs.chance(p.hiresPerHour) && view.others.length > 0) {
    const payee = rng.jobs.pick(view.others);
    const escrowId = `e${seq}`;
    const created = yield* propose({
      to: 'escrow',
      intent: 'hire',
      id: escrowId,
      command: {
        type: 'CreateEscrow',
        escrowId,
        payer: p.agentId,
        payee,
        amount: cents(5 + rng.jobs.next() * 35),
        deadline: view.now + (24 + rng.jobs.int(48)) * HOUR,
      },
    });
    if (created.ok) {
      const behaviour = counterpartyBehaviour(rng.jobs, view.scenario.counterparty(payee));
      if (behaviour === 'pays')
        yield* propose({
          to: 'later',
          hour: hour + 2 + rng.jobs.int(18),
          escrowId,
          command: { type: 'ReleaseEscrow', proof: `delivery:${escrowId}` },
        });
      if (behaviour === 'disputes') {
        yield* propose({
          to: 'later',
          hour: hour + 1 + rng.jobs.int(10),
          escrowId,
          command: { type: 'DisputeEscrow', by: p.agentId, reason: 'work not as agreed' },
        });
        yield* propose({
          to: 'later',
          hour: hour + 20,
          escrowId,
          command: { type: 'ResolveDispute', outcome: rng.jobs.chance(0.5) ? 'release' : 'refund', by: 'arbiter' },
        });
      }
    }
  }
  if (rng.act.chance(0.02))
    yield* propose({
      to: 'treasury',
      intent: 'referral',
      command: {
        type: 'RecordReferralIncome',
        service: rng.act.pick(['escrow', 'trading', 'casino'] as const),
        amount: cents(0.5 + rng.act.next() * 3),
      },
    });
  if (rng.act.chance(p.bogusClaimsPerDay / 24))
    yield* propose({
      to: 'pool',
      intent: 'claim',
      command: {
        type: 'FileClaim',
        claimId: `bogus-${seq}`,
        claimant: p.agentId,
        coverageType: 'delivery_failure',
        amount: cents(20 + rng.act.next() * 80),
        evidence: { note: 'unverifiable loss', hour },
      },
    });
}
