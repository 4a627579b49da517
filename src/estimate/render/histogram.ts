// Terminal histogram of a sample set: vertical bars in Unicode eighth-blocks (or ASCII), a count axis,
// nicely labelled x ticks and a line saying what was left out. O(n): one binning pass, no sort of n.

import { type Axis, type Binned, binSamples, fromAxis, toAxis } from './bins.js';
import { groupedInt, humanNumber, percent, tickLabel, wrap } from './format.js';
import { chooseLog, type LogMode, planAxis } from './plan.js';
import { scan, subsample } from './stats.js';
import { linearTicks, logTicks } from './ticks.js';

export interface TerminalHistogramOptions {
  /** Total width in columns (default 80). */
  width?: number;
  /** Number of bins (default: one per plot column, fewer for small n: max(10, 2·n^(1/3))). */
  bins?: number;
  /** Bar rows (default 7, so the whole chart stays within ~12 lines). */
  height?: number;
  label?: string;
  /** Unicode blocks and box drawing (default true); false gives plain ASCII. */
  unicode?: boolean;
  /** Log x axis: true, false, or 'auto' (default: when positive and the central 99% spans > 2 decades). */
  logScale?: LogMode;
}

const BLOCKS = [' ', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** The central 99% sets the range, so a few extreme samples cannot squash the picture. */
const P_LO = 0.005;
const P_HI = 0.995;
/** How far beyond the range (as a share of its span) samples count as the data's edge, not outliers. */
const REACH = 0.05;

/** What the histogram shows, before drawing: exposed for tests and for callers wanting the numbers. */
export interface HistogramData {
  n: number;
  /** Set when every finite sample has the same value (nothing to bin). */
  constant?: number;
  axis: Axis | null;
  binned: Binned | null;
  notes: string[];
}

export function histogramData(samples: Float64Array, bins: number, mode: LogMode = 'auto'): HistogramData {
  const n = samples.length;
  const notes: string[] = [];
  const sub = subsample(samples);
  if (sub.length === 0) return { n, axis: null, binned: null, notes };
  const choice = chooseLog(sub, mode);
  if (choice.note) notes.push(choice.note);
  let axis = planAxis(sub, choice.log, P_LO, P_HI);
  if (axis === null) {
    // The subsample has no spread: either the data is constant or nearly so; look at all of it.
    const s = scan(samples);
    if (!(s.max > s.min)) return { n, constant: s.min, axis: null, binned: null, notes };
    const log = choice.log && s.min > 0;
    axis = { log, lo: log ? Math.log10(s.min) : s.min, hi: log ? Math.log10(s.max) : s.max };
  }
  let binned = binSamples(samples, axis, bins, REACH * (axis.hi - axis.lo));
  if (axis.log && binned.nonPositive > 0) {
    // The subsample missed some samples ≤ 0: a log axis is not possible after all.
    if (mode === true) notes.push('log scale needs positive samples; showing linear');
    axis = planAxis(sub, false, P_LO, P_HI) ?? linearFromScan(samples);
    binned = binSamples(samples, axis, bins, REACH * (axis.hi - axis.lo));
  }
  ({ axis, binned } = widenToNear(samples, axis, binned, bins));
  const outside = outsideNote(binned, axis, n);
  if (outside) notes.push(outside);
  if (binned.nan > 0) notes.push(`${groupedInt(binned.nan)} NaN samples ignored`);
  return { n, axis, binned, notes };
}

export function terminalHistogram(samples: Float64Array, opts: TerminalHistogramOptions = {}): string {
  const width = clampInt(opts.width ?? 80, 24, 1000);
  const height = clampInt(opts.height ?? 7, 1, 200);
  const unicode = opts.unicode ?? true;
  const n = samples.length;
  const head = (extra: string): string => (opts.label ? `${opts.label}  (${extra})` : extra);
  if (n === 0) return head('no samples');

  const leftPad = 8; // room for the count label ("  1.2M ┤")
  const avail = width - leftPad;
  // Default: one bin per column for large n; fewer, wider bins for small n (Rice rule, 2·n^(1/3)),
  // where one column per bin would show sampling noise rather than shape.
  const bins = clampInt(opts.bins ?? Math.max(10, Math.ceil(2 * Math.cbrt(n))), 1, avail);
  const colsPerBin = Math.max(1, Math.floor(avail / bins));
  const d = histogramData(samples, bins, opts.logScale ?? 'auto');
  if (d.constant !== undefined) {
    return `${head(`n=${groupedInt(n)}`)}\nall finite samples equal ${humanNumber(d.constant, 6)}`;
  }
  if (d.axis === null || d.binned === null) return head(`n=${groupedInt(n)}; no finite samples`);

  const lines = [head(`n=${groupedInt(n)}${d.axis.log ? '; log scale' : ''}`)];
  lines.push(...bars(d.binned.counts, colsPerBin, height, unicode));
  lines.push(...xAxis(d.axis, bins * colsPerBin, width, unicode));
  if (d.notes.length) lines.push(...wrap(d.notes.join('; '), width));
  return lines.join('\n');
}

/**
 * The subsample rarely holds the true extremes of a large sample set. When every sample left out on one
 * side lies within reach of the axis, that side is the edge of bounded data, not a tail of outliers:
 * widen the axis to include them and bin again (one more pass, only for such data).
 */
export function widenToNear(
  samples: Float64Array,
  axis: Axis,
  binned: Binned,
  bins: number,
): { axis: Axis; binned: Binned } {
  const below = binned.below > 0 && binned.nearBelowCount === binned.below;
  const above = binned.above > 0 && binned.nearAboveCount === binned.above;
  if (!below && !above) return { axis, binned };
  const wider: Axis = {
    log: axis.log,
    lo: below ? toAxis(axis, binned.nearBelow) : axis.lo,
    hi: above ? toAxis(axis, binned.nearAbove) : axis.hi,
  };
  return { axis: wider, binned: binSamples(samples, wider, bins) };
}

function linearFromScan(samples: Float64Array): Axis {
  const s = scan(samples);
  return s.max > s.min ? { log: false, lo: s.min, hi: s.max } : { log: false, lo: s.min - 1, hi: s.min + 1 };
}

function bars(counts: Float64Array, colsPerBin: number, height: number, unicode: boolean): string[] {
  let max = 0;
  for (let i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
  // Height of each bin in eighths of a row; a non-empty bin always shows at least a sliver.
  const units = Array.from(counts, (c) => (c === 0 ? 0 : Math.max(1, Math.round((c / Math.max(max, 1)) * height * 8))));
  const top = humanNumber(max);
  const lines: string[] = [];
  for (let r = 0; r < height; r++) {
    const base = (height - 1 - r) * 8;
    let row = '';
    for (const u of units) {
      const fill = Math.min(8, Math.max(0, u - base));
      const ch = unicode ? BLOCKS[fill] : fill >= 4 ? '#' : fill > 0 ? '.' : ' ';
      row += ch.repeat(colsPerBin);
    }
    const label = r === 0 ? top : '';
    const tick = r === 0 ? (unicode ? '┤' : '+') : unicode ? '│' : '|';
    lines.push(`${label.padStart(6)} ${tick}${row}`.trimEnd());
  }
  return lines;
}

function xAxis(axis: Axis, plotCols: number, width: number, unicode: boolean): string[] {
  const ticks = axis.log
    ? logTicks(axis.lo, axis.hi, Math.max(2, Math.floor(plotCols / 9)))
    : linearTicks(axis.lo, axis.hi, Math.max(2, Math.floor(plotCols / 10)));
  const rule = Array.from({ length: plotCols }, (): string => (unicode ? '─' : '-'));
  const labelRow = Array.from({ length: width - 8 }, (): string => ' ');
  let lastEnd = -1;
  for (const v of ticks) {
    const f = (toAxis(axis, v) - axis.lo) / (axis.hi - axis.lo);
    if (!(f >= -1e-9 && f <= 1 + 1e-9)) continue;
    const col = Math.min(plotCols - 1, Math.max(0, Math.floor(f * plotCols)));
    const text = tickLabel(v);
    const start = Math.max(0, col - Math.floor((text.length - 1) / 2));
    if (start <= lastEnd || start + text.length > labelRow.length) continue;
    rule[col] = unicode ? '┬' : '+';
    for (let i = 0; i < text.length; i++) labelRow[start + i] = text[i];
    lastEnd = start + text.length;
  }
  return [
    `${'0'.padStart(6)} ${unicode ? '└' : '+'}${rule.join('')}`,
    `${' '.repeat(8)}${labelRow.join('')}`.trimEnd(),
  ];
}

function outsideNote(b: Binned, axis: Axis, n: number): string {
  const parts: string[] = [];
  const lo = humanNumber(fromAxis(axis, axis.lo), 3);
  const hi = humanNumber(fromAxis(axis, axis.hi), 3);
  if (b.below > 0) parts.push(`${groupedInt(b.below)} (${percent(b.below / n)}) below ${lo}`);
  if (b.above > 0) parts.push(`${groupedInt(b.above)} (${percent(b.above / n)}) above ${hi}`);
  if (parts.length === 0) return '';
  const total = b.below + b.above;
  return `not shown: ${parts.join(' and ')}${total === 1 ? ' (1 sample)' : ''}`;
}

function clampInt(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : lo)));
}
