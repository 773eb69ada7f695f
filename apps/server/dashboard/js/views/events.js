// @ts-check
// The log live: the newest events first (the last MAX_ROWS kept), filtered by type and stream as
// typed; and time travel: an aggregate's state as it was at a time, replayed by the server.
import { clock } from '../format-money.js';
import { el } from '../live-dom.js';
import { scrollBox } from '../table-render.js';

/** Rows kept in the tail: enough to read back a few minutes of a busy log, few enough to stay fast. */
const MAX_ROWS = 500;
/** Data up to this long shows inline; longer data opens in a <details> (summary: its start). */
const INLINE_DATA = 100;
const COLUMNS = ['Position', 'Time (UTC)', 'Stream', 'Type', 'Actor', 'Data'];

/** When the event happened, compact, with the full instant for a hover and for machines. @param {any} at */
const timeCell = (at) => {
  if (typeof at !== 'number') return el('td', { 'data-label': COLUMNS[1], class: 'nowrap' }, '–');
  const iso = new Date(at).toISOString();
  return el('td', { 'data-label': COLUMNS[1], class: 'nowrap' }, el('time', { datetime: iso, title: iso }, clock(at)));
};

/** The event's data as JSON: inline when short, else its start and the whole of it, indented, on demand. @param {unknown} data */
const dataCell = (data) => {
  const json = JSON.stringify(data) ?? 'undefined';
  const content =
    json.length <= INLINE_DATA
      ? el('code', {}, json)
      : el(
          'details',
          {},
          el('summary', {}, `${json.slice(0, INLINE_DATA)}…`),
          el('pre', {}, JSON.stringify(data, null, 2)),
        );
  return el('td', { 'data-label': COLUMNS[5], class: 'event-data' }, content);
};

/** @typedef {{ position: number, streamId: string, type: string, data: any, metadata?: any }} Recorded */

/** @param {HTMLElement} root @param {import('../app.js').ViewContext} ctx */
const mountTail = async (root, ctx) => {
  const type = el('input', {
    id: 'filter-type',
    type: 'search',
    placeholder: 'e.g. Swapped',
    'aria-label': 'Filter by event type',
  });
  const stream = el('input', {
    id: 'filter-stream',
    type: 'search',
    placeholder: 'e.g. treasury-defi-1',
    'aria-label': 'Filter by stream',
  });
  const body = el('tbody');
  const caption = `Live event tail, newest first (last ${MAX_ROWS})`;
  // On a phone each event shows as a card (table.cards in style.css): six columns do not fit 390 px.
  const table = el(
    'table',
    { id: 'events', class: 'cards' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...COLUMNS.map((h) => el('th', { scope: 'col' }, h)))),
    body,
  );
  root.append(
    el('h2', {}, 'Events'),
    el(
      'div',
      { class: 'filters' },
      el('span', {}, el('label', { for: 'filter-type' }, 'Type '), type),
      ' ',
      el('span', {}, el('label', { for: 'filter-stream' }, 'Stream '), stream),
    ),
    scrollBox(table, caption),
  );
  const value = (/** @type {HTMLElement} */ i) => /** @type {HTMLInputElement} */ (i).value.trim().toLowerCase();
  const matches = (/** @type {HTMLElement} */ row) =>
    (row.dataset.type ?? '').toLowerCase().includes(value(type)) &&
    (row.dataset.stream ?? '').toLowerCase().includes(value(stream));
  const refilter = () => {
    for (const row of body.children)
      /** @type {HTMLElement} */ (row).hidden = !matches(/** @type {HTMLElement} */ (row));
  };
  type.addEventListener('input', refilter);
  stream.addEventListener('input', refilter);

  // Start MAX_ROWS before the head (a small read model's position is the head the server has folded), not at event 0.
  const { body: head } = await ctx.api('/v1/read-models/pending-approvals');
  const after = Math.max(-1, head.position - MAX_ROWS);
  ctx.follow(`/v1/events/stream?after=${after}`, (/** @type {Recorded} */ e, event) => {
    if (event !== 'event') return;
    // The position heads the row (and a phone's card); the short columns stay on one line each.
    const row = el(
      'tr',
      { 'data-position': String(e.position), 'data-type': e.type, 'data-stream': e.streamId },
      el('th', { scope: 'row', class: 'num' }, String(e.position)),
      timeCell(e.data?.at),
      el('td', { 'data-label': COLUMNS[2], class: 'nowrap' }, e.streamId),
      el('td', { 'data-label': COLUMNS[3], class: 'nowrap' }, e.type),
      el('td', { 'data-label': COLUMNS[4], class: 'nowrap' }, String(e.metadata?.actor ?? '–')),
      dataCell(e.data),
    );
    row.hidden = !matches(row);
    body.prepend(row);
    while (body.children.length > MAX_ROWS) body.lastElementChild?.remove();
  });
};

/** @param {HTMLElement} root @param {import('../app.js').ViewContext} ctx */
const mountTimeTravel = (root, ctx) => {
  const kind = el(
    'select',
    { id: 'tt-kind', name: 'kind' },
    ...['treasuries', 'pools', 'escrows'].map((k) => el('option', { value: k }, k)),
  );
  const id = el('input', { id: 'tt-id', name: 'id', required: '', placeholder: 'e.g. defi-1', autocomplete: 'off' });
  const at = el('input', { id: 'tt-at', name: 'at', type: 'datetime-local', step: '1', required: '' });
  const state = el('pre', { id: 'tt-state', 'aria-live': 'polite' });
  const form = el(
    'form',
    { id: 'time-travel', 'aria-labelledby': 'tt-title' },
    el('h2', { id: 'tt-title' }, 'Time travel'),
    el(
      'p',
      { class: 'muted' },
      'An aggregate’s state as it was at a time (your local time; the server replays its events up to then).',
    ),
    el('label', { for: 'tt-kind' }, 'Kind '),
    kind,
    ' ',
    el('label', { for: 'tt-id' }, 'Id '),
    id,
    ' ',
    el('label', { for: 'tt-at' }, 'At '),
    at,
    ' ',
    el('button', { type: 'submit' }, 'Show state'),
  );
  root.append(form, state);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const local = /** @type {HTMLInputElement} */ (at).value;
    const when = new Date(local);
    if (Number.isNaN(when.getTime())) {
      state.textContent = 'Pick a time.';
      return;
    }
    // The server takes ISO-8601 UTC (2026-03-01T12:00:00Z, milliseconds allowed) or epoch ms.
    const iso = when.toISOString();
    const facade = /** @type {HTMLSelectElement} */ (kind).value;
    const aggregate = encodeURIComponent(/** @type {HTMLInputElement} */ (id).value.trim());
    const path = `/v1/${facade}/${aggregate}?at=${encodeURIComponent(iso)}`;
    state.textContent = `loading ${path}…`;
    try {
      const { body } = await ctx.api(path);
      state.textContent = `${body.streamId} at ${iso} (revision ${body.revision})\n${JSON.stringify(body.state, null, 2)}`;
    } catch (error) {
      const e = /** @type {any} */ (error);
      state.textContent = `${e.code ?? 'ERROR'}: ${e.message ?? String(error)}`;
    }
  });
};

/** @type {import('../app.js').View} */
export const eventsView = {
  id: 'events',
  title: 'Events',
  mount: (root, ctx) => {
    const tail = el('div');
    const travel = el('div');
    root.append(tail, travel);
    mountTimeTravel(travel, ctx);
    mountTail(tail, ctx).catch((error) => ctx.notify(`events: ${String(error)}`, true));
  },
};
