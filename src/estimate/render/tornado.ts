// Sensitivity tornado in text: one row per input, a bar left (negative) or right (positive) of a centre
// line for its Spearman rank correlation with the output, and the numbers with its share of variance.

import { percent, truncate, wrap } from './format.js';

export interface TornadoRow {
  input: string;
  /** Spearman rank correlation with the output, -1..1. */
  spearman: number;
  /** Share of the output's variance explained by the input, 0..1. */
  varianceShare: number;
}

const SCALES = [0.05, 0.1, 0.2, 0.25, 0.5, 0.75, 1];

/** Rows by decreasing |correlation| (non-finite last); the input array is not modified. */
export function orderedRows(rows: readonly TornadoRow[]): TornadoRow[] {
  const mag = (r: TornadoRow): number => (Number.isFinite(r.spearman) ? Math.abs(r.spearman) : -1);
  return [...rows].sort((a, b) => mag(b) - mag(a) || b.varianceShare - a.varianceShare);
}

/** Half-width of the axis: the smallest round value covering the strongest correlation. */
export function tornadoScale(rows: readonly TornadoRow[]): number {
  let max = 0;
  for (const r of rows) if (Number.isFinite(r.spearman)) max = Math.max(max, Math.abs(r.spearman));
  return SCALES.find((s) => s >= max - 1e-12) ?? 1;
}

export function signed(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const s = v.toFixed(2);
  return v > 0 && s !== '0.00' ? `+${s}` : s === '-0.00' ? '0.00' : s;
}

export function shareText(v: number): string {
  return Number.isFinite(v) ? percent(Math.max(0, v)) : 'n/a';
}

export function terminalTornado(rows: readonly TornadoRow[], opts: { width?: number } = {}): string {
  const width = Math.max(40, Math.min(400, Math.round(opts.width ?? 80)));
  if (rows.length === 0) return 'sensitivity: no inputs';
  const ordered = orderedRows(rows);
  const scale = tornadoScale(ordered);
  const names = ordered.map((r) => r.input.replace(/\s+/g, ' '));
  const nameW = Math.min(Math.max(5, ...names.map((n) => [...n].length)), Math.floor(width * 0.3));
  const valueW = 14; // " -0.82  0.003%"
  const barW = width - nameW - 1 - valueW;
  const half = Math.floor((barW - 1) / 2);
  const centre = half; // index of the centre line within the bar area

  const header = Array.from({ length: 2 * half + 1 }, (): string => ' ');
  const put = (at: number, text: string): void => {
    for (let i = 0; i < text.length && at + i < header.length; i++) if (at + i >= 0) header[at + i] = text[i];
  };
  put(0, `-${scale}`);
  put(centre, '0');
  put(2 * half + 1 - `+${scale}`.length, `+${scale}`);
  const lines = [`${'input'.padEnd(nameW)} ${header.join('')} ${'rho'.padStart(5)} ${'var'.padStart(7)}`];
  for (let i = 0; i < ordered.length; i++) {
    const r = ordered[i];
    const cells = Array.from({ length: 2 * half + 1 }, (): string => ' ');
    cells[centre] = '│';
    if (Number.isFinite(r.spearman)) {
      const len = Math.min(half, Math.round((Math.abs(r.spearman) / scale) * half));
      for (let k = 1; k <= len; k++) cells[r.spearman < 0 ? centre - k : centre + k] = '█';
    }
    const name = truncate(names[i], nameW);
    const pad = ' '.repeat(Math.max(0, nameW - [...name].length));
    lines.push(
      `${name}${pad} ${cells.join('')} ${signed(r.spearman).padStart(5)} ${shareText(r.varianceShare).padStart(7)}`,
    );
  }
  lines.push(...wrap('rho: Spearman rank correlation with the output; var: share of its variance', width));
  return lines.join('\n');
}
