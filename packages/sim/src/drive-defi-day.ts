import type { TreasuryAccount, TreasuryCommandInput, TreasuryEvent } from '@ballast/domain';
import type { DefiDay, DefiOutcome, DefiProposal, DefiSignal } from './defi-agent';

/** A command's answer as the engine gives it: its events, or its refusal (code and details). */
export type DefiAnswer =
  | { readonly ok: true; readonly events: readonly TreasuryEvent[] }
  | { readonly ok: false; readonly refusal: { readonly code: string; readonly details?: unknown } };

/** What a driver does for a DeFi treasury's day: the only places where I/O happens. */
export interface DefiDayHandlers {
  /** The treasury's account as it is now. */
  readonly look: () => Promise<TreasuryAccount>;
  /** Asks the outside advisor about the reading just recorded: the target of advice the treasury recorded, if any. */
  readonly advise: () => Promise<DefiSignal['target'] | undefined>;
  /** Runs one command as the treasury, or as the operator (an approval). */
  readonly execute: (command: TreasuryCommandInput, as: 'treasury' | 'operator') => Promise<DefiAnswer>;
}

/** FUNDS_IN_VENUE names its shortfall in `details.short`: the day frees that much from the venues. */
const shortOf = (details: unknown): string | undefined => {
  if (typeof details !== 'object' || details === null || !('short' in details)) return undefined;
  const short = (details as { readonly short: unknown }).short;
  return short === undefined ? undefined : String(short);
};

/** A command's answer as `defiDay` takes it. */
const defiOutcome = (answer: DefiAnswer): DefiOutcome => {
  if (answer.ok) return { ok: true, events: answer.events };
  const short = shortOf(answer.refusal.details);
  return { ok: false, code: answer.refusal.code, events: [], ...(short === undefined ? {} : { short }) };
};

/**
 * Drives a DeFi treasury's day to its end: each proposal is handed to its handler and the answer
 * goes back to the generator, one at a time, in order (what the day does next depends on it). The
 * same loop for `ballast backtest` and `ballast simulate --defi`, so they cannot drift apart; it does
 * no I/O of its own.
 */
export const driveDefiDay = async (
  day: Generator<DefiProposal, DefiDay, DefiOutcome>,
  handlers: DefiDayHandlers,
): Promise<DefiDay> => {
  let next = day.next();
  while (!next.done) {
    const proposal = next.value;
    let outcome: DefiOutcome;
    if (proposal.to === 'look') outcome = { ok: true, events: [], account: await handlers.look() };
    else if (proposal.to === 'advise') {
      const target = await handlers.advise();
      outcome = { ok: true, events: [], ...(target === undefined ? {} : { target }) };
    } else outcome = defiOutcome(await handlers.execute(proposal.command, proposal.as));
    next = day.next(outcome);
  }
  return next.value;
};
