// One estimate run from source to the JSON result the CLI and the API return.
import { compile, modelInputs } from './compile.js';
import { OBSERVE_OUTPUT, type CheckedModel } from '../lang/analyze.js';
import { evaluate, evaluateSummaries, type Evaluation } from './evaluate.js';
import type { Summary } from '../analysis/summary.js';
import { summarizeStored } from '../analysis/stream-summary.js';
import { sensitivity, type SensitivityRow } from '../analysis/sensitivity.js';
import { ModelError } from '../lang/errors.js';
import { suggest } from '../lang/suggest.js';
import type { EstimateInputs } from '../lang/inputs.js';
import { resampleEvaluation, type PosteriorInfo } from './posterior.js';

export const DEFAULT_SAMPLES = 100_000;
export const DEFAULT_SEED = 1;
/**
 * Sensitivity uses at most this many samples (the first ones, i.e. whole chunks): Spearman and variance
 * shares are then precise to about ±0.002, and ranking stays fast and small at 10M samples.
 */
export const SENSITIVITY_MAX_SAMPLES = 1_000_000;

export interface EstimateRequest {
  /** Display name of the model (bundled name or file path). */
  model: string;
  source: string;
  samples?: number;
  seed?: number;
  set?: Readonly<Record<string, string>>;
  /** Values of the model's input("name") calls (evidence aggregates, what-if overrides). */
  inputs?: EstimateInputs;
  /** Output name → thresholds x for P(output > x). */
  thresholds?: Readonly<Record<string, readonly number[]>>;
  sensitivity?: boolean;
  /**
   * Keep every output's samples in `evaluation.outputs` (for histograms, plots, CSV). Default true.
   * When false, and sensitivity is not asked for, outputs are summarised as they stream past: same
   * numbers, a few MB of memory instead of 8 bytes × samples × outputs, and faster.
   */
  keepSamples?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** Run the WebAssembly loops where they apply (default true); false: JavaScript only, same numbers. */
  useWasm?: boolean;
}

export interface EstimateResult {
  model: string;
  samples: number;
  seed: number;
  outputs: Record<string, Summary>;
  sensitivity?: Record<string, SensitivityRow[]>;
  /** The values of the inputs the model read with input("name"). */
  inputs?: Record<string, number | number[]>;
  /** Models with observe(...): the outputs are the posterior's, resampled from this many effective samples. */
  posterior?: PosteriorInfo;
}

export interface EstimateRun {
  result: EstimateResult;
  evaluation: Evaluation;
}

/**
 * Whether a run summarises its outputs as they stream past instead of storing them: whenever nothing
 * needs the samples, because streaming is faster at every size, cold or warm, and takes less memory.
 */
export function streams(req: EstimateRequest): boolean {
  return req.keepSamples === false && !req.sensitivity;
}

export function runEstimate(req: EstimateRequest): EstimateRun {
  return runPrepared(req, prepare(req));
}

/** runEstimate with the model already compiled (as runEstimateParallel, threads/run-parallel.ts, has). */
export function runPrepared(req: EstimateRequest, { samples, seed, model }: Prepared): EstimateRun {
  const useWasm = req.useWasm ?? true;
  // A model that observes evidence needs all its samples at once to resample them (engine/posterior.ts).
  if (streams(req) && !model.observed) {
    const { thresholds, onProgress } = req;
    const summaries = evaluateSummaries(model, { samples, seed, thresholds, onProgress, useWasm });
    if (summaries) return finish(req, { samples, seed, outputs: new Map(), inputs: new Map() }, summaries);
  }
  const { sensitivity: keepInputs, onProgress } = req;
  const evaluation = evaluate(model, { samples, seed, keepInputs, onProgress, useWasm });
  const posterior = model.observed ? resampleEvaluation(evaluation) : undefined;
  const summary = (name: string, values: Float64Array) =>
    summarizeStored(values, req.thresholds?.[name] ?? [], useWasm);
  const summaries = new Map([...evaluation.outputs].map(([name, values]) => [name, summary(name, values)]));
  return finish(req, evaluation, summaries, posterior);
}

export interface Prepared {
  samples: number;
  seed: number;
  model: CheckedModel;
}

/** Compiles the model and checks that thresholds name outputs. */
export function prepare(req: EstimateRequest): Prepared {
  const samples = req.samples ?? DEFAULT_SAMPLES;
  const seed = req.seed ?? DEFAULT_SEED;
  const model = compile(req.source, req.set ?? {}, req.inputs ?? {});
  const names = model.outputs.map((o) => o.name).filter((n) => n !== OBSERVE_OUTPUT);
  for (const name of Object.keys(req.thresholds ?? {})) {
    if (!names.includes(name)) {
      const hint = suggest(name, names);
      const hinted = `the model has no output named ${name}${hint ? `; did you mean ${hint}?` : ''}`;
      const message = `${hinted} (outputs: ${names.join(', ')})`;
      throw new ModelError(message, undefined, `thresholds.${name}`);
    }
  }
  return { samples, seed, model };
}

export function finish(
  req: EstimateRequest,
  evaluation: Evaluation,
  summaries: Map<string, Summary>,
  posterior?: PosteriorInfo,
): EstimateRun {
  const { samples, seed } = evaluation;
  // Samples are finite (checked), but a spread beyond ~1e154 overflows the variance: say so rather than
  // print null in JSON.
  for (const [name, s] of summaries) {
    for (const [k, v] of Object.entries(s)) {
      if (typeof v === 'number' && !Number.isFinite(v))
        throw new ModelError(
          `output ${name}: ${k} overflows double precision (values around ${s.max.toExponential(1)}); rescale the ` +
            `model`,
        );
    }
  }
  const outputs: Record<string, Summary> = Object.fromEntries(summaries);
  const result: EstimateResult = { model: req.model, samples, seed, outputs };
  const read = req.inputs && Object.keys(req.inputs).length ? modelInputs(req.source, req.set) : [];
  if (read.length) result.inputs = Object.fromEntries(read.map((name) => [name, req.inputs![name]]));
  if (posterior) result.posterior = posterior;
  if (req.sensitivity) {
    const rankCache = new Map<string, Float64Array>();
    const k = Math.min(samples, SENSITIVITY_MAX_SAMPLES);
    const inputs = new Map([...evaluation.inputs].map(([n, v]) => [n, v.subarray(0, k)]));
    result.sensitivity = {};
    for (const [name, values] of evaluation.outputs)
      result.sensitivity[name] = sensitivity(inputs, values.subarray(0, k), rankCache);
  }
  return { result, evaluation };
}
