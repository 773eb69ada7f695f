import type { SizingPolicy } from '@ballast/domain';
import type { ScenarioName } from '@ballast/sim';

export interface SimulationOptions {
  readonly days: number;
  readonly agents: number;
  readonly seed: number;
  readonly sizing: Exclude<SizingPolicy, 'lottery'>;
  /** Casino bets by the explicit lottery policy instead of Kelly (Kelly refuses every seeded game). */
  readonly lottery: boolean;
  readonly betCap: string;
  readonly startingBalance: string;
  /** Share of agents that vote against the evidence. */
  readonly dishonestRate: number;
  /** normal, or stress: crash days, a bad counterparty and a dishonest voter bloc (see @ballast/sim scenarios). */
  readonly scenario: ScenarioName;
  /**
   * DeFi treasuries (preset "defi", $400,000 each) beside the agents, trading a synthetic market
   * cycle (@ballast/sim cycleMarket, one reading per day) with @ballast/sim's defiDay. Absent or 0:
   * none, and the run is exactly as without the option.
   */
  readonly defi?: number;
}

export const DEFAULT_SIMULATION: SimulationOptions = {
  days: 90,
  agents: 5,
  seed: 42,
  sizing: 'half-kelly',
  lottery: true,
  betCap: '0.02',
  startingBalance: '1000',
  dishonestRate: 0.2,
  scenario: 'normal',
};

export interface AgentSummary {
  readonly agentId: string;
  readonly start: string;
  readonly end: string;
  readonly maxDrawdown: string;
  readonly breakerTrips: number;
  readonly betsPlaced: number;
  readonly betsRefused: Readonly<Record<string, number>>;
  readonly trades: number;
  readonly escrows: number;
  readonly claimsFiled: number;
  readonly claimsPaid: number;
  readonly status: string;
  /**
   * The pool's cover at the end: covered, lapsed (a premium the treasury refused), suspended, left, pending or none.
   */
  readonly cover: string;
  /** Signed P&L by source, exact decimal strings: start + Σ = end (see agent-pnl.ts). */
  readonly pnl: Readonly<Record<string, string>>;
}

/** A DeFi treasury at the end of the run: its value, where the market cycle left it, what it traded. */
export interface DefiSummary {
  readonly treasuryId: string;
  readonly start: string;
  /** Equity, to the cent. */
  readonly end: string;
  /** (end - start) / start, to 4 decimals (0.0125 is 1.25%). */
  readonly return: string;
  /** The last reading's phase and the mode of the last signal. */
  readonly phase: string;
  readonly mode: string;
  readonly signals: number;
  readonly swaps: number;
  /** Swaps and venue deposits held above the approval threshold and approved by the simulation's operator. */
  readonly approvals: number;
  readonly status: string;
  /** What its yield venues earned, less exit fees (its P&L's `yield` source), to the cent. */
  readonly yield: string;
  /** Its decisions judged at 7 days (signals that changed course, swaps): right, and judged in all. */
  readonly decisionsRight: number;
  readonly decisionsJudged: number;
}

export interface SeriesPoint {
  readonly hour: number;
  readonly agents: Readonly<
    Record<
      string,
      { readonly buckets: Readonly<Record<string, number>>; readonly equity: number; readonly drawdown: number }
    >
  >;
  /** Each DeFi treasury's equity (only in a run with DeFi treasuries). */
  readonly defi?: Readonly<Record<string, number>>;
  readonly pool: {
    readonly reserve: number;
    readonly fundingRatio: number;
    readonly claimsFiled: number;
    readonly claimsPaid: number;
  };
}

export interface BreakerMark {
  readonly hour: number;
  /** Event time, ISO 8601. */
  readonly at: string;
  readonly agentId: string;
  readonly type: string;
  /** The desk the breaker guards (risk, trading, casino, reserve) and its mode before and after. */
  readonly desk: string;
  readonly from: string;
  readonly to: string;
  readonly reason: string;
}

/** A claim on the pool at the end of the run; `payout` is what was paid (empty unless paid). */
export interface ClaimRow {
  readonly claimId: string;
  readonly claimant: string;
  readonly coverageType: string;
  readonly amount: string;
  readonly status: string;
  readonly payout: string;
}

export interface SimulationResult {
  readonly options: SimulationOptions;
  readonly agents: readonly AgentSummary[];
  /** The DeFi treasuries (only in a run with `defi` > 0). */
  readonly defi?: readonly DefiSummary[];
  readonly pool: {
    readonly poolId: string;
    readonly reserve: string;
    /** reserve / coverage of covered members; 0 while nothing is covered. */
    readonly fundingRatio: string;
    readonly coverage: string;
    readonly minFundingRatio: string;
    /** Funding ratio below the minimum (P6: admissions closed, premiums surcharged). */
    readonly underfunded: boolean;
    readonly members: number;
    readonly claimsFiled: number;
    readonly claimsPaid: number;
    readonly claimsRejected: number;
  };
  readonly series: readonly SeriesPoint[];
  readonly breakers: readonly BreakerMark[];
  /** Commands the simulator sent that were refused, counted by rejection code. */
  readonly refusals: Readonly<Record<string, number>>;
  readonly claims: readonly ClaimRow[];
  /** What a reader must not miss: an underfunded pool, reactions parked as dead letters. */
  readonly warnings: readonly string[];
  readonly commands: number;
  readonly events: number;
  /** Hours of virtual time simulated: `days × 24` for a complete run, fewer for one that was stopped. */
  readonly hoursRun: number;
  /** False when the run was stopped (Ctrl-C) before its last hour: the figures are those of the partial run. */
  readonly complete: boolean;
}
