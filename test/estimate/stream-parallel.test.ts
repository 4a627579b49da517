// Streamed summaries on several threads must give exactly the single-thread numbers, whichever thread
// streams which chunk, and report model errors as one thread does.
import { describe, expect, it } from 'vitest';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { runEstimateParallel } from '../../src/estimate/threads/run-parallel.js';
import { ModelError } from '../../src/estimate/lang/errors.js';

const source = [
  'a = 10 to 1000',
  'b = normal(-5, 20)',
  'u = uniform(0, 1)',
  'c = mx(a, b * u, pointMass(3), 1 to 1M, [0.4, 0.3, 0.1, 0.2])',
  'd = sqrt(abs(c)) + a / (u + 1)',
  '{c, d}',
].join('\n');

describe('parallel streamed summaries', () => {
  it('equal the stored single-thread summaries bit for bit, thresholds included', async () => {
    const req = { model: 'm', source, samples: 655_361, seed: 21, thresholds: { c: [0, 100], d: [50] } };
    const stored = runEstimate(req).result;
    for (const threads of [2, 3]) {
      const run = await runEstimateParallel({ ...req, keepSamples: false, threads });
      expect(run.evaluation.outputs.size).toBe(0); // nothing stored
      expect(run.result).toEqual(stored);
    }
  });

  it('report NaN samples from any thread as the single-thread run does', async () => {
    const req = { model: 'm', source: 'a = normal(0, 1)\nb = log(a)\n{b}', samples: 600_000, seed: 2 };
    const one = (() => {
      try {
        runEstimate({ ...req, keepSamples: false });
      } catch (e) {
        return e as Error;
      }
    })();
    const two = await runEstimateParallel({ ...req, keepSamples: false, threads: 2 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(one).toBeInstanceOf(ModelError);
    expect(two).toBeInstanceOf(ModelError);
    expect(two!.message).toBe(one!.message);
  });
});
