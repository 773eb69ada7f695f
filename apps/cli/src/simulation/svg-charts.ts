/** Minimal SVG charts for the self-contained report: no library, no external file. */

export interface Line {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartSpec {
  readonly title: string;
  readonly lines: readonly Line[];
  readonly yLabel: (y: number) => string;
  /** The axes' titles, e.g. "day" and "USD". */
  readonly xAxis: string;
  readonly yAxis: string;
  /** The x tick labels (the report's x is days since the start, labelled by date). */
  readonly xTick: (x: number) => string;
  readonly markers?: readonly { readonly x: number; readonly color: string; readonly label: string }[];
  /** Draw the lines as a stack of filled areas (each line already cumulative). */
  readonly stacked?: boolean;
  readonly width?: number;
  readonly height?: number;
}

export const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#db2777'];

/** Text for HTML and SVG, in an element or an attribute. */
export const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escape = escapeHtml;
const fmt = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(2)).toString() : '0');

/** Whole-number ticks from x0 to x1 at a step of 1, 2, 5, 10, … days, at most `most` of them. */
const niceTicks = (x0: number, x1: number, most: number): number[] => {
  const span = Math.max(1, x1 - x0);
  const step = [1, 2, 5, 10, 15, 30, 60, 90, 180, 365].find((s) => span / s <= most) ?? Math.ceil(span / most);
  const ticks: number[] = [];
  for (let x = Math.ceil(x0 / step) * step; x <= x1 + 1e-9; x += step) ticks.push(x);
  return ticks;
};

export const chart = (spec: ChartSpec): string => {
  const width = spec.width ?? 640;
  const height = spec.height ?? 220;
  const pad = { left: 64, right: 28, top: 28, bottom: 52 };
  const all = spec.lines.flatMap((l) => l.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  const [y0, y1] = [Math.min(...ys, 0), Math.max(...ys, 1e-9)];
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0 || 1)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0 || 1)) * (height - pad.top - pad.bottom);
  const path = (points: Line['points']) =>
    points.map((p, i) => `${i ? 'L' : 'M'}${fmt(sx(p[0]))},${fmt(sy(p[1]))}`).join('');
  const shapes = spec.lines
    .map((l) =>
      spec.stacked && l.points.length > 0
        ? `<path d="${path(l.points)}L${fmt(sx(l.points[l.points.length - 1]![0]))},${fmt(sy(y0))}` +
          `L${fmt(sx(l.points[0]![0]))},${fmt(sy(y0))}Z" fill="${l.color}" fill-opacity="0.55" stroke="${l.color}">` +
          `<title>${escape(l.name)}</title></path>`
        : `<path d="${path(l.points)}" fill="none" stroke="${l.color}" stroke-width="1.5"><title>${escape(l.name)}</title></path>`,
    )
    .join('');
  // Trips at the same time sit side by side, not on top of each other, so each can be seen and hovered.
  const seen = new Map<string, number>();
  const markers = (spec.markers ?? [])
    .map((m) => {
      const cx = fmt(sx(m.x));
      const nth = seen.get(cx) ?? 0;
      seen.set(cx, nth + 1);
      return (
        `<circle cx="${fmt(sx(m.x) + nth * 9)}" cy="${pad.top - 8}" r="4" fill="${m.color}">` +
        `<title>${escape(m.label)}</title></circle>`
      );
    })
    .join('');
  const ticks = [y0, (y0 + y1) / 2, y1]
    .map(
      (y) =>
        `<text x="${pad.left - 6}" y="${fmt(sy(y) + 4)}" text-anchor="end" font-size="10">` +
        `${escape(spec.yLabel(y))}</text>` +
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${fmt(sy(y))}" y2="${fmt(sy(y))}" stroke="#e5e7eb"/>`,
    )
    .join('');
  const xTicks = niceTicks(x0, x1, Math.max(2, Math.floor((width - pad.left - pad.right) / 70)))
    .map(
      (x) =>
        `<line x1="${fmt(sx(x))}" x2="${fmt(sx(x))}" y1="${height - pad.bottom}" ` +
        `y2="${height - pad.bottom + 4}" stroke="#6b7280"/>` +
        `<text x="${fmt(sx(x))}" y="${height - pad.bottom + 14}" text-anchor="middle" font-size="10">` +
        `${escape(spec.xTick(x))}</text>`,
    )
    .join('');
  const axes =
    `<g class="axes">` +
    `<line x1="${pad.left}" x2="${width - pad.right}" ` +
    `y1="${height - pad.bottom}" y2="${height - pad.bottom}" stroke="#6b7280"/>` +
    `<line x1="${pad.left}" x2="${pad.left}" y1="${pad.top}" y2="${height - pad.bottom}" stroke="#6b7280"/>${xTicks}` +
    `<text class="x-axis-label" x="${fmt((pad.left + width - pad.right) / 2)}" y="${height - pad.bottom + 27}" ` +
    `text-anchor="middle" font-size="10" fill="#374151">${escape(spec.xAxis)}</text>` +
    `<text class="y-axis-label" transform="translate(12 ${fmt((pad.top + height - pad.bottom) / 2)}) rotate(-90)" ` +
    `text-anchor="middle" font-size="10" fill="#374151">${escape(spec.yAxis)}</text></g>`;
  const step = Math.min(110, (width - pad.left - pad.right) / Math.max(1, spec.lines.length));
  const legend = spec.lines
    .map(
      (l, i) =>
        `<text x="${fmt(pad.left + i * step)}" y="${height - 6}" font-size="10" fill="${l.color}">■ ${escape(l.name)}</text>`,
    )
    .join('');
  return (
    `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(spec.title)}">` +
    `<text x="${pad.left}" y="14" font-size="12" font-weight="bold">${escape(spec.title)}</text>` +
    `${ticks}${axes}${shapes}${markers}${legend}</svg></figure>`
  );
};
