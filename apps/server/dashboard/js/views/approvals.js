// @ts-check
// Requests held for approval in every treasury, live from pending-approvals (soonest expiry first):
// what each would do, how much it pays out against the policy's threshold, who has approved of how
// many needed, and when it expires. An approver approves or denies here; the rules may still refuse
// (self-approval, an approver not on the list, an expired request) and the refusal is shown.
import { fromNow, instant, money } from '../format-money.js';
import { actionButton, cell, h, lines, syncRows, tableShell } from '../table-render.js';

/**
 * @typedef {{ treasuryId: string, requestId: string, command: { type: string } & Record<string, unknown>,
 *   amount: string, policyVersion: number, approvers: string[], required: number, approvedBy: string[],
 *   requestedAt: number, expiresAt: number, requestedBy?: string }} PendingApproval
 */

/** A request this close to its expiry is flagged: it closes unapproved then. */
const NEAR_EXPIRY_MS = 60 * 60 * 1000;

/** The held command in a line: its type and the fields a reader decides on. @param {PendingApproval['command']} command */
const summary = (command) => {
  const { type, at: _at, ...fields } = command;
  const text = Object.entries(fields)
    .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return [h('strong', { text: type }), h('div', { class: 'muted table-break', text })];
};

/**
 * @param {PendingApproval} r @param {number} now @param {Record<string, string>} thresholds
 * @param {{ approve: (r: PendingApproval) => void, deny: (r: PendingApproval) => void }} actions
 */
const requestRow = (r, now, thresholds, actions) => {
  const left = r.expiresAt - now;
  const expired = left <= 0;
  const near = !expired && left < NEAR_EXPIRY_MS;
  const threshold = thresholds[r.treasuryId];
  return {
    key: `${r.treasuryId}/${r.requestId}`,
    signature: JSON.stringify([r, expired, near, threshold]),
    build: () =>
      h(
        'tr',
        { data: { request: `${r.treasuryId}/${r.requestId}` }, class: near || expired ? 'table-flag' : '' },
        h('th', { attrs: { scope: 'row' }, data: { label: 'Request' }, text: r.requestId }),
        cell('Treasury', r.treasuryId),
        cell('Command', [
          ...summary(r.command),
          h('div', {
            class: 'muted',
            text: `policy v${r.policyVersion}, requested ${r.requestedBy ? `by ${r.requestedBy} ` : ''}${instant(r.requestedAt)}`,
          }),
        ]),
        cell('Amount', [
          money(r.amount),
          threshold !== undefined && h('div', { class: 'muted', text: `threshold ${money(threshold)}` }),
        ]),
        cell(
          'Approved',
          lines([
            [h('strong', { text: `${r.approvedBy.length} of ${r.required}` })],
            [h('span', { text: r.approvedBy.length ? r.approvedBy.join(', ') : 'nobody yet' })],
            [
              h('span', {
                class: 'muted',
                text: r.approvers.length ? `may approve: ${r.approvers.join(', ')}` : 'any operator',
              }),
            ],
          ]),
          { field: 'approvals' },
        ),
        cell('Expires', [
          instant(r.expiresAt),
          h('div', {
            class: expired ? 'bad' : near ? 'warn' : 'muted',
            text: expired
              ? 'expired (closes with the next event)'
              : `${fromNow(r.expiresAt, now)}${near ? ', near expiry' : ''}`,
          }),
        ]),
        cell('Actions', [
          actionButton(`Approve ${r.requestId}`, () => actions.approve(r)),
          actionButton(`Deny ${r.requestId}`, () => actions.deny(r)),
        ]),
      ),
  };
};

/** @type {import('../app.js').View} */
export const approvalsView = {
  id: 'approvals',
  title: 'Approvals',
  mount: (root, ctx) => {
    const columns = ['Request', 'Treasury', 'Command', 'Amount', 'Approved (M of N)', 'Expires', 'Actions'];
    const { wrap, tbody } = tableShell(
      'approvals',
      'Requests waiting for approval, soonest expiry first',
      columns.map((label) => ({ label })),
    );
    const asOf = h('p', { class: 'muted', text: 'connecting to the live read model…' });
    root.append(asOf, wrap);

    const principal = ctx.whoami.principal;
    const actions = {
      approve: (/** @type {PendingApproval} */ r) =>
        void ctx.act(`Approve ${r.requestId}`, 'treasuries', r.treasuryId, {
          type: 'ApproveRequest',
          requestId: r.requestId,
          approver: principal,
        }),
      deny: (/** @type {PendingApproval} */ r) => {
        const reason = window.prompt(`Deny ${r.requestId} (${r.command.type} in ${r.treasuryId}): why?`);
        if (reason === null) return;
        void ctx.act(`Deny ${r.requestId}`, 'treasuries', r.treasuryId, {
          type: 'DenyRequest',
          requestId: r.requestId,
          by: principal,
          ...(reason.trim() === '' ? {} : { reason: reason.trim() }),
        });
      },
    };

    /** The approval threshold of each treasury's policy, from its state (fetched once per treasury and policy version). */
    /** @type {Record<string, string>} */
    const thresholds = {};
    const thresholdFor = new Map();
    /** @type {PendingApproval[]} */
    let requests = [];
    const render = () => {
      const now = Date.now();
      syncRows(
        tbody,
        requests.map((r) => requestRow(r, now, thresholds, actions)),
        'no request waiting',
      );
    };
    /** @param {PendingApproval} r */
    const loadThreshold = async (r) => {
      const basis = `${r.treasuryId}@${r.policyVersion}`;
      if (thresholdFor.get(r.treasuryId) === basis) return;
      thresholdFor.set(r.treasuryId, basis);
      try {
        const { body } = await ctx.api(`/v1/treasuries/${encodeURIComponent(r.treasuryId)}`);
        const policy = body.state.treasury.controls?.policy ?? body.state.treasury.config?.policy;
        const threshold = policy?.approvals?.threshold;
        if (threshold !== undefined) thresholds[r.treasuryId] = threshold;
        if (wrap.isConnected) render();
      } catch {
        // The threshold is a help to read the amount; the request shows without it.
      }
    };
    ctx.follow('/v1/read-models/pending-approvals/stream', (data, event) => {
      if (event !== 'state') return;
      requests = data.state;
      const now = Date.now();
      const near = requests.filter((r) => r.expiresAt > now && r.expiresAt - now < NEAR_EXPIRY_MS).length;
      asOf.textContent = `${requests.length} waiting${near ? `, ${near} near expiry` : ''}, live as of event ${data.position}`;
      for (const r of requests) void loadThreshold(r);
      render();
    });
  },
};
