// SVG charts of the Estimate page, on d3's scales (d3-scale: nice domains, ticks and their labels): a histogram (with an
// optional second distribution over it, for a scenario) and the sensitivity tornado. Preact draws the elements;
// colours are presentation attributes, which the CSP allows (Observable Plot would add an inline <style>).
import { scaleLinear } from 'd3-scale';
import type { OutputView } from './protocol';

export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}B`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return a >= 1 || a === 0 ? x.toPrecision(3) : x.toPrecision(2);
}

const INK = '#1b1f24';
const BASE = '#2a7ab8';
const OTHER = 'rgba(209, 36, 47, 0.55)';

export function Histogram({ name, base, other }: { name: string; base: OutputView; other?: OutputView }) {
  const W = 360;
  const H = 130;
  const AXIS = 18;
  const x = scaleLinear()
    .domain([Math.min(base.lo, other?.lo ?? base.lo), Math.max(base.hi, other?.hi ?? base.hi)])
    .range([4, W - 4])
    .nice();
  // Each distribution is scaled to its own peak, so a scenario with a wider spread is still visible.
  const bars = (v: OutputView, fill: string) => {
    const total = v.bins.reduce((a, b) => a + b, 0) || 1;
    const y = scaleLinear()
      .domain([0, Math.max(...v.bins) / total || 1])
      .range([H - AXIS, 4]);
    const step = (v.hi - v.lo) / v.bins.length;
    return v.bins.map((b, i) => {
      const x0 = x(v.lo + i * step);
      const top = y(b / total);
      return (
        <rect
          key={`${fill}${i}`}
          x={x0}
          y={top}
          width={Math.max(x(v.lo + (i + 1) * step) - x0 - 0.5, 0.5)}
          height={H - AXIS - top}
          fill={fill}
        />
      );
    });
  };
  const median = x(base.p50);
  // Counts read as SI (140k, 1.5M), shares as decimals (0.2), as the summary table shows them.
  const label = x.tickFormat(5, Math.max(...x.domain().map(Math.abs)) >= 1e4 ? '~s' : undefined);
  const ticks = x.ticks(5);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`distribution of ${name}`}>
      {bars(base, BASE)}
      {other && bars(other, OTHER)}
      <line x1={median} x2={median} y1={0} y2={H - AXIS} stroke="#14213d" stroke-dasharray="3 2" />
      <line x1={0} x2={W} y1={H - AXIS} y2={H - AXIS} stroke={INK} />
      {ticks.map((t, i) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={H - AXIS} y2={H - AXIS + 4} stroke={INK} />
          <text x={x(t)} y={H - 3} font-size="10" text-anchor={edgeAnchor(i, ticks.length)} fill={INK}>
            {t === 0 ? '0' : label(t)}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** The first and last tick labels align inside the chart, the others centre on their tick. */
function edgeAnchor(i: number, n: number): 'start' | 'middle' | 'end' {
  return i === 0 ? 'start' : i === n - 1 ? 'end' : 'middle';
}

export function Tornado({ rows }: { rows: { input: string; spearman: number }[] }) {
  const top = rows.slice(0, 8);
  const W = 360;
  const row = 18;
  const AXIS = 16;
  const height = top.length * row + AXIS;
  // Rank correlations run from -1 to 1; the labels take the left part of the chart.
  const x = scaleLinear()
    .domain([-1, 1])
    .range([150, W - 36]);
  return (
    <svg viewBox={`0 0 ${W} ${height}`} width={W} height={height} role="img" aria-label="sensitivity tornado">
      {top.map((r, i) => (
        <g key={r.input}>
          <text x={x(-1) - 6} y={i * row + 13} font-size="11" text-anchor="end" fill={INK}>
            {r.input}
          </text>
          <rect
            x={Math.min(x(0), x(r.spearman))}
            y={i * row + 3}
            width={Math.abs(x(r.spearman) - x(0))}
            height={row - 6}
            fill={r.spearman >= 0 ? BASE : '#d1242f'}
          />
          <text x={W - 2} y={i * row + 13} font-size="10" text-anchor="end" fill={INK}>
            {r.spearman.toFixed(2)}
          </text>
        </g>
      ))}
      <line x1={x(0)} x2={x(0)} y1={0} y2={top.length * row} stroke="#14213d" />
      {x.ticks(4).map((t) => (
        <text key={t} x={x(t)} y={height - 3} font-size="10" text-anchor="middle" fill={INK}>
          {t}
        </text>
      ))}
    </svg>
  );
}
