// SVG chart of overlaid smoothed densities (several outputs or scenarios), each with p5/p50/p95 markers
// and a legend; log x axis (densities of log10 x) when the values span more than two decades.

import { fromAxis, toAxis } from './bins.js';
import { densityOn, sharedAxis } from './density.js';
import { humanNumber, tickLabel, truncate } from './format.js';
import type { LogMode } from './plan.js';
import { subsample } from './stats.js';
import { colour, n2, svgDoc, text, textWidth } from './svg.js';
import { linearTicks, logTicks } from './ticks.js';

export interface DensitySeries {
  name: string;
  samples: Float64Array;
  p5: number;
  p50: number;
  p95: number;
}

export interface DensitySvgOptions {
  title?: string;
  width?: number;
  height?: number;
  logX?: LogMode;
  xLabel?: string;
}

/** Layout constants (pixels); exported so tests can compute where a value must be drawn. */
export const DENSITY_LAYOUT = { left: 56, right: 28, titleHeight: 40, legendRow: 20, bottom: 58 } as const;

export function densitySvg(series: readonly DensitySeries[], opts: DensitySvgOptions = {}): string {
  const L = DENSITY_LAYOUT;
  const width = Math.max(320, Math.min(4000, Math.round(opts.width ?? 760)));
  const title = opts.title ?? 'Distribution';
  const top = L.titleHeight + Math.max(1, series.length) * L.legendRow + 12;
  // The default height grows with the legend so that many series do not shrink the plot.
  const defaultHeight = 440 + Math.max(0, series.length - 2) * L.legendRow;
  const height = Math.max(top + L.bottom + 120, Math.min(4000, Math.round(opts.height ?? defaultHeight)));
  const plotW = width - L.left - L.right;
  const plotH = height - top - L.bottom;
  const body: string[] = [
    text(L.left, 26, title, { size: 16, weight: 'bold', fill: '#222222' }),
    text(width - L.right, top - 6, 'solid line: median · dashed: 5th and 95th percentiles', {
      anchor: 'end',
      size: 11,
      fill: '#777777',
    }),
  ];

  const subs = series.map((s) => subsample(s.samples));
  const { axis, note } = sharedAxis(subs, opts.logX ?? 'auto');
  const curves = series.map((s, i) => densityOn(s.samples, axis, subs[i]));
  let ymax = 0;
  for (const c of curves) for (const y of c.ys) if (y > ymax) ymax = y;
  ymax = ymax > 0 ? ymax * 1.08 : 1;

  const px = (t: number): number => L.left + ((t - axis.lo) / (axis.hi - axis.lo)) * plotW;
  const py = (d: number): number => top + plotH - (d / ymax) * plotH;
  const base = top + plotH;

  // Frame, grid and x ticks.
  body.push(
    `<rect class="plot-area" x="${L.left}" y="${top}" width="${plotW}" height="${plotH}" fill="#fcfcfc" ` +
      `stroke="#d0d0d0" data-log="${axis.log}" data-lo="${fromAxis(axis, axis.lo)}" ` +
      `data-hi="${fromAxis(axis, axis.hi)}"/>`,
  );
  const ticks = axis.log
    ? logTicks(axis.lo, axis.hi, Math.floor(plotW / 70))
    : linearTicks(axis.lo, axis.hi, Math.floor(plotW / 80));
  for (const v of ticks) {
    const x = px(toAxis(axis, v));
    if (x < L.left - 0.5 || x > L.left + plotW + 0.5) continue;
    body.push(`<line x1="${n2(x)}" y1="${top}" x2="${n2(x)}" y2="${base + 5}" stroke="#e4e4e4" stroke-width="1"/>`);
    body.push(text(x, base + 20, tickLabel(v), { anchor: 'middle', fill: '#444444', cls: 'tick' }));
  }
  const xl = opts.xLabel ? `${opts.xLabel} — ` : '';
  const xText = axis.log
    ? `${xl}log scale (curves are densities of log₁₀ x)`
    : note
      ? `${xl}${note}`
      : (opts.xLabel ?? '');
  if (xText) body.push(text(L.left + plotW / 2, height - 14, xText, { anchor: 'middle', fill: '#333333', size: 13 }));
  body.push(
    text(20, top + plotH / 2, axis.log ? 'density of log₁₀ x' : 'probability density', {
      anchor: 'middle',
      rotate: -90,
      size: 13,
    }),
  );

  // Curves: translucent fill under a solid line; then markers on top of all fills.
  const step = plotW / (curves[0]?.ys.length ?? 1);
  curves.forEach((c, i) => {
    if (c.inside === 0) return;
    const pts: string[] = [];
    for (let k = 0; k < c.ys.length; k++) pts.push(`${n2(L.left + (k + 0.5) * step)},${n2(py(c.ys[k]))}`);
    const line = `M${pts.join('L')}`;
    const area = `${line}L${n2(L.left + plotW - step / 2)},${base}L${n2(L.left + step / 2)},${base}Z`;
    body.push(`<path d="${area}" fill="${colour(i)}" fill-opacity="0.14" stroke="none"/>`);
    body.push(
      `<path class="curve" d="${line}" fill="none" stroke="${colour(i)}" stroke-width="2" stroke-linejoin="round"/>`,
    );
  });
  series.forEach((s, i) => {
    for (const [q, v] of [
      ['p5', s.p5],
      ['p50', s.p50],
      ['p95', s.p95],
    ] as const) {
      if (!Number.isFinite(v) || (axis.log && v <= 0)) continue;
      const t = toAxis(axis, v);
      if (t < axis.lo || t > axis.hi) continue;
      const x = px(t);
      const k = Math.min(
        curves[i].ys.length - 1,
        Math.max(0, Math.floor(((t - axis.lo) / (axis.hi - axis.lo)) * curves[i].ys.length)),
      );
      const yTop = Math.min(base - 10, py(curves[i].ys[k]));
      const dash = q === 'p50' ? '' : ' stroke-dasharray="5 3"';
      body.push(
        `<line class="marker" data-series="${i}" data-quantile="${q}" x1="${n2(x)}" y1="${base}" x2="${n2(x)}" ` +
          `y2="${n2(yTop)}" stroke="${colour(i)}" stroke-width="${q === 'p50' ? 2 : 1.5}"${dash}/>`,
      );
    }
  });

  if (!curves.some((c) => c.inside > 0)) {
    body.push(
      text(L.left + plotW / 2, top + plotH / 2, 'no samples to show', { anchor: 'middle', size: 14, fill: '#888888' }),
    );
  }

  // Legend: swatch, name, and the three quantiles in a column aligned after the longest name.
  const names = series.map((s) => truncate(s.name, 48));
  const statsX = L.left + 22 + Math.max(0, ...names.map((nm) => textWidth(nm, 13))) + 18;
  series.forEach((s, i) => {
    const y = L.titleHeight + i * L.legendRow + 8;
    body.push(`<rect x="${L.left}" y="${y - 10}" width="14" height="10" rx="2" fill="${colour(i)}"/>`);
    const stats = `p50 ${humanNumber(s.p50, 3)}   (90%: ${humanNumber(s.p5, 3)} – ${humanNumber(s.p95, 3)})`;
    const outside =
      curves[i].inside < 0.99 && curves[i].inside > 0
        ? `   ${((1 - curves[i].inside) * 100).toFixed(1)}% beyond the axis`
        : '';
    const empty = curves[i].inside === 0 ? '   (no samples in range)' : '';
    body.push(text(L.left + 22, y, names[i], { size: 13, fill: '#222222', cls: 'legend-name' }));
    body.push(text(statsX, y, stats + outside + empty, { size: 12, fill: '#555555' }));
  });
  return svgDoc(width, height, title, body);
}
