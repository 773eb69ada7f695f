import type * as t from 'io-ts';
import type { EscrowCommandCodec } from './escrow/escrow-commands';
import type { PoolCommandCodec } from './insurance/pool-commands';
import type { TreasuryCommandCodec } from './treasury/commands';

/** `Omit` that keeps a union a union (the built-in one merges its members into one object type). */
export type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A treasury command as a typed caller writes it: the codec's wire form (decimal strings, ms
 * numbers) without `at`, which the engine's clock stamps. The same type as `@ballast/engine`'s
 * `CommandInput<'treasury'>`; it lives here so `@ballast/client` can name it without the engine.
 */
export type TreasuryCommandInput = OmitEach<t.OutputOf<typeof TreasuryCommandCodec>, 'at'>;
/** An insurance pool command's wire form without `at` (`CommandInput<'pool'>`). */
export type PoolCommandInput = OmitEach<t.OutputOf<typeof PoolCommandCodec>, 'at'>;
/** An escrow command's wire form without `at` (`CommandInput<'escrow'>`). */
export type EscrowCommandInput = OmitEach<t.OutputOf<typeof EscrowCommandCodec>, 'at'>;

/** The wire-form command input of each kind a caller commands over HTTP, keyed by stream category. */
export interface CommandInputs {
  readonly treasury: TreasuryCommandInput;
  readonly pool: PoolCommandInput;
  readonly escrow: EscrowCommandInput;
}

/**
 * What the HTTP API adds to the answer of a move held for approvals (202): enough for the agent to
 * know its move waits, for whom, and until when. Here so the server and `@ballast/client` share it.
 */
export interface PendingAnswer {
  readonly requestId: string;
  readonly amount: string;
  readonly threshold: string;
  readonly required: number;
  /** Empty: any distinct operators. */
  readonly approvers: readonly string[];
  /** Epoch ms (event time), like every time in a body. */
  readonly expiresAt: number;
}
