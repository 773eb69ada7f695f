import type { CommandInputs, PendingAnswer } from '@ballast/domain';
import type { Answer, WireEvent } from './answers';
import { segment, type Http } from './http';

/**
 * A command the server executed (201), held for approvals under a spend policy (202, with `pending`)
 * or answered again for a retry with the same Idempotency-Key (200).
 */
export interface Executed {
  readonly streamId: string;
  readonly commandId: string;
  readonly replayed: boolean;
  /** The events the command appended (as JSON). */
  readonly events: readonly { readonly type: string; readonly at: number; readonly [field: string]: unknown }[];
  /** The global position of the last event appended, when it appended any. */
  readonly position?: number;
  /** The stream's revision after the command, when it appended any. */
  readonly revision?: number;
  /** A move above the approval threshold: not executed; its request waits for `required` approvals. */
  readonly pending?: PendingAnswer;
}

/** An aggregate's state now, or at an event time (`at`), as JSON. */
export interface AggregateView {
  readonly streamId: string;
  readonly revision: number;
  readonly at?: string;
  readonly state: Readonly<Record<string, unknown>>;
}

export interface ExecuteOptions {
  /** Makes a retry safe: the same key and body is answered again (200, `replayed`) and appends nothing. */
  readonly idempotencyKey?: string;
}

export interface ReadOptions {
  /** An ISO-8601 UTC time: the state as of the events up to it. */
  readonly at?: string;
  /** A position (a command's `position`): the server waits until its read models processed it. */
  readonly waitFor?: number;
  readonly timeoutMs?: number;
}

/**
 * A command of kind `K` as a caller writes it: the wire form (decimal strings, ms numbers) without `at`,
 * which the server's clock stamps. The same type as `@ballast/engine`'s `CommandInput<K>`, named through
 * `@ballast/domain` so the client needs no engine.
 */
export type CommandInput<K extends FollowedKind> = CommandInputs[K];

/** The typed commands and reads of one kind (`treasuries`, `pools`, `escrows`). */
export interface Aggregates<K extends FollowedKind> {
  execute(id: string, command: CommandInput<K>, options?: ExecuteOptions): Promise<Answer<Executed>>;
  get(id: string, options?: ReadOptions): Promise<Answer<AggregateView>>;
}

export const FACADES = { treasury: 'treasuries', pool: 'pools', escrow: 'escrows' } as const;
export type FollowedKind = keyof typeof FACADES;

export const aggregates = <K extends FollowedKind>(h: Http, kind: K): Aggregates<K> => {
  const facade = FACADES[kind];
  return {
    execute: (id, command, options = {}) =>
      h.json<Executed>('POST', `/v1/${facade}/${segment(id)}/commands`, {
        body: command,
        ...(options.idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': options.idempotencyKey } }),
      }),
    get: (id, options = {}) =>
      h.json<AggregateView>('GET', `/v1/${facade}/${segment(id)}`, {
        query: { at: options.at, waitFor: options.waitFor, timeoutMs: options.timeoutMs },
      }),
  };
};

export type { WireEvent };
