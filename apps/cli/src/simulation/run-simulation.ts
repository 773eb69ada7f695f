import {
  agentPreset,
  claimHistory,
  Decimal,
  defiPreset,
  equity,
  fundingRatio,
  isUnderfunded,
  type MarketSnapshot,
  MarketSnapshotCodec,
  type PoolState,
  totalCoverage,
  TreasuryConfigCodec,
  type TreasuryAccount,
  type TreasuryEvent,
} from '@ballast/domain';
import {
  type Ballast,
  type CommandInput,
  decisionOutcomes,
  type FacadeOf,
  drainProcessManagers,
  driftRebalancer,
  escrowSettlement,
  type ManagerCursor,
  openBallast,
  type ProcessManager,
  schedules,
  summarizeOutcomes,
  approvalExpiry,
  transferSettlement,
} from '@ballast/engine';
import type { EventStore } from '@ballast/event-store';
import {
  agentHour,
  agentPolicies,
  cycleMarket,
  DEFAULT_DEFI_TERMS,
  DEFAULT_SYMBOLS,
  defiDay,
  driveDefiDay,
  marketPath,
  mulberry32,
  type Outcome,
  type Proposal,
  quoteVenues,
  scenarioOf,
  simulatedVenues,
  virtualClock,
} from '@ballast/sim';
import * as E from 'fp-ts/Either';
import { agentPnl, coverOf, exactAmount } from './agent-pnl';
import { poolConfigJson } from './pool-config-json';
import { breakerMark, type DeskModes, desksOf } from './breaker-marks';
import type {
  AgentSummary,
  BreakerMark,
  DefiSummary,
  SeriesPoint,
  SimulationOptions,
  SimulationResult,
} from './simulation-types';
import { runWarnings } from './run-warnings';

const HOUR = 3_600_000;
export const SIMULATION_START = Date.UTC(2026, 0, 1);
const POOL = 'main';
const BREAKER_EVENTS = new Set([
  'RiskPaused',
  'RiskHalted',
  'TradingHalted',
  'CasinoSessionStopped',
  'ReserveFloorBreached',
]);
/** An operator reviews a halt after three days of event time and resumes. */
const OPERATOR_REVIEW_MS = 72 * HOUR;
const DAY = 24 * HOUR;
/** What each DeFi treasury deposits (seed 002's, as `ballast backtest` starts). */
const DEFI_START = '400000';
/** Who approves a DeFi treasury's swap held above its approval threshold, and reviews halts. */
const OPERATOR = 'operator';

/** When a treasury's halts began, for the operator's review. */
interface HaltClock {
  haltedAt?: number | undefined;
  tradingHaltedAt?: number | undefined;
}

/** What the summary counts per DeFi treasury. */
interface DefiStats extends HaltClock {
  signals: number;
  swaps: number;
  approvals: number;
  mode: string;
}

/** What the summary counts per agent, and when its halts began (for the operator's review). */
interface AgentStats extends HaltClock {
  betsPlaced: number;
  betsRefused: Record<string, number>;
  trades: number;
  escrows: number;
  maxDrawdown: Decimal;
}

type Scheduled = { readonly hour: number; readonly escrowId: string; readonly command: CommandInput<'escrow'> };
/** The facades the simulation drives, with the kind whose typed commands each takes. */
type SimFacades = { treasuries: 'treasury'; pools: 'pool'; escrows: 'escrow' };

/**
 * Runs agents with treasuries, a shared insurance pool and escrow jobs through the engine, hour by
 * hour of virtual time. Every random draw comes from a seeded mulberry32 fork per concern, and the
 * process managers are drained in the loop's own turn, so a seed and the options replay exactly.
 *
 * An aborted `stop` signal ends the run at the next hour boundary (an hour of 5 agents takes
 * milliseconds): the hours done are kept and summarised, and the result says `complete: false`.
 */
