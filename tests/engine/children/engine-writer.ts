// Drives the engine over a SQLite store until killed: treasury commands and escrows, with a
// counting projection and the escrow saga running on their SQLite checkpoints. Used by engine-crash.
import {
  escrowSettlement,
  openBallast,
  openSqliteCheckpoints,
  runProcessManager,
  runProjection,
} from '@ballast/engine';
import { counter } from '../counter-projection';
import { openSqliteStore } from '@ballast/event-store';
import { writeSync } from 'node:fs';
import { agentConfig } from '../../support/treasury-fixtures';

const [db, runId] = process.argv.slice(2) as [string, string];
const main = async () => {
  const store = openSqliteStore(db);
  const checkpoints = openSqliteCheckpoints(`${db}.read-models`);
  let now = Date.UTC(2026, 0, 1) + Number(runId.replace(/\D/g, '')) * 86_400_000;
  const ballast = openBallast({ store, clock: { now: () => (now += 1000) } });
  for (const agent of ['alpha', 'beta']) {
    await ballast.treasuries.execute(
      agent,
      { type: 'OpenTreasury', config: agentConfig({ sizing: 'lottery' }) },
      { commandId: `open-${agent}` },
    );
    await ballast.treasuries.execute(agent, { type: 'Deposit', amount: '100000' }, { commandId: `dep-${agent}` });
  }
  await runProjection(store, checkpoints, counter, { checkpointEvery: 5 });
  await runProcessManager(ballast, checkpoints, escrowSettlement('none'), { checkpointEvery: 3 });
  writeSync(1, 'READY\n');
  for (let i = 0; ; i++) {
    const id = `${runId}-${i}`;
    await ballast.escrows.execute(
      id,
      {
        type: 'CreateEscrow',
        escrowId: id,
        payer: i % 2 ? 'alpha' : 'beta',
        payee: i % 2 ? 'beta' : 'alpha',
        amount: '1',
        deadline: now + 3_600_000,
      },
      { commandId: `esc-${id}` },
    );
    await ballast.treasuries.execute(
      'alpha',
      { type: 'PlaceBet', betId: `b${id}`, game: 'coin_flip' },
      { commandId: `bet-${id}` },
    );
    await ballast.treasuries.execute(
      'alpha',
      { type: 'SettleBet', betId: `b${id}`, won: i % 3 === 0 },
      { commandId: `settle-${id}` },
    );
    if (i % 2 === 0)
      await ballast.escrows.execute(id, { type: 'ReleaseEscrow', proof: 'done' }, { commandId: `rel-${id}` });
    writeSync(1, `ACK ${id}\n`);
  }
};
void main();
