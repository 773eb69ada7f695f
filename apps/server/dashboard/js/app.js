// @ts-check
// The dashboard's shell: connect with a key, say who it is, switch between views, and give every view
// the same way to act (confirm, send, show what the rules answered).
import { api, ApiError, commandPath, follow, session } from './api.js';
import { treasuriesView } from './views/treasuries.js';
import { poolsView } from './views/pools.js';
import { escrowsView } from './views/escrows.js';
import { approvalsView } from './views/approvals.js';
import { defiView } from './views/defi.js';
import { alertsView, countAlerts } from './views/alerts.js';
import { eventsView } from './views/events.js';

/**
 * What every view gets: the API, live streams bound to the view's life, who is connected, and `act`.
 * @typedef {{
 *   api: typeof api,
 *   follow: (path: string, onMessage: (data: any, event: string, id: string | undefined) => void) => void,
 *   whoami: { principal: string, role: string },
 *   act: (what: string, facade: string, id: string, command: Record<string, unknown>) => Promise<any | undefined>,
 *   notify: (text: string, refused?: boolean) => void,
 *   badge: (count: number) => void,
 * }} ViewContext
 * @typedef {{ id: string, title: string, mount: (root: HTMLElement, ctx: ViewContext) => void }} View
 */

/** @type {readonly View[]} */
const VIEWS = [treasuriesView, poolsView, escrowsView, approvalsView, defiView, alertsView, eventsView];

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {string} text @param {boolean} [refused] */
const notify = (text, refused = false) => {
  const notice = $('notice');
  notice.textContent = text;
  notice.className = refused ? 'refused' : '';
};

/** A failure as a person reads it: the status and stable code the server gave, and its message. */
const describe = (/** @type {unknown} */ error) =>
  error instanceof ApiError ? `refused ${error.status} ${error.code}: ${error.message}` : String(error);

/**
 * An operator's action: asks for confirmation, sends the command, and says what happened: the
 * events, held for approval (202), or the refusal with its code and numbers.
 * @param {string} what @param {string} facade @param {string} id @param {Record<string, unknown>} command
 */
const act = async (what, facade, id, command) => {
  if (!window.confirm(`${what}?\n\n${facade}/${id}: ${JSON.stringify(command)}`)) return undefined;
  try {
    const { status, body } = await api(commandPath(facade, id), { method: 'POST', body: command });
    const events = (body.events ?? []).map((/** @type {{type: string}} */ e) => e.type).join(', ');
    notify(status === 202 ? `${what}: held for approval (${body.pending?.requestId})` : `${what}: done (${events})`);
    return body;
  } catch (error) {
    if (error instanceof ApiError)
      notify(
        `${what}: refused ${error.status} ${error.code}: ${error.message}\n${JSON.stringify(error.details ?? {}, null, 2)}`,
        true,
      );
    else notify(`${what}: ${String(error)}`, true);
    return undefined;
  }
};

/** A count on a view's tab (the Alerts tab's alerts); none at zero. It stays when the view is left. */
const setBadge = (/** @type {string} */ viewId, /** @type {number} */ count) => {
  const tab = $('tabs').querySelector(`[data-view="${viewId}"]`);
  if (tab === null) return;
  let badge = tab.querySelector('.badge');
  if (count === 0) return badge?.remove();
  if (badge === null) {
    badge = document.createElement('span');
    badge.className = 'badge';
    tab.append(' ', badge);
  }
  badge.textContent = String(count);
};

/** How often the Alerts tab's count is refreshed while the Alerts view is not shown. */
const BADGE_MS = 30_000;

/** @type {AbortController | undefined} */
let current;

/** @param {{ principal: string, role: string }} whoami @param {View} view */
const show = (whoami, view) => {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  for (const tab of $('tabs').querySelectorAll('button'))
    tab.setAttribute('aria-selected', String(tab.dataset.view === view.id));
  const root = $('view');
  root.replaceChildren();
  root.setAttribute('aria-label', view.title);
  // An agent's key may read only its own treasury (GET /v1/treasuries/<id>): no view here is its to see.
  if (whoami.role === 'agent') {
    const p = document.createElement('p');
    p.textContent = `${view.title}: FORBIDDEN to an agent's key (the read models need an operator or a service key).`;
    root.append(p);
    return;
  }
  view.mount(root, {
    api,
    follow: (path, onMessage) =>
      follow(path, onMessage, controller.signal, (error) => notify(`live stream ${path}: ${describe(error)}`, true)),
    whoami,
    act,
    notify,
    badge: (count) => setBadge(view.id, count),
  });
};

/** @param {{ principal: string, role: string }} whoami */
const start = (whoami) => {
  $('whoami').textContent = `${whoami.principal} (${whoami.role})`;
  $('connect').hidden = true;
  $('disconnect').hidden = false;
  const tabs = $('tabs');
  tabs.hidden = false;
  tabs.replaceChildren(
    ...VIEWS.map((view) => {
      const tab = document.createElement('button');
      tab.type = 'button';
      tab.setAttribute('role', 'tab');
      tab.dataset.view = view.id;
      tab.textContent = view.title;
      tab.addEventListener('click', () => {
        location.hash = view.id;
        show(whoami, view);
      });
      return tab;
    }),
  );
  show(whoami, VIEWS.find((v) => `#${v.id}` === location.hash) ?? VIEWS[0]);
  // Said once, up front: an agent's key reads only its own treasury, so every view below will be refused.
  if (whoami.role === 'agent') {
    notify(
      `refused 403 FORBIDDEN: ${whoami.principal} is an agent; the dashboard's read models need an operator key ` +
        '(to act) or a service key (to watch)',
      true,
    );
    return;
  }
  // The Alerts tab's count while another view is shown: asked every half minute (the Alerts view itself is live).
  const count = () =>
    countAlerts(api).then(
      (n) => setBadge('alerts', n),
      () => undefined,
    );
  void count();
  setInterval(count, BADGE_MS);
};

const connect = async () => {
  try {
    const { body } = await api('/v1/whoami');
    notify('');
    start(body);
  } catch (error) {
    session.forget();
    notify(error instanceof ApiError ? `not connected: ${error.code}: ${error.message}` : String(error), true);
  }
};

$('connect').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ ($('key'));
  session.remember(input.value.trim());
  input.value = '';
  void connect();
});
$('disconnect').addEventListener('click', () => {
  session.forget();
  location.reload();
});
if (session.key() !== null) void connect();
