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
  readonly markers?: readonly { readonly x: number; readonly color: string; readonly label: string }[];
  /** Draw the lines as a stack of filled areas (each line already cumulative). */
  readonly stacked?: boolean;
  readonly width?: number;
  readonly height?: number;
}

export const PALETTE = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2', '#4b5563', '#db2777'];

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(2)).toString() : '0');

export const chart = (spec: ChartSpec): string => {
  const width = spec.width ?? 640;
  const height = spec.height ?? 220;
  const pad = { left: 64, right: 12, top: 28, bottom: 26 };
  const all = spec.lines.flatMap((l) => l.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs, 0), Math.max(...xs, 1)];
  const [y0, y1] = [Math.min(...ys, 0), Math.max(...ys, 1e-9)];
  const sx = (x: number) => pad.left + ((x - x0) / (x1 - x0 || 1)) * (width - pad.left - pad.right);
  const sy = (y: number) => height - pad.bottom - ((y - y0) / (y1 - y0 || 1)) * (height - pad.top - pad.bottom);
  const path = (points: Line['points']) => points.map((p, i) => `${i ? 'L' : 'M'}${fmt(sx(p[0]))},${fmt(sy(p[1]))}`).join('');
  const shapes = spec.lines
    .map((l) =>
      spec.stacked && l.points.length > 0
        ? `<path d="${path(l.points)}L${fmt(sx(l.points[l.points.length - 1]![0]))},${fmt(sy(y0))}L${fmt(sx(l.points[0]![0]))},${fmt(sy(y0))}Z" fill="${l.color}" fill-opacity="0.55" stroke="${l.color}"><title>${escape(l.name)}</title></path>`
        : `<path d="${path(l.points)}" fill="none" stroke="${l.color}" stroke-width="1.5"><title>${escape(l.name)}</title></path>`,
    )
    .join('');
  const markers = (spec.markers ?? []).map((m) => `<circle cx="${fmt(sx(m.x))}" cy="${pad.top - 8}" r="4" fill="${m.color}"><title>${escape(m.label)}</title></circle>`).join('');
  const ticks = [y0, (y0 + y1) / 2, y1].map((y) => `<text x="${pad.left - 6}" y="${fmt(sy(y) + 4)}" text-anchor="end" font-size="10">${escape(spec.yLabel(y))}</text><line x1="${pad.left}" x2="${width - pad.right}" y1="${fmt(sy(y))}" y2="${fmt(sy(y))}" stroke="#e5e7eb"/>`).join('');
  const step = Math.min(110, (width - pad.left - pad.right) / Math.max(1, spec.lines.length));
  const legend = spec.lines.map((l, i) => `<text x="${fmt(pad.left + i * step)}" y="${height - 6}" font-size="10" fill="${l.color}">■ ${escape(l.name)}</text>`).join('');
  return `<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escape(spec.title)}"><text x="${pad.left}" y="14" font-size="12" font-weight="bold">${escape(spec.title)}</text>${ticks}${shapes}${markers}${legend}</svg></figure>`;
};
