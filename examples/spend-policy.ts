// examples/spend-policy.ts
// A spend policy on a treasury: a 24 h withdrawal budget, an allow-list of destinations, two of three
// operators to approve any move above 5,000, and an emergency stop two of them must lift. The clock is
// one this example moves, so every run prints the same lines.
import { agentPreset, type TreasuryCommandInput, TreasuryConfigCodec } from '@ballast/domain';
import { openBallast } from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';

async function main(): Promise<void> {
  let now = Date.UTC(2026, 0, 5, 9); // 09:00 UTC
  const store = openMemoryStore();
  const ballast = openBallast({ store, clock: { now: () => now } });
  const policy = {
    budgets: [{ name: 'withdrawals', window: '24h' as const, category: 'withdrawal' as const, limit: '10000' }],
    allow: ['bank:acme'],
    approvals: { threshold: '5000', approvers: ['alice', 'bob', 'carol'], required: 2, expiresMs: 3_600_000 },
    liftRequired: 2,
  };
  let n = 0;
  const send = async (command: TreasuryCommandInput): Promise<void> => {
    const r = await ballast.treasuries.execute('alpha', command, { commandId: `c${++n}` });
    if (E.isLeft(r)) console.log(r.left.code, JSON.stringify('details' in r.left ? r.left.details : r.left.issues));
    else console.log(r.right.events.map((e) => e.type).join(' '));
  };
  await send({ type: 'OpenTreasury', config: { ...TreasuryConfigCodec.encode(agentPreset()), policy } });
  await send({ type: 'Deposit', bucket: 'referral', amount: '50000' });
  await send({ type: 'Withdraw', bucket: 'referral', amount: '6000', to: 'bank:acme' }); // above 5,000: held
  now += 60_000;
  await send({ type: 'ApproveRequest', requestId: 'req-1', approver: 'alice' }); // 1 of 2
  await send({ type: 'ApproveRequest', requestId: 'req-1', approver: 'bob' }); // 2 of 2: executes now
  await send({ type: 'Withdraw', bucket: 'referral', amount: '4500', to: 'bank:acme' }); // 6,000 + 4,500 > 10,000
  await send({ type: 'Withdraw', bucket: 'referral', amount: '100', to: 'bank:other' }); // not on the allow-list
  await send({ type: 'EmergencyStop', by: 'carol', reason: 'key leaked' });
  await send({ type: 'Withdraw', bucket: 'referral', amount: '10', to: 'bank:acme' }); // frozen
  await send({ type: 'LiftEmergencyStop', by: 'alice' });
  await send({ type: 'LiftEmergencyStop', by: 'bob' });
  await send({ type: 'Withdraw', bucket: 'referral', amount: '10', to: 'bank:acme' });
  await store.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
