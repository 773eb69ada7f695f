import {
  approvalExpiry,
  drainProcessManagers,
  escrowSettlement,
  type ManagerCursor,
  openBallast,
  type ProcessManager,
} from '@ballast/engine';
import { openMemoryStore } from '@ballast/event-store';
import * as E from 'fp-ts/Either';
import { approvals } from '../support/policy-fixtures';
import { agentConfig, HOUR, T0 } from '../support/treasury-fixtures';

/**
 * A held move closes on time even when its treasury decides nothing more: the approval-expiry
 * manager ticks it once any event is past the expiry, and an escrow waiting on a held lock is refunded.
 */
describe('approval-expiry', () => {
  const setup = async () => {
    const store = openMemoryStore();
    let now = T0;
    const ballast = openBallast({ store, clock: { now: () => now } });
    const managers = [approvalExpiry, escrowSettlement('main')] as ProcessManager<unknown>[];
    const cursor: ManagerCursor = { position: 0, events: 0, states: new Map(), deadLetters: [] };
    const drain = () => drainProcessManagers(ballast, managers, cursor);
    const policy = { approvals: approvals({ threshold: '100', expiresMs: HOUR }) };
    for (const id of ['payer', 'payee'])
      await ballast.treasuries.execute(id, { type: 'OpenTreasury', config: agentConfig({ policy }) } as never, {
        commandId: `open-${id}`,
      });
    await ballast.treasuries.execute('payer', { type: 'Deposit', amount: '10000' }, { commandId: 'dep' });
    const advance = (ms: number) => (now += ms);
    const types = async (id: string) => {
      const out: string[] = [];
      for await (const r of store.readStream(`treasury-${id}`)) out.push(r.type);
      return out;
    };
    return { ballast, drain, advance, types };
  };

  it('ticks a treasury whose held move is past its expiry: the request expires and its escrow is refunded', async () => {
    const { ballast, drain, advance, types } = await setup();
    const created = await ballast.escrows.execute(
      'e1',
      { type: 'CreateEscrow', escrowId: 'e1', payer: 'payer', payee: 'payee', amount: '500', deadline: T0 + 48 * HOUR },
      { commandId: 'create' },
    );
    expect(E.isRight(created)).toBe(true);
    await drain();
    expect((await types('payer')).slice(-1)).toEqual(['ApprovalRequested']);
    advance(2 * HOUR);
    // Something else happens, anywhere, after the expiry.
    await ballast.treasuries.execute('payee', { type: 'Deposit', amount: '1' }, { commandId: 'later' });
    await drain();
    expect((await types('payer')).slice(-2)).toEqual(['CommandRejected', 'RequestExpired']);
    const { state } = await ballast.escrows.load('e1');
    expect(state.status).not.toBe('open');
  });

  it('does nothing before the expiry', async () => {
    const { ballast, drain, advance, types } = await setup();
    await ballast.treasuries.execute(
      'payer',
      { type: 'Withdraw', bucket: 'referral', amount: '500' },
      { commandId: 'w' },
    );
    advance(HOUR - 1);
    await ballast.treasuries.execute('payee', { type: 'Deposit', amount: '1' }, { commandId: 'later' });
    await drain();
    expect((await types('payer')).slice(-1)).toEqual(['ApprovalRequested']);
  });
});
