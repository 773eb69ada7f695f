// @ts-check
// A treasury's breaker history (the breaker-history read model) in one cell: a strip with a mark per
// entry placed by its time, and a list of the trips and resumes with their numbers. Refused commands
// are many and alike, so they are counted by code rather than listed one by one.
import { instant, percent, money } from './format-money.js';
import { h } from './table-render.js';

/** @typedef {{ position: number, type: string, at: number, details: any }} BreakerEntry */

/** How bad each entry is: the class of its mark and line. */
const TONE = /** @type {Record<string, string>} */ ({
  RiskHalted: 'bad',
  TradingHalted: 'bad',
  RiskPaused: 'warn',
  CasinoSessionStopped: 'warn',
  ReserveFloorBreached: 'warn',
  RiskResumed: 'ok',
  TradingResumed: 'ok',
  CommandRejected: 'muted',
});

/** The numbers that say why, per entry type. @param {BreakerEntry} e */
const why = (e) => {
  const d = e.details ?? {};
  switch (e.type) {
    case 'RiskHalted':
      return `drawdown ${percent(d.drawdown)} (equity ${money(d.equity)}, peak ${money(d.peak)})`;
    case 'TradingHalted':
      return `trading drawdown ${percent(d.drawdown)} (value ${money(d.value)}, peak ${money(d.peak)})`;
    case 'RiskPaused':
      return `daily loss ${percent(d.lossRatio)} until ${instant(d.until)}`;
    case 'RiskResumed':
    case 'TradingResumed':
      return `by ${d.operator ?? d.by ?? '?'}${d.note ? ` (${d.note})` : ''}`;
    case 'ReserveFloorBreached':
      return `reserve ${money(d.reserve)} < floor ${money(d.floor)}`;
    case 'CasinoSessionStopped':
      return d.reason ?? '';
    default:
      return '';
  }
};

/** @param {readonly BreakerEntry[]} entries */
const refusalCounts = (entries) => {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const e of entries)
    if (e.type === 'CommandRejected') counts.set(e.details?.code ?? '?', (counts.get(e.details?.code ?? '?') ?? 0) + 1);
  return [...counts].map(([code, n]) => `${code} ×${n}`).join(', ');
};

/**
 * The strip: marks placed by time between the first entry and `until` (the treasury's last event).
 * Positions are set from JS (element.style), which the Content-Security-Policy allows.
 * @param {readonly BreakerEntry[]} entries @param {number} until
 */
const strip = (entries, until) => {
  const from = entries[0].at;
  const span = Math.max(until, entries[entries.length - 1].at) - from || 1;
  const line = h('div', { class: 'table-timeline', attrs: { 'aria-hidden': 'true' } });
  for (const e of entries) {
    const mark = h('span', { class: `table-mark ${TONE[e.type] ?? 'muted'}`, title: `${instant(e.at)} ${e.type}` });
    mark.style.left = `${(((e.at - from) / span) * 100).toFixed(2)}%`;
    line.append(mark);
  }
  return line;
};

/**
 * The breaker cell's content: trips count, strip and the list in a <details>.
 * @param {string} treasuryId @param {readonly BreakerEntry[]} entries @param {number} trips @param {number} until
 */
export const breakerTimeline = (treasuryId, entries, trips, until) => {
  if (entries.length === 0) return h('span', { class: 'muted', text: trips === 0 ? 'no trips' : `${trips} trips` });
  const events = entries.filter((e) => e.type !== 'CommandRejected').reverse();
  const refused = refusalCounts(entries);
  const last = entries[entries.length - 1];
  return h(
    'div',
    {},
    strip(entries, until),
    h(
      'details',
      { data: { keep: 'breakers' } },
      h('summary', {
        text: `${trips} ${trips === 1 ? 'trip' : 'trips'}, last ${last.type} ${instant(last.at)}`,
        attrs: { 'aria-label': `Breaker history of ${treasuryId}` },
      }),
      h(
        'ol',
        { class: 'table-lines' },
        ...events
          .slice(0, 20)
          .map((e) =>
            h(
              'li',
              {},
              h('span', { class: 'muted', text: instant(e.at) }),
              ' ',
              h('span', { class: TONE[e.type] ?? '', text: e.type }),
              ` ${why(e)}`,
            ),
          ),
        refused && h('li', { class: 'muted', text: `refused: ${refused}` }),
      ),
    ),
  );
};
