// @ts-check
// Building tables from read models without a framework. Each live message redraws only the rows whose
// content changed (a row keeps its element, and so a focused button keeps its focus, while its data
// stays the same). Cells carry data-label so that on a phone the stylesheet can show each row as a
// card with the column names beside the values (table.cards in style.css).

/**
 * @typedef {string | Node | null | undefined | false} Child
 * @typedef {{ class?: string, text?: string, title?: string, data?: Record<string, string>,
 *   attrs?: Record<string, string> }} Props
 */

/**
 * An element with its class, text, data-* and other attributes, and children (falsy ones skipped).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {Props} [props] @param {Child[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export const h = (tag, props = {}, ...children) => {
  const element = document.createElement(tag);
  if (props.class) element.className = props.class;
  if (props.title) element.title = props.title;
  for (const [key, value] of Object.entries(props.data ?? {})) element.dataset[key] = value;
  for (const [key, value] of Object.entries(props.attrs ?? {})) element.setAttribute(key, value);
  if (props.text !== undefined) element.textContent = props.text;
  for (const child of children)
    if (child !== null && child !== undefined && child !== false)
      element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  return element;
};

/**
 * The wrapper of a wide table: it scrolls sideways (not the page) and is a region named like the table.
 * Only while it has something to scroll is it a tab stop, so a keyboard can scroll it too (an empty
 * tab stop on every table would only be in the way).
 * @param {HTMLElement} table @param {string} name
 */
export const scrollBox = (table, name) => {
  const box = h('div', { class: 'table-wrap', attrs: { role: 'region', 'aria-label': name } }, table);
  const check = () => {
    if (box.scrollWidth > box.clientWidth + 1) box.tabIndex = 0;
    else box.removeAttribute('tabindex');
  };
  // The box resizes with the window; the table, with its rows.
  const observer = new window.ResizeObserver(check);
  observer.observe(box);
  observer.observe(table);
  return box;
};

/**
 * @typedef {{ label: string, num?: boolean }} Column
 * @typedef {{ key: string, signature: string, build: () => HTMLTableRowElement }} Row
 */

/**
 * A table with a caption and column heads, in a wrapper that scrolls sideways when it must.
 * `grid`: every row is a card at any width (for rows with more to say than a line can hold).
 * @param {string} id @param {string} caption @param {readonly Column[]} columns @param {{ grid?: boolean }} [options]
 */
export const tableShell = (id, caption, columns, options = {}) => {
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: options.grid ? 'cards table-grid' : 'cards', attrs: { id } },
    h('caption', { text: caption }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...columns.map((c) => h('th', { class: c.num ? 'num' : '', attrs: { scope: 'col' }, text: c.label })),
      ),
    ),
    tbody,
  );
  return { wrap: scrollBox(table, caption), table, tbody };
};

/**
 * A cell under its column's name; `field` names it for tests (data-field); `wide` takes two columns
 * of a table-grid card.
 * @param {string} label @param {Child | Child[]} content
 * @param {{ num?: boolean, field?: string, class?: string, wide?: boolean }} [options]
 */
export const cell = (label, content, options = {}) =>
  h(
    'td',
    {
      class: [options.num ? 'num' : '', options.wide ? 'table-wide' : '', options.class ?? ''].join(' ').trim(),
      data: { label, ...(options.field ? { field: options.field } : {}) },
    },
    // One box for the content, so that a card's label stays beside all of it.
    h('div', {}, ...(Array.isArray(content) ? content : [content])),
  );

/**
 * Makes `tbody` hold exactly `rows`, in order: a row whose key and signature are unchanged keeps
 * its element; the others are built anew. `empty` shows when there are no rows.
 * @param {HTMLTableSectionElement} tbody @param {readonly Row[]} rows @param {string} empty
 */
export const syncRows = (tbody, rows, empty) => {
  /** @type {Map<string, HTMLTableRowElement>} */
  const existing = new Map();
  for (const tr of tbody.rows) if (tr.dataset.key !== undefined) existing.set(tr.dataset.key, tr);
  const next = rows.map((row) => {
    const old = existing.get(row.key);
    if (old !== undefined && old.dataset.signature === row.signature) return old;
    const tr = row.build();
    // A redrawn row keeps the <details> its reader opened (matched by data-keep).
    if (old !== undefined)
      for (const open of old.querySelectorAll('details[open][data-keep]'))
        tr.querySelector(`details[data-keep="${/** @type {HTMLElement} */ (open).dataset.keep}"]`)?.setAttribute(
          'open',
          '',
        );
    tr.dataset.key = row.key;
    tr.dataset.signature = row.signature;
    return tr;
  });
  if (next.length === 0) {
    const columns = tbody.parentElement?.querySelectorAll('thead th').length ?? 1;
    next.push(h('tr', {}, h('td', { class: 'muted', attrs: { colspan: String(columns) }, text: empty })));
  }
  // Only touch the DOM where the order or the element changed: focus and open <details> survive.
  next.forEach((tr, index) => {
    if (tbody.rows[index] !== tr) tbody.insertBefore(tr, tbody.rows[index] ?? null);
  });
  while (tbody.rows.length > next.length) tbody.deleteRow(next.length);
};

/**
 * An operator's button; its text is its accessible name ("Resume agent-4").
 * @param {string} label @param {() => void} onClick
 */
export const actionButton = (label, onClick) => {
  const button = h('button', { class: 'action', attrs: { type: 'button' }, text: label });
  button.addEventListener('click', onClick);
  return button;
};

/**
 * A short list of lines (buckets, positions, budgets) inside one cell; `nowrap` keeps each line whole.
 * @param {Child[][]} items @param {{ nowrap?: boolean }} [options]
 */
export const lines = (items, options = {}) =>
  h(
    'ul',
    { class: options.nowrap ? 'table-lines table-nowrap' : 'table-lines' },
    // Parts of a line are separated by a space, where the line may break.
    ...items.map((item) => h('li', {}, ...item.filter(Boolean).flatMap((part, i) => (i === 0 ? [part] : [' ', part])))),
  );
