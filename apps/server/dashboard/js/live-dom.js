// @ts-check
// Small DOM builders shared by the DeFi, alerts and events views: every view re-renders from the
// latest state a live stream sent, so building a table from rows is the whole rendering model.
// Text goes in as text nodes (append, setAttribute), never as HTML: the data comes from the server.
import { scrollBox } from './table-render.js';

/**
 * An element with attributes (`class`, `data-*`, aria, …) and children (text or nodes).
 * @param {string} tag
 * @param {Record<string, string | undefined>} [attrs]
 * @param {...(Node | string)} children
 * @returns {HTMLElement}
 */
export const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) node.setAttribute(name, value);
  node.append(...children);
  return node;
};

/**
 * @typedef {{ text: string, num?: boolean, cls?: string }} Cell
 * @typedef {{ cells: (Cell | string)[], attrs?: Record<string, string> }} Row
 */

/**
 * A captioned table in a scrolling wrapper (a region named by the caption). On a phone each row shows
 * as a card, the column names beside the values (table.cards in style.css, data-label from fillRows).
 * @param {string} id @param {string} caption @param {(string | Cell)[]} headers @param {Row[]} rows
 * @returns {{ wrap: HTMLElement, table: HTMLElement }}
 */
export const dataTable = (id, caption, headers, rows) => {
  const head = el(
    'tr',
    {},
    ...headers.map((h) =>
      typeof h === 'string'
        ? el('th', { scope: 'col' }, h)
        : el('th', { scope: 'col', class: h.num ? 'num' : undefined }, h.text),
    ),
  );
  const body = el('tbody');
  fillRows(body, rows);
  const table = el('table', { id, class: 'cards' }, el('caption', {}, caption), el('thead', {}, head), body);
  return { wrap: scrollBox(table, caption), table };
};

/** @param {HTMLElement} body @param {Row[]} rows */
export const fillRows = (body, rows) => {
  // Each cell carries its column's name, which a card shows beside the value.
  const labels = [...(body.parentElement?.querySelectorAll('thead th') ?? [])].map((th) => th.textContent ?? '');
  body.replaceChildren(
    ...rows.map((row) =>
      el(
        'tr',
        row.attrs ?? {},
        ...row.cells.map((c, i) =>
          typeof c === 'string'
            ? el('td', { 'data-label': labels[i] }, c)
            : el(
                'td',
                { 'data-label': labels[i], class: [c.num ? 'num' : '', c.cls ?? ''].join(' ').trim() || undefined },
                c.text,
              ),
        ),
      ),
    ),
  );
};

/** Event time as a short UTC date and time (the log's clock is UTC). */
export const time = (/** @type {number} */ ms) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/** A decimal string as USD with no cents. */
export const usd = (/** @type {string | number} */ s) =>
  Number(s).toLocaleString('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
