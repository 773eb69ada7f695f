// @ts-check
// What needs an operator now, live from the read models: a treasury paused or halted and an emergency stop in force
// (risk-board, treasury-controls), recent breaker trips (breaker-history), an
// underfunded pool (pool-health), approvals about to expire (pending-approvals); and, from two small
// endpoints, events a read model or process manager parked (GET /v1/dead-letters) and a failed audit
// of the store (GET /v1/audit/last). The Alerts tab shows the count.
//
// Those two are asked once a minute rather than streamed: they are not read models (no projection
// state to stream, and the read-model stream route only knows read models), they change rarely (a
// parked event is an incident; the server audits hourly by default), and two small GETs a
// minute cost less than two more open streams per operator.
import { el, time, usd } from '../live-dom.js';

/** Breaker events that stop or restrict a treasury (resumes and recorded refusals are not alerts). */
const TRIPS = new Set(['RiskPaused', 'RiskHalted', 'TradingHalted', 'CasinoSessionStopped', 'ReserveFloorBreached']);
/** A trip is recent within a day of the newest breaker event (the log's clock, which a simulation sets). */
const RECENT_MS = 86_400_000;
/** An approval is about to expire within the hour. */
const EXPIRING_MS = 3_600_000;
/** Parked events and the audit are asked this often (not streamed: see above). */
const POLL_MS = 60_000;
/** After "Audit now", the result is looked for this often until the audit ends. */
const AUDIT_WAIT_MS = 2_000;

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

/**
 * What is true now, whenever it began: a treasury paused or halted, a trading desk halted, an
 * emergency stop in force (trips long past are not in breakerAlerts' last day).
 * @param {any[]} risk risk-board rows @param {any[]} controls treasury-controls rows @returns {Alert[]}
 */
const stoppedAlerts = (risk, controls) => [
  ...risk
    .filter((r) => r.status !== 'ACTIVE' || r.tradingDesk === 'halted')
    .map((r) => ({
      kind: 'stopped',
      key: r.treasuryId,
      text:
        `${r.treasuryId} is ${r.status}${r.tradingDesk === 'halted' ? ', its trading desk halted' : ''}` +
        `${r.pausedUntil === undefined ? '' : ` until ${time(r.pausedUntil)}`}: an operator may resume it`,
    })),
  ...controls
    .filter((c) => c.emergencyStop !== null && c.emergencyStop !== undefined)
    .map((c) => ({
      kind: 'emergency-stop',
      key: c.treasuryId,
      text:
        `${c.treasuryId}: emergency stop since ${time(c.emergencyStop.at)} by ${c.emergencyStop.by}` +
        ` (${c.emergencyStop.lifts.length} of ${c.emergencyStop.liftRequired} lifts)`,
    })),
];

/**
 * Every alert now, asked once (no stream): what the Alerts tab's count says while another view is shown.
 * @param {typeof import('../api.js').api} api @returns {Promise<number>}
 */
