import { openBallast } from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { approvals } from '../support/policy-fixtures';
import { agentConfig, T0 } from '../support/treasury-fixtures';

/** G2 for approvals: a retried approval, denial or held move answers as it did the first time and appends nothing. */
describe('approvals retried under the same command id', () => {
  const setup = async () => {
    const store = openMemoryStore();
    let now = T0;
    const ballast = openBallast({ store, clock: { now: () => (now += 1000) } });
    const send = (commandId: string, command: Record<string, unknown>) =>
      ballast.treasuries.execute('alpha', command as never, { commandId });
    const policy = { approvals: approvals() };
    await send('open', { type: 'OpenTreasury', config: agentConfig({ policy }) });
    await send('dep', { type: 'Deposit', amount: '100000' });
    const held = await send('w1', { type: 'Withdraw', bucket: 'referral', amount: '6000' });
    const head = async () => (await store.streamHead('treasury-alpha'))?.revision;
    return { store, send, held, head };
  };

  it('a held move retried is still the same request: replayed, nothing appended', async () => {
    const { send, held, head } = await setup();
    expect(E.isRight(held) && held.right.events.map((e) => e.type)).toEqual(['ApprovalRequested']);
    const before = await head();
    const again = await send('w1', { type: 'Withdraw', bucket: 'referral', amount: '6000' });
    expect(E.isRight(again) && again.right.replayed).toBe(true);
    expect(await head()).toBe(before);
  });

  it('a last approval whose move is refused answers that refusal again when retried', async () => {
    const { send, head } = await setup();
    await send('a1', { type: 'ApproveRequest', requestId: 'req-1', approver: 'alice' });
    await send('stop', { type: 'EmergencyStop', by: 'ops' });
    const first = await send('a2', { type: 'ApproveRequest', requestId: 'req-1', approver: 'bob' });
    expect(E.isLeft(first) && first.left.code).toBe('EMERGENCY_STOP');
    const before = await head();
    const again = await send('a2', { type: 'ApproveRequest', requestId: 'req-1', approver: 'bob' });
    expect(E.isLeft(again) && again.left.code).toBe('EMERGENCY_STOP');
    expect(await head()).toBe(before);
  });

  it('a denial retried is replayed as accepted, not read as the refusal it records', async () => {
    const { send } = await setup();
    const first = await send('d1', { type: 'DenyRequest', requestId: 'req-1', by: 'carol' });
    expect(E.isRight(first) && first.right.events.map((e) => e.type)).toEqual(['CommandRejected', 'RequestDenied']);
    const again = await send('d1', { type: 'DenyRequest', requestId: 'req-1', by: 'carol' });
    expect(E.isRight(again) && again.right.replayed).toBe(true);
  });
});
