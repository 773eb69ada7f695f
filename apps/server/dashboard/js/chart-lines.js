// @ts-check
// Line charts with uPlot (loaded by a classic script as the global `uPlot`): time on x, one or more
// series, horizontal threshold lines (the policy's ladder, fear and greed, funding) and optional
// background bands (the allocation mode in force), all drawn in a draw hook since CSP forbids inline styles.

const PALETTE = ['#2563eb', '#16a34a', '#f59e0b', '#7c3aed', '#db2777', '#0891b2'];

/**
 * @typedef {{ label: string, values: (number | null)[] }} Series
 * @typedef {{ value: number, label: string }} Threshold
 * @typedef {{ from: number, to: number, color: string }} Band  x range in seconds
 * @typedef {{ title: string, xs: number[], series: Series[], thresholds?: Threshold[], bands?: Band[],
 *   format?: (v: number) => string }} LineChart
 */

/** Width of the chart's container, so it fits a 390 px phone and a 1280 px screen alike. */
const widthOf = (/** @type {HTMLElement} */ box) => Math.max(280, Math.min(box.clientWidth || 600, 1150));

/**
 * A uPlot chart in `box`, or the same chart given new data (uPlot keeps zoom and legend).
 * @param {HTMLElement} box @param {LineChart} chart @param {any} [existing]
 * @returns {any} the uPlot instance
 */
export const drawLines = (box, chart, existing) => {
  const data = [chart.xs, ...chart.series.map((s) => s.values)];
  if (existing !== undefined && existing.series.length === data.length) {
    existing.__chart = chart;
    existing.setData(data);
    return existing;
  }
  existing?.destroy();
  const format = chart.format ?? ((/** @type {number} */ v) => v.toLocaleString('en-US'));
  // uPlot draws its axes black on the canvas: take the page's text colour instead, so that they read in
  // the dark colour scheme too (the page sets color-scheme: light dark).
  const ink = window.getComputedStyle(box).color || '#000';
  const axis = {
    stroke: ink,
    grid: { stroke: 'rgba(128, 128, 128, 0.2)' },
    ticks: { stroke: 'rgba(128, 128, 128, 0.4)' },
  };
  /** @type {{ current: any }} */
  const plotRef = { current: undefined };
  /** @type {any} */
  const opts = {
    title: chart.title,
    width: widthOf(box),
    height: 200,
    series: [
      {},
      ...chart.series.map((s, i) => ({
        label: s.label,
        stroke: PALETTE[i % PALETTE.length],
        width: 1.5,
        value: (/** @type {any} */ _u, /** @type {number | null} */ v) => (v === null ? '–' : format(v)),
      })),
    ],
    scales: {
      // The thresholds stay in view even when the data is far from them: where it stands against them is the point.
      y: {
        range: (/** @type {any} */ _u, /** @type {number} */ min, /** @type {number} */ max) => {
          /** @type {LineChart} */
          const current = plotRef.current?.__chart ?? chart;
          const marks = (current.thresholds ?? []).map((t) => t.value);
          const lo = Math.min(min, ...marks);
          const hi = Math.max(max, ...marks);
          const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
          return [lo - pad, hi + pad];
        },
      },
    },
    axes: [
      axis,
      { ...axis, size: 70, values: (/** @type {any} */ _u, /** @type {number[]} */ ticks) => ticks.map(format) },
    ],
    hooks: {
      drawClear: [(/** @type {any} */ u) => drawBands(u)],
      draw: [(/** @type {any} */ u) => drawThresholds(u)],
    },
  };
  const plot = new uPlot(opts, /** @type {any} */ (data), box);
  // The legend is a table (the series' values under the cursor): it gets a name like every table here.
  plot.root.querySelector('table')?.setAttribute('aria-label', `Legend of ${chart.title}`);
  /** @type {any} */ (plot).__chart = chart;
  plotRef.current = plot;
  return plot;
};

/** @param {any} u */
const drawBands = (u) => {
  /** @type {LineChart} */
  const chart = u.__chart;
  if (chart?.bands === undefined) return;
  const { ctx, bbox } = u;
  ctx.save();
  for (const band of chart.bands) {
    const x0 = u.valToPos(band.from, 'x', true);
    const x1 = u.valToPos(band.to, 'x', true);
    ctx.fillStyle = band.color;
    ctx.fillRect(x0, bbox.top, Math.max(1, x1 - x0), bbox.height);
  }
  ctx.restore();
};

/** @param {any} u */
const drawThresholds = (u) => {
  /** @type {LineChart} */
  const chart = u.__chart;
  if (chart?.thresholds === undefined) return;
  const { ctx, bbox } = u;
  ctx.save();
  // The stylesheet's "bad" tone: dark red in the light scheme, light red in the dark one.
  const tone = window.getComputedStyle(u.root).getPropertyValue('--bad').trim() || '#b91c1c';
  ctx.strokeStyle = tone;
  ctx.fillStyle = tone;
  ctx.setLineDash([4, 4]);
  ctx.font = `${11 * window.devicePixelRatio}px system-ui`;
  // Labels at the right end, clear of the y axis's numbers (uPlot leaves its own text alignment set).
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  for (const t of chart.thresholds) {
    const y = u.valToPos(t.value, 'y', true);
    if (y < bbox.top || y > bbox.top + bbox.height) continue;
    ctx.beginPath();
    ctx.moveTo(bbox.left, y);
    ctx.lineTo(bbox.left + bbox.width, y);
    ctx.stroke();
    ctx.fillText(t.label, bbox.left + bbox.width - 4, y - 2);
  }
  ctx.restore();
};
