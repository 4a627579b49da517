// --plot: densities of the chosen outputs (or of one output across scenarios), p5/p50/p95 marked.
import { ValidationError } from '../errors.js';
import { densitySvg, tornadoSvg } from './render/index.js';
import { writePlot } from './render/png.js';
import type { EstimateResult } from './engine/run.js';

export interface PlotSource {
  /** Scenario name; empty for a single run. */
  name: string;
  outputs: ReadonlyMap<string, Float64Array>;
  result: EstimateResult;
}

export function plotOutputs(file: string, runs: readonly PlotSource[], chosen: readonly string[]): void {
  const available = [...runs[0].outputs.keys()];
  const names = chosen.length ? chosen : [available[0]];
  for (const n of names) {
    if (!runs.every((r) => r.outputs.has(n)))
      throw new ValidationError(`--plot-output ${n}: no such output (outputs: ${available.join(', ')})`, {
        field: 'plot-output',
      });
  }
  const series = runs.flatMap((r) =>
    names.map((n) => {
      const s = r.result.outputs[n];
      const label = [r.name, runs.length > 1 && names.length === 1 ? '' : n].filter(Boolean).join(' · ') || n;
      return { name: label, samples: r.outputs.get(n)!, p5: s.p5, p50: s.p50, p95: s.p95 };
    }),
  );
  const title = runs.length > 1 ? `${names.join(', ')} by scenario` : `${runs[0].result.model}: ${names.join(', ')}`;
  writePlot(file, densitySvg(series, { title }));
}

/** --tornado: the sensitivity of one output as a tornado chart. */
export function plotTornado(file: string, result: EstimateResult, output?: string): void {
  const names = Object.keys(result.sensitivity ?? {});
  const name = output ?? names[0];
  const rows = result.sensitivity?.[name];
  if (!rows)
    throw new ValidationError(`--plot-output ${name}: no such output (outputs: ${names.join(', ')})`, {
      field: 'plot-output',
    });
  writePlot(file, tornadoSvg(rows, { title: `${result.model}: what drives ${name}` }));
}
