// @ts-check
// How the dashboard writes amounts, ratios, prices and times. The API sends money as decimal strings
// (exact); these turn them into text for a person to read. Number() is enough here: a display rounds
// to cents, far above a double's error for any balance the engine holds, and nothing is computed back.

const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const PRICE = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 6 });

/** @param {string | number | undefined} value */
const num = (value) => (value === undefined ? NaN : Number(value));

/** An amount in USD with cents: "1,234.56"; "—" when absent. @param {string | number | undefined} amount */
export const money = (amount) => (Number.isFinite(num(amount)) ? MONEY.format(num(amount)) : '—');

/** An amount with its sign, for P&L: "+12.30", "−4.00". @param {string | number | undefined} amount */
export const signedMoney = (amount) => {
  const n = num(amount);
  if (!Number.isFinite(n)) return '—';
  return `${n > 0 ? '+' : n < 0 ? '−' : ''}${MONEY.format(Math.abs(n))}`;
};

/** A fraction as a percentage: "0.0513" → "5.13%". @param {string | number | undefined} ratio @param {number} [digits] */
export const percent = (ratio, digits = 2) => {
  const n = num(ratio);
  return Number.isFinite(n) ? `${(n * 100).toFixed(digits)}%` : '—';
};

/** A signed percentage (drift): "+0.88%", "−0.57%". @param {string | number | undefined} ratio */
export const signedPercent = (ratio) => {
  const n = num(ratio);
  if (!Number.isFinite(n)) return '—';
  return `${n > 0 ? '+' : n < 0 ? '−' : ''}${Math.abs(n * 100).toFixed(2)}%`;
};

/** A market price or quantity, six significant digits. @param {string | number | undefined} value */
export const price = (value) => (Number.isFinite(num(value)) ? PRICE.format(num(value)) : '—');

/** An instant (ms since the epoch) in UTC, minutes precision: "2026-11-28 14:05". @param {number | undefined} ms */
export const instant = (ms) =>
  ms === undefined || !Number.isFinite(ms) ? '—' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

/**
 * An instant compactly, for a column of many (the event tail): "11-27 21:12:05" in UTC, the year left
 * out (the full instant goes in a title and a datetime attribute beside it). @param {number} ms
 */
export const clock = (ms) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(5, 19).replace('T', ' ') : '—');

/**
 * How far an instant is from now, in words: "in 3 h 20 min", "12 min ago". Rough on purpose: it
 * helps to see what is close, the exact instant sits beside it.
 * @param {number} ms @param {number} [now]
 */
export const fromNow = (ms, now = Date.now()) => {
  const delta = ms - now;
  const minutes = Math.round(Math.abs(delta) / 60_000);
  const text =
    minutes < 60
      ? `${minutes} min`
      : minutes < 48 * 60
        ? `${Math.floor(minutes / 60)} h ${minutes % 60} min`
        : `${Math.round(minutes / (24 * 60))} d`;
  return delta >= 0 ? `in ${text}` : `${text} ago`;
};
