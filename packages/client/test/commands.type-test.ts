// Compiled by the root tsconfig (tsc --noEmit), never run: the client's commands are the engine's typed wire forms.
// The client names them through @ballast/domain (CommandInputs), so it needs no engine at all; the engine is a
// devDependency here only to check that the two names keep meaning the same types.
import type { CommandInput as EngineCommandInput } from '@ballast/engine';
import { ballastClient, type CommandInput, type CommandInputs } from '../src';

// Mutual assignability of the whole unions, in both directions (a missing or extra member, or a field typed
// differently, makes one side `false`).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const sameAsEngine: { readonly [K in keyof CommandInputs]: Same<CommandInput<K>, EngineCommandInput<K>> } = {
  treasury: true,
  pool: true,
  escrow: true,
};
// @ts-expect-error access commands are not sent through the client's facades
export const noAccess: CommandInput<'access'> = { type: 'CreateKey' };

export const typedCommands = async (): Promise<void> => {
  const client = ballastClient({ url: 'http://127.0.0.1:8787', key: 'bk_example' });
  const deposit: CommandInput<'treasury'> = { type: 'Deposit', amount: '100' };
  await client.treasuries.execute('alpha', deposit, { idempotencyKey: 'dep-1' });
  await client.treasuries.execute('alpha', { type: 'PlaceBet', betId: 'b1', game: 'dice_over50' });

  // @ts-expect-error a misspelt command type is not a treasury command
  await client.treasuries.execute('alpha', { type: 'Deposti', amount: '100' });
  // @ts-expect-error amounts are decimal strings on the wire, never numbers
  await client.treasuries.execute('alpha', { type: 'Deposit', amount: 100 });
  // @ts-expect-error a treasury command is not a pool command
  await client.pools.execute('main', { type: 'Deposit', amount: '100' });
  // @ts-expect-error `at` is the server clock's, not the caller's
  await client.treasuries.execute('alpha', { type: 'Deposit', amount: '100', at: 0 });

  const answer = await client.treasuries.execute('alpha', deposit);
  if (answer.ok) {
    const replayed: boolean = answer.replayed;
    void replayed;
  } else {
    const code: string = answer.code;
    // @ts-expect-error a failure has no events
    void answer.events;
    void code;
  }
};
