// Public API of the estimate domain: the language, the engine and its analysis, and its HTTP routes.
export { parse, compile, applyOverrides, modelInputs } from './engine/compile.js';
export type { EstimateInputs } from './lang/inputs.js';
export { evaluate, CHUNK_SIZE } from './engine/evaluate.js';
export type { Evaluation, EvaluateOptions } from './engine/evaluate.js';
export { summarize, quantiles } from './analysis/summary.js';
export type { Summary } from './analysis/summary.js';
export { sensitivity } from './analysis/sensitivity.js';
export type { SensitivityRow } from './analysis/sensitivity.js';
export { runEstimate, DEFAULT_SAMPLES, DEFAULT_SEED } from './engine/run.js';
export type { EstimateRequest, EstimateResult } from './engine/run.js';
export { runEstimateParallel } from './threads/run-parallel.js';
export { listModels, loadModel, bundledModelSource, DEFAULT_MODEL } from './models.js';
export { ModelError, ModelSyntaxError } from './lang/errors.js';
export { estimateRoutes } from './http.js';
