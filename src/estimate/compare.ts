// Several models or scenarios run with the same seed and sample count. Because every input draws from
// its own stream, scenarios share their unchanged inputs' samples and differences are not noise.
import { loadModel } from './models.js';
import type { EstimateResult } from './engine/run.js';
import type { EstimateInputs } from './lang/inputs.js';
import { runEstimateParallel } from './threads/run-parallel.js';

export interface ScenarioResult {
  name: string;
  result: EstimateResult;
  outputs: Map<string, Float64Array>;
}

/** One model or scenario of a comparison, its samples kept for --plot. */
export async function runScenario(
  s: { name: string; model: string; set: Record<string, string> },
  opts: {
    samples: number;
    seed: number;
    thresholds?: Record<string, number[]>;
    inputs?: EstimateInputs;
    useWasm?: boolean;
  },
): Promise<ScenarioResult> {
  const { name, source } = loadModel(s.model);
  const { result, evaluation } = await runEstimateParallel({ model: name, source, ...opts, set: s.set });
  return { name: s.name, result, outputs: evaluation.outputs };
}
