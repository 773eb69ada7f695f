/**
 * Checked by `tsc` (the root tsconfig includes `tests`), never run: each `@ts-expect-error` line must
 * fail to compile, so if a facade's command type ever widens back to `unknown`, the directive is
 * unused and tsc fails. The lines without a directive must compile.
 */
import { type Ballast, type CommandInput, type KindName, type Reaction } from '@ballast/engine';
import { agentConfig } from '../support/treasury-fixtures';

const context = { commandId: 'c1' };

export const typedCommands = async (ballast: Ballast): Promise<void> => {
  // The codec's wire form compiles: decimal strings, optional fields left out, no `at`.
  await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config: agentConfig() }, context);
  await ballast.treasuries.execute('alpha', { type: 'PlaceBet', betId: 'b1', game: 'coin_flip' }, context);
  await ballast.treasuries.execute('alpha', { type: 'PlaceBet', betId: 'b2', game: 'coin_flip', stake: '10' }, context);
  await ballast.pools.execute('main', { type: 'CastVote', claimId: 'c1', voter: 'alpha', approve: true }, context);
  await ballast.escrows.execute('job-1', { type: 'ExpireEscrow' }, context);

  // @ts-expect-error a command type that does not exist
  await ballast.treasuries.execute('alpha', { type: 'PlaceBett', betId: 'b1', game: 'coin_flip' }, context);
  // @ts-expect-error a required field missing (game)
  await ballast.treasuries.execute('alpha', { type: 'PlaceBet', betId: 'b1' }, context);
  // @ts-expect-error a number where the wire form is a decimal string
  await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: 12.5 }, context);
  // @ts-expect-error a misspelt field (the codec is strict, and so is the type)
  await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1', buckett: 'reserve' }, context);
  // @ts-expect-error a value outside the codec's literals
  await ballast.treasuries.execute('alpha', { type: 'PlaceBet', betId: 'b1', game: 'poker' }, context);
  // @ts-expect-error `at` is stamped by the engine clock, never sent
  await ballast.treasuries.execute('alpha', { type: 'Tick', at: 0 }, context);
  // @ts-expect-error another aggregate's command: Tick is a treasury command, not a pool's
  await ballast.pools.execute('main', { type: 'Tick' }, context);
  const escrowCommand = {
    type: 'CreateEscrow',
    escrowId: 'e',
    payer: 'a',
    payee: 'b',
    amount: '1',
    deadline: 0,
  } as const;
  // @ts-expect-error another aggregate's command: CreateEscrow goes to the escrows facade
  await ballast.treasuries.execute('alpha', escrowCommand, context);

  // JSON from outside has no type to check: `executeJson` takes it and the codec alone decides.
  const json: unknown = JSON.parse('{"type":"Deposit","amount":"10"}');
  await ballast.treasuries.executeJson('alpha', json, context);
  // @ts-expect-error ...and `execute` does not take it unchecked
  await ballast.treasuries.execute('alpha', json, context);
};

// Reactions are typed by their kind the same way: a process manager's typo fails to compile.
export const reactions: Reaction[] = [
  { kind: 'treasury', id: 'alpha', command: { type: 'Rebalance' }, key: 'k1' },
  { kind: 'pool', id: 'main', command: { type: 'CloseVoting', claimId: 'c1' }, key: 'k2' },
  // @ts-expect-error a treasury command sent to a pool
  { kind: 'pool', id: 'main', command: { type: 'Rebalance' }, key: 'k3' },
  // @ts-expect-error a kind that is not in the registry
  { kind: 'vault', id: 'v', command: { type: 'Rebalance' }, key: 'k4' },
];

// The registry's names are the kinds, and every one has a typed command.
export const kinds: readonly KindName[] = ['treasury', 'pool', 'escrow'];
export const tick: CommandInput<'treasury'> = { type: 'Tick' };
