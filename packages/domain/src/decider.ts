import type { Either } from 'fp-ts/Either';
import { Decimal } from './money';

/**
 * A rejection is data: a stable code, a message for people, the numbers behind the decision, and
 * (for risk-relevant refusals) the events that record the refusal in the audit trail.
 */
export interface Rejection<Code extends string = string, E = unknown> {
  readonly code: Code;
  readonly message: string;
  readonly details: Readonly<Record<string, string | number | boolean>>;
  /** Appended even though the command was refused, so the audit shows what was refused and why. */
  readonly recorded: readonly E[];
}

/** The whole decider shape: three plain functions, no base class. */
export interface Decider<Command, Event, State, R = Rejection> {
  readonly initialState: State;
  evolve(state: State, event: Event): State;
  decide(command: Command, state: State): Either<R, readonly Event[]>;
}

export const fold = <Event, State>(
  decider: Pick<Decider<never, Event, State, never>, 'evolve'>,
  state: State,
  events: readonly Event[],
): State => events.reduce((s, e) => decider.evolve(s, e), state);

export type RejectionDetail = string | number | boolean | Decimal;

/** Numbers behind a decision, as plain JSON values (decimals as their exact strings). */
export const rejectionDetails = (
  details: Readonly<Record<string, RejectionDetail>>,
): Record<string, string | number | boolean> =>
  Object.fromEntries(Object.entries(details).map(([k, v]) => [k, v instanceof Decimal ? v.toFixed() : v]));

export const rejection = <Code extends string, E>(
  code: Code,
  message: string,
  details: Readonly<Record<string, RejectionDetail>> = {},
  recorded: readonly E[] = [],
): Rejection<Code, E> => ({
  code,
  message,
  details: rejectionDetails(details),
  recorded,
});