export const countAlerts = async (api) => {
  const model = async (/** @type {string} */ name) => (await api(`/v1/read-models/${name}`)).body.state;
  const [history, pools, requests, risk, controls, parked, audit] = await Promise.all([
    model('breaker-history'),
    model('pool-health'),
    model('pending-approvals'),
    model('risk-board'),
    model('treasury-controls'),
    api('/v1/dead-letters').then((a) => a.body.projections),
    api('/v1/audit/last').then((a) => a.body),
  ]);
  return [
    ...breakerAlerts(history),
    ...stoppedAlerts(risk, controls),
    ...poolAlerts(pools),
    ...approvalAlerts(requests),
    ...parkedAlerts(parked),
    ...auditAlerts(audit),
  ].length;
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

/**
 * One alert per projection that parked events: how many, and the last one (its position, stream,
 * type and error), which is where an operator starts looking.
 * @typedef {{ position: number, streamId: string, type: string, error: string, attempts: number }} DeadLetter
 * @param {{ name: string, total: number, deadLetters: DeadLetter[] }[]} projections
 * @returns {Alert[]}
 */
const parkedAlerts = (projections) =>
  projections.flatMap((p) => {
    const last = p.deadLetters.at(-1);
    if (last === undefined) return [];
    return [
      {
        kind: 'parked',
        key: p.name,
        text:
          `${p.name} parked ${p.total} event(s); last at position ${last.position} ` +
          `(${last.streamId} ${last.type}, ${last.attempts} tries): ${last.error}`,
      },
    ];
  });

/**
 * @typedef {{ outcome: 'passed' | 'failed' | 'inconclusive', finishedAt: number, durationMs: number, events: number,
 *   totalDigest: string, problem?: { kind: string, streamId: string, revision: number, message: string } }} AuditResult
 * @typedef {{ intervalMs: number, running: boolean, nextAt?: number, last: AuditResult | null }} AuditStatus
 */

/**
 * A failed audit is an alert; a passed or inconclusive one is said on the quiet line instead.
 * @param {AuditStatus} status @returns {Alert[]}
 */
const auditAlerts = (status) => {
  const last = status.last;
  if (last === null || last.outcome !== 'failed' || last.problem === undefined) return [];
  const p = last.problem;
  return [
    {
      kind: 'audit',
      key: 'audit',
      text: `the audit at ${time(last.finishedAt)} failed: ${p.kind} at ${p.streamId} revision ${p.revision}: ${p.message}`,
    },
  ];
};

/** An interval as a person says it: 10 min, 1 h, 1.5 h. @param {number} ms */
const every = (ms) => (ms < 3_600_000 ? `${Math.round(ms / 60_000)} min` : `${+(ms / 3_600_000).toFixed(1)} h`);

/**
 * The quiet line under the list: when the store was last audited and how it went, and when it is next.
 * @param {AuditStatus} status
 */
const auditLine = (status) => {
  const { last } = status;
  const schedule =
    status.intervalMs === 0
      ? 'the server audits only when asked'
      : `the server audits every ${every(status.intervalMs)}` +
        (status.nextAt === undefined ? '' : `, next at ${time(status.nextAt)}`);
  const running = status.running ? 'An audit is running now; ' : '';
  if (last === null) return `${running || 'No audit yet; '}${schedule}.`;
  const what =
    last.outcome === 'passed'
      ? `Last audit passed at ${time(last.finishedAt)}: ${last.events} events, digest ${last.totalDigest.slice(0, 12)}…`
      : last.outcome === 'failed'
        ? `Last audit failed at ${time(last.finishedAt)} (see the alert)`
        : `Last audit at ${time(last.finishedAt)} was inconclusive: ${last.problem?.message ?? 'no reason given'}`;
  return `${running}${what} (${(last.durationMs / 1000).toFixed(1)} s); ${schedule}.`;
};

/** @type {import('../app.js').View} */
export const alertsView = {
  id: 'alerts',
  title: 'Alerts',
  mount: (root, ctx) => {
    const list = el('ul', { id: 'alerts', 'aria-label': 'Alerts' });
    const empty = el('p', { class: 'muted' }, 'No alert.');
    const auditStatus = el('p', { id: 'audit-status', class: 'muted', 'aria-live': 'polite' }, 'Audit: asking…');
    const parkedStatus = el('p', { id: 'parked-status', class: 'muted' });
    root.append(el('h2', {}, 'Alerts'), list, empty, auditStatus, parkedStatus);
    // Whether this view is still shown: `root` is the shell's one #view element, which stays in the page
    // when another view replaces this one's content, so ask of this view's own list.
    const mounted = () => list.isConnected;
    /** Each source's latest alerts; any message redraws the list. @type {Record<string, Alert[]>} */
    const bySource = { breaker: [], stopped: [], underfunded: [], approvals: [], parked: [], audit: [] };
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
    /** @type {{ risk: any[], controls: any[] }} */
    const now = { risk: [], controls: [] };
    ctx.follow('/v1/read-models/risk-board/stream', (data) => {
      now.risk = data.state;
      bySource.stopped = stoppedAlerts(now.risk, now.controls);
      render();
    });
    ctx.follow('/v1/read-models/treasury-controls/stream', (data) => {
      now.controls = data.state;
      bySource.stopped = stoppedAlerts(now.risk, now.controls);
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
    /** A refused or failed ask is said on the source's quiet line; its last alerts stay. @param {unknown} error */
    const why = (error) =>
      error instanceof Error && 'code' in error ? `${error.code}: ${error.message}` : String(error);
    const askParked = async () => {
      try {
        const { body } = await ctx.api('/v1/dead-letters');
        bySource.parked = parkedAlerts(body.projections);
        parkedStatus.textContent = body.projections.length === 0 ? 'No parked event.' : '';
        parkedStatus.hidden = body.projections.length > 0;
      } catch (error) {
        parkedStatus.hidden = false;
        parkedStatus.textContent = `Parked events could not be read (${why(error)}).`;
      }
    };
    /** @returns {Promise<AuditStatus | undefined>} */
    const askAudit = async () => {
      try {
        /** @type {{ body: AuditStatus }} */
        const { body } = await ctx.api('/v1/audit/last');
        bySource.audit = auditAlerts(body);
        auditStatus.textContent = auditLine(body);
        return body;
      } catch (error) {
        auditStatus.textContent = `The last audit could not be read (${why(error)}).`;
        return undefined;
      }
    };
    const ask = async () => {
      await Promise.all([askParked(), askAudit()]);
      if (mounted()) render();
    };
    void ask();
    // Time alone brings an approval within the hour: re-judge the last state each minute; and ask the two endpoints.
    const timer = setInterval(() => {
      if (!mounted()) return clearInterval(timer);
      bySource.approvals = approvalAlerts(pending);
      render();
      void ask();
    }, POLL_MS);

    // An operator may audit now (an audit only reads the store, so no confirmation): the result is
    // looked for every few seconds until the audit ends, then the minute's poll takes over again.
    if (ctx.whoami.role === 'operator') {
      const auditNow = el('button', { type: 'button', id: 'audit-now' }, 'Audit now');
      auditNow.addEventListener('click', async () => {
        auditNow.setAttribute('disabled', '');
        try {
          await ctx.api('/v1/audit', { method: 'POST' });
          for (let status = await askAudit(); status?.running && mounted(); status = await askAudit()) {
            render();
            await new Promise((resolve) => setTimeout(resolve, AUDIT_WAIT_MS));
          }
          // Parked events too: an audit is asked for when something looks wrong, so show everything as it is now.
          await ask();
        } catch (error) {
          ctx.notify(`Audit refused (${why(error)})`, true);
        } finally {
          auditNow.removeAttribute('disabled');
        }
      });
      auditStatus.after(auditNow);
    }
  },
};