export const runSimulation = async (
  store: EventStore,
  options: SimulationOptions,
  onDay?: (day: number) => void,
  stop?: AbortSignal,
): Promise<SimulationResult> => {
  const root = mulberry32(options.seed);
  const rng = {
    agents: root.fork('agents'),
    market: root.fork('market'),
    casino: root.fork('casino'),
    act: root.fork('act'),
    jobs: root.fork('jobs'),
    votes: root.fork('votes'),
  };
  const clock = virtualClock(SIMULATION_START);
  const ballast: Ballast = openBallast({ store, clock });
  const managers = [
    driftRebalancer,
    escrowSettlement(POOL),
    transferSettlement,
    schedules,
    approvalExpiry,
  ] as ProcessManager<unknown>[];
  const cursor: ManagerCursor = { position: 0, events: 0, states: new Map(), deadLetters: [] };
  const scenario = scenarioOf(options.scenario);
  const policies = scenario.policies(agentPolicies(rng.agents, options.agents, options.dishonestRate));
  const market = marketPath(rng.market, DEFAULT_SYMBOLS, scenario.crashDays(options.days));
  let commands = 0;
  let seq = 0;
  const breakers: BreakerMark[] = [];
  const refusals: Record<string, number> = {};
  // Each agent's desks as last seen (refreshed every hour), so a breaker mark can say what it changed.
  const modes = new Map<string, DeskModes>();
  const series: SeriesPoint[] = [];
  const stats = new Map<string, AgentStats>(
    policies.map((p) => [
      p.agentId,
      { betsPlaced: 0, betsRefused: {}, trades: 0, escrows: 0, maxDrawdown: new Decimal(0) },
    ]),
  );
  const scheduled: Scheduled[] = [];
  let hour = 0;

  // Typed like a library caller's commands: a misspelt field here fails the type check, not the run.
  // `actor` overrides who sends it (an operator's approval); a refusal with the code `expected` is not counted.
  const run = async <F extends keyof SimFacades>(
    facade: F,
    id: string,
    command: CommandInput<SimFacades[F]>,
    by: { readonly actor?: string; readonly expected?: string } = {},
  ) => {
    commands += 1;
    const result = await (ballast[facade] as unknown as FacadeOf<SimFacades[F]>).execute(id, command, {
      commandId: `sim-${seq++}`,
      actor: by.actor ?? (facade === 'treasuries' ? id : 'simulator'),
    });
    if (E.isRight(result)) {
      for (const e of result.right.events) {
        if (!BREAKER_EVENTS.has(e.type)) continue;
        const mark = breakerMark(
          hour,
          new Date(clock.now()).toISOString(),
          id,
          e as unknown as Readonly<Record<string, unknown>> & { type: string },
          modes.get(id),
        );
        breakers.push(mark.mark);
        modes.set(id, mark.modes);
      }
    } else if (result.left.code !== by.expected) refusals[result.left.code] = (refusals[result.left.code] ?? 0) + 1;
    return result;
  };
  const treasury = async (agentId: string): Promise<TreasuryAccount> => (await ballast.treasuries.load(agentId)).state;

  /** Operators review halts after three days and resume. */
  const review = async (id: string, account: TreasuryAccount, s: HaltClock) => {
    if (account.risk.status === 'HALTED') {
      s.haltedAt ??= clock.now();
      if (clock.now() - s.haltedAt >= OPERATOR_REVIEW_MS)
        await run('treasuries', id, { type: 'ResumeRisk', operator: OPERATOR, note: 'simulated review' });
    } else s.haltedAt = undefined;
    if (account.risk.tradingDesk === 'halted') {
      s.tradingHaltedAt ??= clock.now();
      if (clock.now() - s.tradingHaltedAt >= OPERATOR_REVIEW_MS)
        await run('treasuries', id, { type: 'ResumeTrading', operator: OPERATOR, note: 'simulated review' });
    } else s.tradingHaltedAt = undefined;
  };

  /** Carries out one proposal of an agent and answers it; counts bets, trades and escrows as they land. */
  const carry = async (agentId: string, proposal: Proposal, s: AgentStats): Promise<Outcome> => {
    if (proposal.to === 'look') return { ok: true, eventTypes: [], account: await treasury(agentId) };
    if (proposal.to === 'later') {
      scheduled.push({ hour: proposal.hour, escrowId: proposal.escrowId, command: proposal.command });
      return { ok: true, eventTypes: [] };
    }
    const result =
      proposal.to === 'treasury'
        ? await run('treasuries', agentId, proposal.command)
        : proposal.to === 'escrow'
          ? await run('escrows', proposal.id, proposal.command)
          : await run('pools', POOL, proposal.command);
    if (E.isLeft(result)) {
      if (proposal.intent === 'bet') s.betsRefused[result.left.code] = (s.betsRefused[result.left.code] ?? 0) + 1;
      return { ok: false, code: result.left.code, eventTypes: [] };
    }
    const eventTypes = result.right.events.map((e) => e.type);
    if (proposal.intent === 'bet' && eventTypes.includes('BetPlaced')) s.betsPlaced += 1;
    if (proposal.intent === 'trade') s.trades += 1;
    if (proposal.intent === 'hire') s.escrows += 1;
    return { ok: true, eventTypes };
  };

  const config = TreasuryConfigCodec.encode({
    ...agentPreset(),
    sizing: options.lottery ? 'lottery' : options.sizing,
    betCap: new Decimal(options.betCap),
  });
  await run('pools', POOL, { type: 'OpenPool', poolId: POOL, config: poolConfigJson() });
  for (const p of policies) {
    await run('treasuries', p.agentId, { type: 'OpenTreasury', config });
    await run('treasuries', p.agentId, { type: 'Deposit', amount: options.startingBalance });
    await run('pools', POOL, {
      type: 'JoinPool',
      agentId: p.agentId,
      stake: '100',
      coverage: '400',
      profile: {
        jobsCompleted: 20 + rng.agents.int(100),
        jobsFailed: rng.agents.int(8),
        claimsLast90d: 0,
        avgTradingDrawdown: '0.1',
        counterpartyScore: '0.9',
      },
    });
  }
  // DeFi treasuries beside the agents: one reading a day from a market cycle spread over the run's days.
  const defiIds = Array.from({ length: options.defi ?? 0 }, (_, i) => `defi-${i + 1}`);
  const defiStats = new Map<string, DefiStats>();
  const readings: MarketSnapshot[] = [];
  if (defiIds.length > 0) {
    for (const [day, row] of cycleMarket(root.fork('defi-market'), options.days, SIMULATION_START).entries()) {
      const decoded = MarketSnapshotCodec.decode({
        observedAt: SIMULATION_START + day * DAY,
        btcPrice: row.btcPrice,
        ethPrice: row.ethPrice,
        mvrvZ: row.mvrvZ,
        fundingRate: row.fundingRate,
        fearGreed: row.fearGreed,
        source: 'synthetic cycle',
      });
      if (E.isLeft(decoded)) throw new Error(`the synthetic market's day ${day} does not decode`);
      readings.push(decoded.right);
    }
    const defiConfig = TreasuryConfigCodec.encode(defiPreset());
    for (const id of defiIds) {
      await run('treasuries', id, { type: 'OpenTreasury', config: defiConfig });
      await run('treasuries', id, { type: 'Deposit', amount: DEFI_START });
      defiStats.set(id, { signals: 0, swaps: 0, approvals: 0, mode: '' });
    }
  }
  const defiTerms = { ...DEFAULT_DEFI_TERMS, operator: OPERATOR };
  // Each treasury's venues quote from a seed of their own (defi-1's is the run's), so N treasuries are not N copies.
  const defiVenues = new Map(defiIds.map((id, i) => [id, simulatedVenues(options.seed + i)]));

  /** A DeFi treasury's daily turn, an hour after the day's reading: defiDay proposes, this executes and answers. */
  const defiTurn = async (id: string, reading: MarketSnapshot) => {
    const s = defiStats.get(id)!;
    const before = await treasury(id);
    modes.set(id, desksOf(before));
    await review(id, before, s);
    const quotes = await quoteVenues(defiVenues.get(id)!, clock.now());
    const turn = defiDay({ account: await treasury(id), reading, now: clock.now(), venues: quotes, seq }, defiTerms);
    const { signal, trades, approvals } = await driveDefiDay(turn, {
      look: () => treasury(id),
      // The simulation asks no outside advisor (its view says so): the rules' signal stands.
      advise: async () => undefined,
      execute: async (command, as) => {
        const result = await run('treasuries', id, command, {
          ...(as === 'operator' ? { actor: OPERATOR } : {}),
          // The daily check finding the split fine is not a refusal worth a count.
          expected: 'REBALANCE_NOT_NEEDED',
        });
        return E.isRight(result)
          ? { ok: true, events: result.right.events as readonly TreasuryEvent[] }
          : { ok: false, refusal: result.left };
      },
    });
    if (signal !== undefined) {
      s.signals += 1;
      s.mode = signal.mode;
    }
    s.swaps += trades.length;
    s.approvals += approvals;
  };

  await drainProcessManagers(ballast, managers, cursor);

  const totalHours = options.days * 24;
  let hoursRun = 0;
  for (hour = 1; hour <= totalHours; hour++) {
    if (stop?.aborted) break;
    hoursRun = hour;
    clock.advance(HOUR);
    const tick = market.step(1);
    for (const p of policies) {
      const s = stats.get(p.agentId)!;
      const account = await treasury(p.agentId);
      modes.set(p.agentId, desksOf(account));
      await review(p.agentId, account, s);
      // The agent proposes, one command at a time; what it does next depends on the answer.
      const others = policies.filter((x) => x.agentId !== p.agentId).map((x) => x.agentId);
      const view = {
        policy: p,
        account,
        hour,
        now: clock.now(),
        tick,
        symbols: DEFAULT_SYMBOLS,
        others,
        scenario,
        seq,
      };
      const proposals = agentHour(view, rng);
      for (let next = proposals.next(); !next.done;) next = proposals.next(await carry(p.agentId, next.value, s));
    }
    // The DeFi treasuries' day begins an hour after its reading (hour 1 is day 0's).
    if ((hour - 1) % 24 === 0) for (const id of defiIds) await defiTurn(id, readings[(hour - 1) / 24]!);
    for (const job of scheduled.filter((j) => j.hour === hour)) await run('escrows', job.escrowId, job.command);
    await vote();
    await drainProcessManagers(ballast, managers, cursor);
    await sample(hour);
    if (hour % 24 === 0) onDay?.(hour / 24);
  }

  async function vote() {
    const pool: PoolState = (await ballast.pools.load(POOL)).state;
    for (const claim of Object.values(pool.claims).sort((a, b) => (a.claimId < b.claimId ? -1 : 1))) {
      if (claim.status !== 'pending' && claim.status !== 'arbitration') continue;
      // The evidence is genuine for a counterparty default filed by the oracle, not for a bogus claim.
      const genuine = claim.claimId.startsWith('default-');
      const voters = claim.status === 'arbitration' ? claim.panel! : claim.eligible;
      const cast = claim.status === 'arbitration' ? claim.panelVotes : claim.votes;
      for (const voter of voters) {
        if (voter in cast || !rng.votes.chance(0.25)) continue;
        const honest = policies.find((x) => x.agentId === voter)?.honest ?? true;
        const result = await run('pools', POOL, {
          type: 'CastVote',
          claimId: claim.claimId,
          voter,
          approve: honest ? genuine : !genuine,
        });
        if (E.isRight(result) && result.right.events.some((e) => e.type !== 'VoteCast')) break;
      }
    }
  }

  async function sample(now: number) {
    const agents: Record<string, SeriesPoint['agents'][string]> = {};
    for (const p of policies) {
      const a = await treasury(p.agentId);
      const eq = equity(a.treasury);
      const dd = a.risk.peak.isZero() ? new Decimal(0) : Decimal.max(0, a.risk.peak.minus(eq).div(a.risk.peak));
      const s = stats.get(p.agentId)!;
      if (dd.gt(s.maxDrawdown)) s.maxDrawdown = dd;
      if (now % 6 === 0)
        agents[p.agentId] = {
          buckets: Object.fromEntries(Object.entries(a.treasury.buckets).map(([k, v]) => [k, v.toNumber()])),
          equity: eq.toNumber(),
          drawdown: Number(dd.toFixed(6)),
        };
    }
    if (now % 6 !== 0) return;
    const defi: Record<string, number> = {};
    for (const id of defiIds) defi[id] = equity((await treasury(id)).treasury).toNumber();
    const pool = (await ballast.pools.load(POOL)).state;
    const claims = Object.values(pool.claims);
    series.push({
      hour: now,
      agents,
      ...(defiIds.length > 0 ? { defi } : {}),
      pool: {
        reserve: pool.reserve.toNumber(),
        fundingRatio: Number((fundingRatio(pool) ?? new Decimal(0)).toFixed(6)),
        claimsFiled: claims.length,
        claimsPaid: claims.filter((c) => c.status === 'paid').length,
      },
    });
  }

  const pool = (await ballast.pools.load(POOL)).state;
  const agents: AgentSummary[] = [];
  for (const p of policies) {
    const a = await treasury(p.agentId);
    const s = stats.get(p.agentId)!;
    const history = claimHistory(pool, p.agentId);
    const start = new Decimal(options.startingBalance);
    const pnl = await agentPnl(store, p.agentId, a, start);
    agents.push({
      agentId: p.agentId,
      start: start.toFixed(2),
      // Exact, so that start + Σ pnl = end holds in the JSON to the last decimal.
      end: exactAmount(equity(a.treasury)),
      maxDrawdown: s.maxDrawdown.toFixed(4),
      breakerTrips: a.risk.breakerTrips,
      betsPlaced: s.betsPlaced,
      betsRefused: Object.fromEntries(Object.entries(s.betsRefused).sort()),
      trades: s.trades,
      escrows: s.escrows,
      claimsFiled: history.filed,
      claimsPaid: Object.values(pool.claims).filter((c) => c.claimant === p.agentId && c.status === 'paid').length,
      status: a.risk.status,
      cover: coverOf(pool, p.agentId),
      pnl: Object.fromEntries(Object.entries(pnl).map(([k, v]) => [k, exactAmount(v)])),
    });
  }
  const defi: DefiSummary[] = [];
  // Each decision's outcome (the decision-outcomes read model), folded once over the run's log.
  let outcomes = decisionOutcomes.initial;
  if (defiIds.length > 0) for await (const e of store.readAll()) outcomes = await decisionOutcomes.evolve(outcomes, e);
  for (const id of defiIds) {
    const judged = summarizeOutcomes(outcomes, id).reduce(
      (n, r) => ({ right: n.right + r.right, judged: n.judged + r.right + r.wrong + r.flat }),
      { right: 0, judged: 0 },
    );
    const earned = (await agentPnl(store, id, await treasury(id), new Decimal(DEFI_START))).yield;
    const a = await treasury(id);
    const s = defiStats.get(id)!;
    const end = equity(a.treasury);
    defi.push({
      treasuryId: id,
      start: new Decimal(DEFI_START).toFixed(2),
      end: end.toFixed(2),
      return: end.minus(DEFI_START).div(DEFI_START).toFixed(4),
      phase: a.treasury.market?.lastPhase ?? '',
      mode: s.mode,
      signals: s.signals,
      swaps: s.swaps,
      approvals: s.approvals,
      status: a.risk.status,
      yield: exactAmount(earned ?? new Decimal(0)),
      decisionsRight: judged.right,
      decisionsJudged: judged.judged,
    });
  }
  // The caller closes the store next: let the last snapshot saves land, so the next process starts from them.
  await ballast.snapshots.settled();
  const claims = Object.values(pool.claims).sort((a, b) => (a.claimId < b.claimId ? -1 : 1));
  const poolSummary: SimulationResult['pool'] = {
    poolId: POOL,
    reserve: pool.reserve.toFixed(2),
    fundingRatio: (fundingRatio(pool) ?? new Decimal(0)).toFixed(4),
    coverage: totalCoverage(pool).toFixed(2),
    minFundingRatio: pool.config!.minFundingRatio.toFixed(),
    underfunded: isUnderfunded(pool),
    members: Object.keys(pool.members).length,
    claimsFiled: claims.length,
    claimsPaid: claims.filter((c) => c.status === 'paid').length,
    claimsRejected: claims.filter((c) => c.status === 'rejected').length,
  };
  return {
    options,
    agents,
    ...(defi.length > 0 ? { defi } : {}),
    pool: poolSummary,
    series,
    breakers,
    refusals: Object.fromEntries(Object.entries(refusals).sort()),
    claims: claims.map((c) => ({
      claimId: c.claimId,
      claimant: c.claimant,
      coverageType: c.coverageType,
      amount: c.amount.toFixed(2),
      status: c.status,
      payout: c.status === 'paid' && c.payout ? c.payout.toFixed(2) : '',
    })),
    warnings: runWarnings(poolSummary, cursor.deadLetters),
    commands,
    // Counted by the process managers' cursor, which every event passes once (the last step drains
    // to quiescence); not read off the head position, which is sparse in EventStoreDB.
    events: cursor.events,
    hoursRun,
    complete: hoursRun === totalHours,
  };
};
