// Sampling-importance-resampling (Rubin, 1988): a model with observe(...) statements has drawn its
// samples from the prior, and its hidden output OBSERVE_OUTPUT holds each sample's log-likelihood. The
// posterior is the same number of samples drawn from those, each with probability proportional to its
// likelihood (systematic resampling: one uniform offset, then evenly spaced positions on the cumulative
// weights). Every output and every kept input is permuted the same way, so dependence is kept.
import { OBSERVE_OUTPUT } from '../lang/analyze.js';
import { ModelError } from '../lang/errors.js';
import { Rng, TWO_NEG_32 } from '../dist/rng.js';
import type { Evaluation } from './evaluate.js';

export interface PosteriorInfo {
  /** Kish's effective sample size of the weights, (Σw)² / Σw²: how many prior samples carry the posterior. */
  effectiveSamples: number;
}

/** Resampled indices: `n` draws from 0..w.length-1, index i with probability w[i] / Σw, in ascending order. */
export function systematicResample(weights: Float64Array, n: number, u: number): Uint32Array {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i];
  const out = new Uint32Array(n);
  const step = total / n;
  let position = u * step;
  let cumulative = weights[0];
  let i = 0;
  for (let j = 0; j < n; j++) {
    while (position >= cumulative && i < weights.length - 1) cumulative += weights[++i];
    out[j] = i;
    position += step;
  }
  return out;
}

/** Log-weights → weights scaled so the largest is 1 (no overflow), and their effective sample size. */
export function normalizedWeights(logWeights: Float64Array): { weights: Float64Array; effectiveSamples: number } {
  let max = -Infinity;
  for (let i = 0; i < logWeights.length; i++) if (logWeights[i] > max) max = logWeights[i];
  const weights = new Float64Array(logWeights.length);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < logWeights.length; i++) {
    const w = Math.exp(logWeights[i] - max);
    weights[i] = w;
    sum += w;
    sumSquares += w * w;
  }
  return { weights, effectiveSamples: (sum * sum) / sumSquares };
}

/**
 * Replaces the evaluation's samples by the posterior's, in place, and removes the log-weight output. The
 * resampling draws one uniform from its own stream, so a seed gives the same posterior every time.
 */
export function resampleEvaluation(evaluation: Evaluation): PosteriorInfo {
  const logWeights = evaluation.outputs.get(OBSERVE_OUTPUT);
  if (!logWeights) throw new ModelError('the model has no observe(...) statement to resample by');
  evaluation.outputs.delete(OBSERVE_OUTPUT);
  const { weights, effectiveSamples } = normalizedWeights(logWeights);
  const u = (new Rng(evaluation.seed, OBSERVE_OUTPUT, 0).nextU32() + 0.5) * TWO_NEG_32;
  const index = systematicResample(weights, evaluation.samples, u);
  const scratch = new Float64Array(evaluation.samples);
  for (const values of [...evaluation.outputs.values(), ...evaluation.inputs.values()]) {
    for (let j = 0; j < index.length; j++) scratch[j] = values[index[j]];
    values.set(scratch);
  }
  return { effectiveSamples };
}
