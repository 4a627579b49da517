// Several models or scenarios run with the same seed and sample count. Because every input draws from
// its own stream, scenarios share their unchanged inputs' samples and differences are not noise.
import { loadModel } from './models.js';
import { runEstimate, type EstimateResult } from './run.js';

export interface ScenarioResult {
  name: string;
  result: EstimateResult;
  outputs: Map<string, Float64Array>;
}

export function compareScenarios(
  scenarios: readonly { name: string; model: string; set: Record<string, string> }[],
  opts: { samples: number; seed: number; thresholds?: Record<string, number[]> },
): ScenarioResult[] {
  return scenarios.map((s) => {
    const { name, source } = loadModel(s.model);
    const { result, evaluation } = runEstimate({ model: name, source, samples: opts.samples, seed: opts.seed, set: s.set, thresholds: opts.thresholds });
    return { name: s.name, result, outputs: evaluation.outputs };
  });
}
