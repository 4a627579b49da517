// SVG charts of the Estimate page: a histogram (with an optional second distribution over it, for a scenario)
// and the sensitivity tornado. Colours are presentation attributes, which the CSP allows.
import type { OutputView } from './protocol';

export function fmt(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}B`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return a >= 1 || a === 0 ? x.toPrecision(3) : x.toPrecision(2);
}

export function Histogram({ name, base, other }: { name: string; base: OutputView; other?: OutputView }) {
  const W = 360;
  const H = 120;
  const lo = Math.min(base.lo, other?.lo ?? base.lo);
  const hi = Math.max(base.hi, other?.hi ?? base.hi);
  const span = hi - lo || 1;
  const bars = (v: OutputView, fill: string) => {
    const total = v.bins.reduce((a, b) => a + b, 0) || 1;
    const w = ((v.hi - v.lo) / span) * (W / v.bins.length);
    const peak = Math.max(...v.bins) / total || 1;
    return v.bins.map((b, i) => {
      const h = (b / total / peak) * (H - 20);
      const x = ((v.lo - lo) / span) * W + i * w;
      return <rect key={`${fill}${i}`} x={x} y={H - 16 - h} width={Math.max(w - 0.5, 0.5)} height={h} fill={fill} />;
    });
  };
  const median = ((base.p50 - lo) / span) * W;
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`distribution of ${name}`}>
      {bars(base, '#2a7ab8')}
      {other && bars(other, 'rgba(209, 36, 47, 0.55)')}
      <line x1={median} x2={median} y1={0} y2={H - 16} stroke="#14213d" stroke-dasharray="3 2" />
      <text x={2} y={H - 3} font-size="10" fill="#1b1f24">
        {fmt(lo)}
      </text>
      <text x={W - 2} y={H - 3} font-size="10" text-anchor="end" fill="#1b1f24">
        {fmt(hi)}
      </text>
    </svg>
  );
}

export function Tornado({ rows }: { rows: { input: string; spearman: number }[] }) {
  const top = rows.slice(0, 8);
  const W = 360;
  const row = 18;
  const mid = 200;
  return (
    <svg
      viewBox={`0 0 ${W} ${top.length * row + 4}`}
      width={W}
      height={top.length * row + 4}
      role="img"
      aria-label="sensitivity tornado"
    >
      {top.map((r, i) => {
        const len = Math.abs(r.spearman) * (W - mid - 4);
        return (
          <g key={r.input}>
            <text x={mid - 6} y={i * row + 13} font-size="11" text-anchor="end" fill="#1b1f24">
              {r.input}
            </text>
            <rect
              x={r.spearman >= 0 ? mid : mid - len}
              y={i * row + 3}
              width={len}
              height={row - 6}
              fill={r.spearman >= 0 ? '#2a7ab8' : '#d1242f'}
            />
            <text x={W - 2} y={i * row + 13} font-size="10" text-anchor="end" fill="#1b1f24">
              {r.spearman.toFixed(2)}
            </text>
          </g>
        );
      })}
      <line x1={mid} x2={mid} y1={0} y2={top.length * row} stroke="#14213d" />
    </svg>
  );
}
