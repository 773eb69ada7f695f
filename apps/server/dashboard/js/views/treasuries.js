// @ts-check
// Every treasury, live: four read-model streams (overview, risk board, controls, breaker history)
// plus each treasury's own state for what no read model carries (bucket targets and floors, positions
// with their stops, escrow locks). A treasury's state is fetched again only when one of its
// read-model rows changes, so nothing polls; four streams leave the browser's six connections per
// host room for those fetches and the commands.
import { h, syncRows, tableShell } from '../table-render.js';
import { treasuryRow } from '../table-treasury-row.js';

/**
 * @typedef {import('../table-treasury-row.js').OverviewRow} OverviewRow
 * @typedef {import('../table-treasury-row.js').RiskRow} RiskRow
 * @typedef {import('../table-treasury-row.js').ControlsRow} ControlsRow
 * @typedef {import('../table-treasury-row.js').TreasuryAccount} TreasuryAccount
 * @typedef {import('../table-breakers.js').BreakerEntry} BreakerEntry
 */

const COLUMNS = [
  'Treasury',
  'Status',
  'Value',
  'Buckets: share/target (floor), drift',
  'Positions & locks',
  'Controls',
  'Breakers',
  'Actions',
];

/** @param {{ treasuryId: string }[]} rows @returns {Map<string, any>} */
const byTreasury = (rows) => new Map(rows.map((r) => [r.treasuryId, r]));

/** @type {import('../app.js').View} */
export const treasuriesView = {
  id: 'treasuries',
  title: 'Treasuries',
  mount: (root, ctx) => {
    const { wrap, tbody } = tableShell(
      'treasuries',
      'Treasuries: buckets, risk, positions, controls and breakers',
      COLUMNS.map((label) => ({ label })),
      { grid: true },
    );
    const asOf = h('p', { class: 'muted', attrs: { 'aria-live': 'off' }, text: 'connecting to the live read models…' });
    root.append(asOf, wrap);

    /** @type {OverviewRow[]} */
    let overview = [];
    /** @type {Map<string, RiskRow>} */
    let risk = new Map();
    /** @type {Map<string, ControlsRow>} */
    let controls = new Map();
    /** @type {Record<string, BreakerEntry[]>} */
    let breakers = {};
    /** @type {Map<string, TreasuryAccount>} */
    const accounts = new Map();
    /** What each treasury's state was fetched for: its overview and risk rows as JSON. */
    const fetchedFor = new Map();
    const fetching = new Set();
    let position = 0;
    // The shell stops the streams when the view is left; a fetch still out then finds the table gone.
    const alive = () => wrap.isConnected;

    const actions = {
      resume: (/** @type {string} */ id) =>
        void ctx.act(`Resume ${id}`, 'treasuries', id, { type: 'ResumeRisk', operator: ctx.whoami.principal }),
      resumeTrading: (/** @type {string} */ id) =>
        void ctx.act(`Resume trading ${id}`, 'treasuries', id, {
          type: 'ResumeTrading',
          operator: ctx.whoami.principal,
        }),
      liftStop: (/** @type {string} */ id) =>
        void ctx.act(`Lift stop ${id}`, 'treasuries', id, { type: 'LiftEmergencyStop', by: ctx.whoami.principal }),
    };

    let scheduled = false;
    /** Several streams often speak for the same event: draw once per frame. */
    const render = () => {
      if (scheduled) return;
      scheduled = true;
      window.requestAnimationFrame(() => {
        scheduled = false;
        if (!alive()) return;
        asOf.textContent = `${overview.length} treasuries, live as of event ${position}`;
        syncRows(
          tbody,
          overview.map((o) =>
            treasuryRow(
              {
                overview: o,
                risk: risk.get(o.treasuryId),
                controls: controls.get(o.treasuryId),
                account: accounts.get(o.treasuryId),
                breakers: breakers[o.treasuryId] ?? [],
              },
              actions,
            ),
          ),
          'no treasury opened yet',
        );
      });
    };

    /** Fetches a treasury's state again if its rows moved since the last fetch (one fetch at a time per treasury). @param {string} id */
    const refresh = async (id) => {
      const basis = JSON.stringify([overview.find((o) => o.treasuryId === id), risk.get(id)]);
      if (fetching.has(id) || fetchedFor.get(id) === basis) return;
      fetching.add(id);
      try {
        const { body } = await ctx.api(`/v1/treasuries/${encodeURIComponent(id)}`);
        fetchedFor.set(id, basis);
        accounts.set(id, body.state);
        render();
      } catch (error) {
        ctx.notify(`treasury ${id}: ${String(error)}`, true);
        fetchedFor.set(id, basis);
      } finally {
        fetching.delete(id);
      }
      // Rows that moved while the fetch was out get their own fetch now.
      if (alive()) void refresh(id);
    };
    const refreshAll = () => {
      for (const o of overview) void refresh(o.treasuryId);
    };

    /** @param {(state: any) => void} take */
    const onState = (take) => (/** @type {any} */ data, /** @type {string} */ event) => {
      if (event !== 'state') return;
      position = Math.max(position, data.position);
      take(data.state);
      render();
    };
    ctx.follow(
      '/v1/read-models/treasury-overview/stream',
      onState((state) => {
        overview = state;
        refreshAll();
      }),
    );
    ctx.follow(
      '/v1/read-models/risk-board/stream',
      onState((state) => {
        risk = byTreasury(state);
        refreshAll();
      }),
    );
    ctx.follow(
      '/v1/read-models/treasury-controls/stream',
      onState((state) => (controls = byTreasury(state))),
    );
    ctx.follow(
      '/v1/read-models/breaker-history/stream',
      onState((state) => (breakers = state)),
    );
  },
};
