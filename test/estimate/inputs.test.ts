// Named inputs (input("name")) and observe(...) with sampling-importance-resampling: values and errors at
// line:column, posteriors against conjugate cases known in closed form, the same numbers with and without
// WebAssembly and on several threads, and the bundled smuggling-evidence model.
import { describe, expect, it } from 'vitest';
import { compile, modelInputs } from '../../src/estimate/engine/compile.js';
import { runEstimate, type EstimateRequest } from '../../src/estimate/engine/run.js';
import { runEstimateParallel } from '../../src/estimate/threads/run-parallel.js';
import { ModelError } from '../../src/estimate/lang/errors.js';
import { loadModel } from '../../src/estimate/models.js';
import { systematicResample } from '../../src/estimate/engine/posterior.js';
import { parseInputs } from '../../src/estimate/cli.js';

function errorOf(f: () => unknown): ModelError {
  try {
    f();
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a model error');
}

const run = (source: string, extra: Partial<EstimateRequest> = {}) =>
  runEstimate({ model: 'test', source, samples: 100_000, seed: 1, ...extra }).result;

describe('input("name")', () => {
  it('reads numbers the caller supplies, and lists where lists go', () => {
    const src = 'k = input("seized")\nx = mx(1, 2, input("weights"))\n{y: x * k, k}';
    expect(modelInputs(src)).toEqual(['seized', 'weights']);
    const r = run(src, { inputs: { seized: 7, weights: [3, 1] } });
    expect(r.outputs.k.mean).toBe(7);
    expect(r.outputs.y.mean).toBeCloseTo(7 * 1.25, 1);
    expect(r.inputs).toEqual({ seized: 7, weights: [3, 1] });
  });
  it('names a missing input at its line and column, with a suggestion', () => {
    const e = errorOf(() => compile('a = 1\nb = 2 * input("seized_gpus_2042")\n{b}', {}, { seized_gpus_2024: 1 }));
    expect(e.location).toMatchObject({ line: 2, column: 9 });
    expect(e.message).toMatch(/input seized_gpus_2042 has no value; did you mean seized_gpus_2024\?/);
    const none = errorOf(() => compile('b = input("x")\n{b}'));
    expect(none.message).toMatch(/input x has no value \(no inputs were supplied\); supply it with --input x=N/);
  });
  it('refuses a malformed call, a stray string and a non-finite value', () => {
    expect(errorOf(() => compile('b = input(x)\n{b}')).location).toMatchObject({ line: 1, column: 11 });
    expect(errorOf(() => compile('b = input("two words")\n{b}')).message).toMatch(/double quotes/);
    expect(errorOf(() => compile('b = "x"\n{b}')).message).toMatch(/a string can only name an input/);
    expect(errorOf(() => compile('b = input("x\n{b}')).message).toMatch(/never closed/);
    expect(errorOf(() => compile('b = input("x")\n{b}', {}, { x: Number.NaN })).message).toMatch(/not a finite/);
    const list = errorOf(() => compile('b = input("x")\n{b}', {}, { x: [1, 2] }));
    expect(list.message).toMatch(/b must be a number or a distribution, not a list/);
  });
  it('reach worker threads: the same numbers on two threads, stored and streamed', async () => {
    const req = { model: 'm', source: 'a = 1 to 10\n{b: a * input("k")}', samples: 150_000, seed: 2, inputs: { k: 3 } };
    const one = runEstimate(req).result;
    expect(one.outputs.b.p50).toBeGreaterThan(3);
    for (const keepSamples of [true, false])
      expect((await runEstimateParallel({ ...req, threads: 2, keepSamples })).result).toEqual(one);
  });
  it('come from --input as numbers in the language’s syntax, or lists', () => {
    expect(parseInputs(['a=2.4k', 'b=1,2, 3', 'c=-5%'])).toEqual({ a: 2400, b: [1, 2, 3], c: -0.05 });
    expect(() => parseInputs(['a=lots'])).toThrow(/--input a: "lots" is not a number/);
    expect(() => parseInputs(['a=1', 'a=2'])).toThrow(/--input a is given twice/);
    expect(() => parseInputs(['a b=1'])).toThrow(/"a b" is not an input name/);
    expect(() => parseInputs(['a'])).toThrow(/--input expects NAME=VALUE/);
  });
  it('can be read by an override (--set)', () => {
    const r = run('a = 1 to 2\n{a}', { set: { a: 'input("fixed") * 2' }, inputs: { fixed: 21 } });
    expect(r.outputs.a.p50).toBe(42);
  });
});

describe('observe(...) and sampling-importance-resampling', () => {
  it('beta prior, binomial data: the posterior is beta(a + k, b + n − k)', () => {
    // prior beta(2, 8); 7 successes in 20 trials → beta(9, 21): mean 0.3, sd 0.0823, median 0.2955
    const r = run('p = beta(2, 8)\nobserve(7 * log(p) + 13 * log(1 - p))\n{p}', { samples: 200_000 });
    expect(r.outputs.p.mean).toBeCloseTo(0.3, 2);
    expect(r.outputs.p.sd).toBeCloseTo(Math.sqrt((9 * 21) / (30 * 30 * 31)), 2);
    expect(r.outputs.p.p50).toBeCloseTo(0.2955, 2);
    expect(r.posterior!.effectiveSamples).toBeGreaterThan(50_000);
    expect(r.posterior!.effectiveSamples).toBeLessThan(200_000);
  });
  it('normal prior, normal observation: the posterior is normal(x/2, √½)', () => {
    const r = run('mu = normal(0, 1)\nobserve(0 - (2 - mu)^2 / 2)\n{mu}', { samples: 200_000, seed: 3 });
    expect(r.outputs.mu.mean).toBeCloseTo(1, 2);
    expect(r.outputs.mu.sd).toBeCloseTo(Math.SQRT1_2, 2);
    // quantiles of normal(1, √½): p5 = 1 − 1.6449·0.7071
    expect(r.outputs.mu.p5).toBeCloseTo(1 - 1.6449 * Math.SQRT1_2, 1);
  });
  it('sums several observations and keeps dependence between outputs', () => {
    const one = run('mu = normal(0, 1)\nd = mu * 2\nobserve(0 - (2 - mu)^2)\n{mu, d}', { samples: 50_000 });
    const two = run(
      'mu = normal(0, 1)\nd = mu * 2\nobserve(0 - (2 - mu)^2 / 2)\nobserve(0 - (2 - mu)^2 / 2)\n{mu, d}',
      {
        samples: 50_000,
      },
    );
    expect(two.outputs).toEqual(one.outputs);
    expect(one.outputs.d.p50).toBe(2 * one.outputs.mu.p50);
  });
  it('resamples indices in proportion to the weights', () => {
    const idx = systematicResample(new Float64Array([1, 0, 3]), 8, 0.5);
    expect([...idx]).toEqual([0, 0, 2, 2, 2, 2, 2, 2]);
  });
  it('refuses observations that cannot weigh samples, at their position', () => {
    expect(errorOf(() => compile('a = 1 to 2\nb = observe(a)\n{a}')).message).toMatch(/on its own line/);
    const random = errorOf(() => compile('a = 1 to 2\nobserve(a * normal(0, 1))\n{a}'));
    expect(random.location).toMatchObject({ line: 2, column: 9 });
    expect(random.message).toMatch(/bind any distribution it needs first/);
    const early = errorOf(() => compile('observe(a)\na = 1 to 2\n{a}'));
    expect(early.message).toMatch(/a is used before it is defined/);
    expect(errorOf(() => compile('a = 1 to 2\nobserve(a, a)\n{a}')).message).toMatch(/observe takes 1 argument/);
    const nan = errorOf(() => run('a = normal(0, 1)\nobserve(log(a))\n{a}', { samples: 1000 }));
    expect(nan.message).toMatch(/^observe\(\.\.\.\) has \d+ NaN or infinite samples/);
    expect(nan.location).toMatchObject({ line: 2, column: 9 });
  });
});

describe('smuggling-evidence', () => {
  const { source } = loadModel('smuggling-evidence');
  const at = (seized: number, extra: Partial<EstimateRequest> = {}) =>
    run(source, { inputs: { seized_gpus_2024: seized }, keepSamples: false, ...extra });

  it('gives the same numbers with and without WebAssembly, on one thread or two', async () => {
    const req = { model: 'm', source, samples: 140_000, seed: 4, inputs: { seized_gpus_2024: 2400 } };
    const wasm = runEstimate(req).result;
    expect(runEstimate({ ...req, useWasm: false }).result).toEqual(wasm);
    expect((await runEstimateParallel({ ...req, threads: 2, keepSamples: false })).result).toEqual(wasm);
  });
  it('has smuggling-2024 as its prior: a likelihood that cannot tell samples apart leaves it unchanged', () => {
    const flat = at(0, { set: { lotSize: '1e15' } });
    const prior = run(loadModel('smuggling-2024').source, { keepSamples: false });
    expect(flat.posterior!.effectiveSamples).toBeGreaterThan(99_990);
    for (const out of ['smuggled', 'trainingShare', 'inferenceShare'])
      for (const q of ['p5', 'p50', 'p95'] as const)
        expect(flat.outputs[out][q] / prior.outputs[out][q]).toBeCloseTo(1, 2);
  });
  it('moves with the GPUs seized: none pulls the median below the prior, more pushes it up', () => {
    const prior = run(loadModel('smuggling-2024').source, { keepSamples: false }).outputs.smuggled.p50;
    const medians = [0, 2_000, 10_000, 50_000].map((g) => at(g).outputs.smuggled.p50);
    expect(medians[0]).toBeLessThan(prior);
    for (let i = 1; i < medians.length; i++) expect(medians[i]).toBeGreaterThan(medians[i - 1]);
    expect(medians[3]).toBeGreaterThan(prior);
  });
});
