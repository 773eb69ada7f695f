// @ts-check
// Every open escrow, live from the open-escrows read model (soonest deadline first, as the read
// model sorts them): who pays whom, how much is left, its state and its deadline.
import { fromNow, instant, money } from '../format-money.js';
import { cell, h, syncRows, tableShell } from '../table-render.js';

/**
 * @typedef {{ escrowId: string, payer: string, payee: string, amount: string, remaining: string,
 *   deadline: number, status: string }} OpenEscrow
 */

/** A deadline an hour away or less is close: the escrow expires (refunds) then. */
const CLOSE_MS = 60 * 60 * 1000;

/** @param {OpenEscrow} e @param {number} now */
const escrowRow = (e, now) => {
  const late = e.deadline <= now;
  const close = !late && e.deadline - now < CLOSE_MS;
  return {
    key: e.escrowId,
    signature: JSON.stringify([e, late, close]),
    build: () =>
      h(
        'tr',
        { data: { escrow: e.escrowId }, class: late || close ? 'table-flag' : '' },
        h('th', { attrs: { scope: 'row' }, data: { label: 'Escrow' }, text: e.escrowId }),
        cell('Payer', e.payer),
        cell('Payee', e.payee),
        cell('Amount', money(e.amount), { num: true }),
        cell('Remaining', money(e.remaining), { num: true }),
        cell('State', h('span', { class: e.status === 'disputed' ? 'warn' : '', text: e.status }), { field: 'status' }),
        cell('Deadline', [
          instant(e.deadline),
          ' ',
          h('span', {
            class: late ? 'bad' : close ? 'warn' : 'muted',
            text: late ? 'passed' : fromNow(e.deadline, now),
          }),
        ]),
      ),
  };
};

/** @type {import('../app.js').View} */
export const escrowsView = {
  id: 'escrows',
  title: 'Escrows',
  mount: (root, ctx) => {
    const columns = ['Escrow', 'Payer', 'Payee', 'Amount', 'Remaining', 'State', 'Deadline'];
    const { wrap, tbody } = tableShell(
      'escrows',
      'Open escrows, soonest deadline first',
      columns.map((label) => ({ label, num: label === 'Amount' || label === 'Remaining' })),
    );
    const asOf = h('p', { class: 'muted', text: 'connecting to the live read model…' });
    root.append(asOf, wrap);
    ctx.follow('/v1/read-models/open-escrows/stream', (data, event) => {
      if (event !== 'state') return;
      /** @type {OpenEscrow[]} */
      const escrows = data.state;
      const total = escrows.reduce((s, e) => s + Number(e.remaining), 0);
      asOf.textContent = `${escrows.length} open, ${money(total)} remaining, live as of event ${data.position}`;
      const now = Date.now();
      syncRows(
        tbody,
        escrows.map((e) => escrowRow(e, now)),
        'no open escrow',
      );
    });
  },
};
