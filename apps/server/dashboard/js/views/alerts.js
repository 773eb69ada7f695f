// @ts-check
// What needs an operator now, live from the read models: recent breaker trips (breaker-history), an
// underfunded pool (pool-health), approvals about to expire (pending-approvals). The Alerts tab shows
// the count. Parked dead letters and audit problems have no endpoint on the server yet: the view says so.
import { el, time, usd } from '../live-dom.js';

/** Breaker events that stop or restrict a treasury (resumes and recorded refusals are not alerts). */
const TRIPS = new Set(['RiskPaused', 'RiskHalted', 'TradingHalted', 'CasinoSessionStopped', 'ReserveFloorBreached']);
/** A trip is recent within a day of the newest breaker event (the log's clock, which a simulation sets). */
const RECENT_MS = 86_400_000;
/** An approval is about to expire within the hour. */
const EXPIRING_MS = 3_600_000;

/** @typedef {{ kind: string, key: string, text: string }} Alert */

/** @param {Record<string, { type: string, at: number, details: any }[]>} history @returns {Alert[]} */
const breakerAlerts = (history) => {
  const newest = Math.max(0, ...Object.values(history).flatMap((list) => list.map((e) => e.at)));
  return Object.entries(history).flatMap(([treasuryId, list]) => {
    const trips = list.filter((e) => TRIPS.has(e.type) && e.at >= newest - RECENT_MS);
    const last = trips.at(-1);
    if (last === undefined) return [];
    const kinds = [...new Set(trips.map((e) => e.type))].join(', ');
    return [
      {
        kind: 'breaker',
        key: treasuryId,
        text: `${treasuryId}: ${trips.length} breaker trip(s) in the last 24 h (${kinds}); last ${last.type} at ${time(last.at)}`,
      },
    ];
  });
};

/** @param {any[]} pools @returns {Alert[]} */
const poolAlerts = (pools) =>
  pools
    .filter((p) => p.underfunded)
    .map((p) => ({
      kind: 'underfunded',
      key: p.poolId,
      text:
        `pool ${p.poolId} is underfunded: reserve ${usd(p.reserve)} for coverage ${usd(p.coverage)} ` +
        `(funding ratio ${(Number(p.fundingRatio) * 100).toFixed(1)}%)`,
    }));

/** @param {any[]} requests @returns {Alert[]} */
const approvalAlerts = (requests) =>
  requests
    .filter((r) => r.expiresAt - Date.now() < EXPIRING_MS)
    .map((r) => {
      const left = Math.round((r.expiresAt - Date.now()) / 60_000);
      return {
        kind: 'approval-expiring',
        key: `${r.treasuryId}/${r.requestId}`,
        text:
          `${r.treasuryId} ${r.requestId} (${r.command.type} ${usd(r.amount)}) ` +
          `${left > 0 ? `expires in ${left} min` : `expired at ${time(r.expiresAt)}`}: ` +
          `${r.approvedBy.length} of ${r.required} approvals`,
      };
    });

/** @type {import('../app.js').View} */
export const alertsView = {
  id: 'alerts',
  title: 'Alerts',
  mount: (root, ctx) => {
    const list = el('ul', { id: 'alerts', 'aria-label': 'Alerts' });
    const empty = el('p', { class: 'muted' }, 'No alert.');
    root.append(
      el('h2', {}, 'Alerts'),
      list,
      empty,
      el(
        'p',
        { class: 'muted' },
        'Not shown: parked dead-letter events and audit problems — the server exposes neither yet (no endpoint).',
      ),
    );
    /** Each source's latest alerts; any message redraws the list. @type {Record<string, Alert[]>} */
    const bySource = { breaker: [], underfunded: [], approvals: [] };
    const render = () => {
      const all = Object.values(bySource).flat();
      list.replaceChildren(
        ...all.map((a) =>
          el(
            'li',
            { 'data-alert': a.kind, 'data-key': a.key, class: a.kind === 'approval-expiring' ? 'warn' : 'bad' },
            a.text,
          ),
        ),
      );
      empty.hidden = all.length > 0;
      ctx.badge(all.length);
    };
    ctx.follow('/v1/read-models/breaker-history/stream', (data) => {
      bySource.breaker = breakerAlerts(data.state);
      render();
    });
    ctx.follow('/v1/read-models/pool-health/stream', (data) => {
      bySource.underfunded = poolAlerts(data.state);
      render();
    });
    /** @type {any[]} */
    let pending = [];
    ctx.follow('/v1/read-models/pending-approvals/stream', (data) => {
      pending = data.state;
      bySource.approvals = approvalAlerts(pending);
      render();
    });
    // Time alone brings an approval within the hour: re-judge the last state each minute (no request).
    const timer = setInterval(() => {
      if (!root.isConnected) return clearInterval(timer);
      bySource.approvals = approvalAlerts(pending);
      render();
    }, 60_000);
  },
};
