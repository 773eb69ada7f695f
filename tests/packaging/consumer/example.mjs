// The README's first example (examples/first-treasury.ts) as someone who installed the packed
// packages runs it: plain `node`, ESM. scripts/pack-check.mjs copies this file into an empty
// project outside the workspace and checks the JSON line it prints.
import { agentPreset, toMoneyString, TreasuryConfigCodec } from '@ballast/domain';
import { auditStore, openBallast } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
// fp-ts 2 has no `exports` map: under Node's ESM loader name the file (require() takes 'fp-ts/Either').
import * as E from 'fp-ts/lib/Either.js';
import { mkdirSync } from 'node:fs';

mkdirSync('./data', { recursive: true });
const store = openSqliteStore('./data/esm.db');
// A fixed clock, so the ESM and CommonJS runs write the same events and print the same digest.
const ballast = openBallast({ store, clock: { now: () => Date.UTC(2026, 0, 1) } });
const config = TreasuryConfigCodec.encode(agentPreset());
await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config }, { commandId: 'open-alpha' });
const deposit = await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep-1' });
const retried = await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep-1' });
const bet = await ballast.treasuries.execute(
  'alpha',
  { type: 'PlaceBet', betId: 'b1', game: 'dice_over50' },
  { commandId: 'bet-1', actor: 'alpha' },
);
const { state } = await ballast.treasuries.load('alpha');
const audit = await auditStore(store);
await store.close();
console.log(
  JSON.stringify({
    format: 'esm',
    deposited: E.isRight(deposit),
    replayed: E.isRight(retried) && retried.right.replayed === true,
    bet: E.isLeft(bet) ? bet.left.code : 'accepted',
    status: state.risk.status,
    buckets: Object.entries(state.treasury.buckets)
      .map(([name, amount]) => `${name} ${toMoneyString(amount)}`)
      .join(', '),
    auditOk: audit.ok,
    totalDigest: audit.totalDigest,
  }),
);
