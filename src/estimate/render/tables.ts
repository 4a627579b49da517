// Plain-text tables of estimate results for the terminal.
import type { EstimateResult } from '../engine/run.js';

/** 3 significant digits with k/M/B/T suffixes; small values as plain decimals. */
export function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [v, s] of units) if (a >= v * 0.9995) return `${trim((x / v).toPrecision(3))}${s}`;
  if (a >= 0.001) return trim(x.toPrecision(3));
  return x.toExponential(2);
}

function trim(s: string): string {
  return s.includes('.') && !s.includes('e') ? s.replace(/\.?0+$/, '') : s;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

export function summaryTable(result: EstimateResult): string {
  const cols = ['p5', 'p25', 'p50', 'p75', 'p95', 'mean', 'sd', 'min', 'max'] as const;
  const rows = Object.entries(result.outputs).map(([name, s]) => [name, ...cols.map((c) => fmt(s[c]))]);
  const lines = [table(['output', ...cols], rows)];
  for (const [name, s] of Object.entries(result.outputs)) {
    for (const [x, p] of Object.entries(s.pAbove ?? {})) lines.push(`P(${name} > ${fmt(Number(x))}) = ${p.toFixed(4)}`);
  }
  return lines.join('\n');
}

/** Scenarios side by side: one block per output, one column per scenario. */
export function comparisonTable(scenarios: readonly { name: string; result: EstimateResult }[]): string {
  const outputs = [...new Set(scenarios.flatMap((s) => Object.keys(s.result.outputs)))];
  const blocks = outputs.map((out) => {
    const stats = ['p5', 'p50', 'p95', 'mean'] as const;
    const rows: string[][] = stats.map((st) => [
      `${out} ${st}`,
      ...scenarios.map((s) => {
        const v = s.result.outputs[out];
        return v ? fmt(v[st]) : '—';
      }),
    ]);
    const thresholds = [...new Set(scenarios.flatMap((s) => Object.keys(s.result.outputs[out]?.pAbove ?? {})))];
    for (const x of thresholds)
      rows.push([
        `P(${out} > ${fmt(Number(x))})`,
        ...scenarios.map((s) => s.result.outputs[out]?.pAbove?.[x]?.toFixed(4) ?? '—'),
      ]);
    return table(['', ...scenarios.map((s) => s.name)], rows);
  });
  return blocks.join('\n\n');
}
