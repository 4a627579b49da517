// Several models or scenarios run with the same seed and sample count. Because every input draws from
// its own stream, scenarios share their unchanged inputs' samples and differences are not noise.
import { loadModel } from './models.js';
import type { EstimateResult } from './engine/run.js';
import { runEstimateParallel } from './threads/run-parallel.js';

export interface ScenarioResult {
  name: string;
  result: EstimateResult;
  outputs: Map<string, Float64Array>;
}

export async function compareScenarios(
  scenarios: readonly { name: string; model: string; set: Record<string, string> }[],
  opts: { samples: number; seed: number; thresholds?: Record<string, number[]> },
): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const s of scenarios) {
    const { name, source } = loadModel(s.model);
    const { result, evaluation } = await runEstimateParallel({ model: name, source, samples: opts.samples, seed: opts.seed, set: s.set, thresholds: opts.thresholds });
    results.push({ name: s.name, result, outputs: evaluation.outputs });
  }
  return results;
}
