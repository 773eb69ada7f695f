export { mulberry32, type Prng } from './prng';
export { virtualClock, type VirtualClock } from './virtual-clock';
export { marketPath, DEFAULT_SYMBOLS, type CrashDay, type MarketTick, type SymbolSpec } from './markets';
export {
  casinoOutcome,
  counterpartyBehaviour,
  DEFAULT_COUNTERPARTY_ODDS,
  type CounterpartyBehaviour,
  type CounterpartyOdds,
} from './venues';
export { agentPolicies, type AgentPolicy } from './agent-policy';
export { scenarioOf, SCENARIOS, type Scenario, type ScenarioName } from './scenarios';
export { cycleMarket, marketCsv, type MarketRow } from './cycle-market';
export {
  agentHour,
  cents,
  type AgentRngs,
  type AgentView,
  type Intent,
  type Outcome,
  type Proposal,
} from './agent-hour';
export {
  affordable,
  DEFAULT_DEFI_TERMS,
  defiDay,
  sleeveSwaps,
  type DefiDay,
  type DefiIntent,
  type DefiOutcome,
  type DefiProposal,
  type DefiSignal,
  type DefiTerms,
  type DefiTrade,
  type DefiView,
  type SleeveSwap,
} from './defi-agent';
export { venueDeposits, venueUpkeep, venueWithdrawals, type VenueChoice } from './venue-keeper';
export { driveDefiDay, type DefiAnswer, type DefiDayHandlers } from './drive-defi-day';
export {
  DEFAULT_VENUES,
  quoteVenues,
  simulatedVenue,
  simulatedVenues,
  type SimulatedVenueSpec,
  type VenueSlot,
} from './yield-venues';
