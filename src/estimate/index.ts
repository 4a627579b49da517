// Public API of the estimate domain: the language, the engine and its analysis.
export { parse, compile, applyOverrides } from './compile.js';
export { evaluate, CHUNK_SIZE } from './evaluate.js';
export type { Evaluation, EvaluateOptions } from './evaluate.js';
export { summarize, quantiles } from './analysis/summary.js';
export type { Summary } from './analysis/summary.js';
export { sensitivity } from './analysis/sensitivity.js';
export type { SensitivityRow } from './analysis/sensitivity.js';
export { runEstimate, DEFAULT_SAMPLES, DEFAULT_SEED } from './run.js';
export type { EstimateRequest, EstimateResult } from './run.js';
export { listModels, loadModel, bundledModelSource, DEFAULT_MODEL } from './models.js';
export { ModelError, ModelSyntaxError } from './lang/errors.js';
