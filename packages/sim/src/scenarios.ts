import type { AgentPolicy } from './agent-policy';
import type { CrashDay } from './markets';
import { type CounterpartyOdds, DEFAULT_COUNTERPARTY_ODDS } from './venues';

export const SCENARIOS = ['normal', 'stress'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What a scenario changes in the world the agents act in; `normal` changes nothing. */
export interface Scenario {
  readonly name: ScenarioName;
  /** Scheduled market crashes (day numbers from 1), on top of the random jumps. */
  readonly crashDays: (days: number) => readonly CrashDay[];
  /** The counterparty odds when `payee` is hired. */
  readonly counterparty: (payee: string) => CounterpartyOdds;
  /** Adjusts the drawn policies: who trades how much, who votes dishonestly and files bogus claims. */
  readonly policies: (drawn: readonly AgentPolicy[]) => readonly AgentPolicy[];
}

const normal: Scenario = {
  name: 'normal',
  crashDays: () => [],
  counterparty: () => DEFAULT_COUNTERPARTY_ODDS,
  policies: (drawn) => drawn,
};

/** The bad counterparty: hired, it mostly defaults or disputes. */
const BAD_COUNTERPARTY = 'agent-1';
const BAD_ODDS: CounterpartyOdds = { pays: 0.15, disputes: 0.35 };

/**
 * Crash days (a 40% gap every third day from day 2), a bad counterparty (agent-1, hired, mostly
 * defaults or disputes) and a dishonest voter bloc (the last two agents, or the last of two,
 * approve the bogus claims they file and deny genuine ones). Agents trade ten times as often, so
 * that open positions meet the crashes and the breakers trip.
 */
const stress: Scenario = {
  name: 'stress',
  crashDays: (days) =>
    Array.from({ length: days }, (_, i) => i + 1)
      .filter((d) => d % 3 === 2)
      .map((day) => ({ day, depth: 0.4 })),
  counterparty: (payee) => (payee === BAD_COUNTERPARTY ? BAD_ODDS : DEFAULT_COUNTERPARTY_ODDS),
  policies: (drawn) => {
    const bloc = new Set(drawn.slice(-Math.min(2, Math.max(1, drawn.length - 1))).map((p) => p.agentId));
    return drawn.map((p) => ({
      ...p,
      tradesPerHour: p.tradesPerHour * 10,
      ...(bloc.has(p.agentId) ? { honest: false, bogusClaimsPerDay: 0.25 } : {}),
    }));
  },
};

export const scenarioOf = (name: ScenarioName): Scenario => (name === 'stress' ? stress : normal);
