// examples/first-treasury.ts
// An async main rather than top-level await: this runs as written under CommonJS (a .ts file in a
// package without "type": "module", as here) and under ESM alike.
import { agentPreset, toMoneyString, TreasuryConfigCodec } from '@ballast/domain';
import { auditStore, openBallast, systemClock } from '@ballast/engine';
import { openSqliteStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { mkdirSync } from 'node:fs';

async function main(): Promise<void> {
  mkdirSync('./data', { recursive: true });
  const store = openSqliteStore('./data/ballast.db'); // not ./data/sim-seed-*.db: that is the simulation's
  const ballast = openBallast({ store, clock: systemClock }); // a virtual clock replays a run exactly
  const config = TreasuryConfigCodec.encode(agentPreset()); // or your own config as JSON
  await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config }, { commandId: 'open-alpha' });
  await ballast.treasuries.execute('alpha', { type: 'Deposit', amount: '1000' }, { commandId: 'dep-1' });
  const bet = await ballast.treasuries.execute(
    'alpha',
    { type: 'PlaceBet', betId: 'b1', game: 'dice_over50' } /* no stake: Kelly sizes it */,
    { commandId: 'bet-1', actor: 'alpha' },
  );
  if (E.isLeft(bet)) console.log(bet.left.code, bet.left.message); // NEGATIVE_EDGE dice_over50 has edge -0.01495 …
  const { state } = await ballast.treasuries.load('alpha'); // snapshot + tail
  const buckets = Object.entries(state.treasury.buckets).map(([name, amount]) => `${name} ${toMoneyString(amount)}`);
  console.log(state.risk.status, buckets.join(', ')); // ACTIVE reserve 400, trading 350, casino 150, referral 100
  console.log((await auditStore(store)).totalDigest);
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
