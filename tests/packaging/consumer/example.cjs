// The same as example.mjs through require(): plain `node`, CommonJS.
const { agentPreset, toMoneyString, TreasuryConfigCodec } = require('@ballast/domain');
const { auditStore, openBallast } = require('@ballast/engine');
const { openSqliteStore } = require('@ballast/event-store');
const E = require('fp-ts/Either');
const { mkdirSync } = require('node:fs');

async function main() {
  mkdirSync('./data', { recursive: true });
  const store = openSqliteStore('./data/cjs.db');
  const ballast = openBallast({ store, clock: { now: () => Date.UTC(2026, 0, 1) } });
  const config = TreasuryConfigCodec.encode(agentPreset());
  await ballast.treasuries.execute('alpha', { type: 'OpenTreasury', config }, { commandId: 'open-alpha' });
  const deposit = await ballast.treasuries.execute(
    'alpha',
    { type: 'Deposit', amount: '1000' },
    { commandId: 'dep-1' },
  );
  const retried = await ballast.treasuries.execute(
    'alpha',
    { type: 'Deposit', amount: '1000' },
    { commandId: 'dep-1' },
  );
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
      format: 'cjs',
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
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
