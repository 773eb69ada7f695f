// Compiled by the root tsconfig (tsc --noEmit), never run: the client's commands are the engine's typed wire forms.
import { ballastClient, type CommandInput } from '../src';

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
