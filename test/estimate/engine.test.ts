// The engine end to end on small models: parameter errors, NaN reporting, determinism, overrides.
import { describe, expect, it } from 'vitest';
import { compile } from '../../src/estimate/engine/compile.js';
import { evaluate, CHUNK_SIZE } from '../../src/estimate/engine/evaluate.js';
import { runEstimate, type EstimateRequest } from '../../src/estimate/engine/run.js';
import { ModelError } from '../../src/estimate/lang/errors.js';
import { loadModel } from '../../src/estimate/models.js';

const run = (src: string, samples = 20_000, seed = 1) => evaluate(compile(src), { samples, seed });

function evalError(src: string): ModelError {
  try {
    run(src);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a ModelError');
}

describe('parameter errors at evaluation, with positions', () => {
  it('5 to 1', () => {
    const e = evalError('x = 5 to 1\n{x}');
    expect(e.message).toMatch(/`5 to 1`: the low end must be below the high end/);
    expect(e.location).toEqual({ line: 1, column: 5 });
  });
  it('0 to 10 and negative lows', () => {
    expect(evalError('x = 0 to 10\n{x}').message).toMatch(/low end must be above 0/);
  });
  it('invalid sd, beta and triangular parameters', () => {
    expect(evalError('x = normal(0, -1)\n{x}').message).toMatch(/sd must be above 0/);
    expect(evalError('x = beta(0, 1)\n{x}').message).toMatch(/both parameters must be above 0/);
    expect(evalError('x = triangular(1, 5, 3)\n{x}').message).toMatch(/min ≤ mode ≤ max/);
    expect(evalError('x = mx(1, 2, [0, 0])\n{x}').message).toMatch(/weights must not all be 0/);
  });
});

describe('NaN and infinite samples are counted and reported', () => {
  it('names the binding and the count', () => {
    const e = evalError('x = normal(0, 1)\ny = log(x)\n{y}');
    expect(e.location).toEqual({ line: 2, column: 5 });
    const m = /y has ([\d,]+) NaN or infinite samples out of 20,000/.exec(e.message);
    expect(m).not.toBeNull();
    const count = Number(m![1].replace(/,/g, ''));
    // About half of a standard normal is negative: 10,000 ± 5 standard errors (sd = 70.7).
    expect(Math.abs(count - 10_000)).toBeLessThan(355);
  });
  it('names the binding whose operation made them, when it works in place on a fresh draw', () => {
    // sqrt runs in place on the normal's samples, which are finite as drawn; its NaNs still count.
    const e = evalError('a = sqrt(normal(0, 1))\nb = max(a, 0)\n{b}');
    expect(e.message).toMatch(/^a has [\d,]+ NaN or infinite samples out of 20,000/);
    expect(e.location).toEqual({ line: 1, column: 5 });
  });
  it('counts overflow of a wide lognormal (exp beyond the largest double)', () => {
    expect(evalError('x = lognormal(700, 10)\n{x}').message).toMatch(
      /x has [\d,]+ NaN or infinite samples out of 20,000/,
    );
  });
  it('reports division by zero in scalars', () => {
    expect(evalError('z = 0\nx = 1 / z\n{x}').message).toMatch(/x is Infinity/);
  });
});

describe('determinism', () => {
  const src = loadModel('smuggling-2024').source;
  it('the same seed gives identical samples; another seed does not', () => {
    const a = run(src, 70_000, 7).outputs.get('smuggled')!;
    const b = run(src, 70_000, 7).outputs.get('smuggled')!;
    const c = run(src, 70_000, 8).outputs.get('smuggled')!;
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });
  it('a longer run extends a shorter one by whole chunks (streams are per site and chunk)', () => {
    const short = run(src, CHUNK_SIZE, 3).outputs.get('smuggled')!;
    const long = run(src, 2 * CHUNK_SIZE + 5, 3).outputs.get('smuggled')!;
    expect(Array.from(long.subarray(0, short.length))).toEqual(Array.from(short));
  });
  it('known values for seed 1 (guards against accidental changes to the streams)', () => {
    const x = run('x = normal(0, 1)\n{x}', 3, 1).outputs.get('x')!;
    const again = run('x = normal(0, 1)\n{x}', 3, 1).outputs.get('x')!;
    expect(Array.from(x)).toEqual(Array.from(again));
    expect(new Set(x).size).toBe(3);
  });
});

describe('scenarios', () => {
  const src = 'a = 10 to 100\nb = 1 to 2\nc = a * b\n{c, a}';
  it('--set replaces a binding and leaves other inputs’ samples unchanged', () => {
    const base = runEstimate({ model: 'm', source: src, samples: 10_000 });
    const changed = runEstimate({ model: 'm', source: src, samples: 10_000, set: { b: '3' } });
    expect(Array.from(changed.evaluation.outputs.get('a')!)).toEqual(Array.from(base.evaluation.outputs.get('a')!));
    const a = changed.evaluation.outputs.get('a')!;
    const c = changed.evaluation.outputs.get('c')!;
    for (let i = 0; i < 100; i++) expect(c[i]).toBeCloseTo(3 * a[i], 9);
  });
  const failure = (req: Partial<EstimateRequest>) => {
    try {
      runEstimate({ model: 'm', source: src, samples: 1000, ...req });
    } catch (e) {
      return e as ModelError;
    }
    throw new Error('no error');
  };
  it('rejects unknown bindings and bad expressions in --set, naming the override, not a line of the model', () => {
    expect(failure({ set: { bb: '3' } })).toMatchObject({
      message: 'the model has no binding named bb; did you mean b?',
      location: { field: 'set.bb' },
    });
    expect(failure({ set: { b: '3 +' } })).toMatchObject({
      message: expect.stringMatching(/the end of the expression$/),
      location: { field: 'set.b', column: 4 },
    });
    // Checked and evaluated like the model's own text, but still named by the override.
    expect(failure({ set: { b: 'banana' } })).toMatchObject({
      message: 'unknown name banana',
      location: { field: 'set.b', column: 1 },
    });
    expect(failure({ set: { b: '1 to nope' } })).toMatchObject({ location: { field: 'set.b', column: 6 } });
    expect(failure({ set: { b: 'log(0 - 1)' } })).toMatchObject({
      message: expect.stringMatching(/^b is NaN/),
      location: { field: 'set.b' },
    });
  });
  it('rejects thresholds for unknown outputs, naming the threshold', () => {
    expect(failure({ thresholds: { cc: [1] } })).toMatchObject({
      message: expect.stringMatching(/^the model has no output named cc; did you mean c\?/),
      location: { field: 'thresholds.cc' },
    });
  });
});

describe('language features', () => {
  it('pointMass, arithmetic, functions and min/max', () => {
    const r = run(
      'a = pointMass(4)\nb = sqrt(a) + abs(-1) + log10(100) + exp(0) + log(1)\n' +
        'c = max(a, 10) - min(a, 1)\n{b, c, d: 2^10}',
      100,
    );
    expect(r.outputs.get('b')![0]).toBe(6);
    expect(r.outputs.get('c')![0]).toBe(9);
    expect(r.outputs.get('d')![0]).toBe(1024);
  });
  it('truncate keeps every sample inside the bounds', () => {
    const r = run('x = truncate(normal(0, 1), -0.5, 2)\ny = truncate((1 to 100) * 2, 10, 50)\n{x, y}');
    for (const v of r.outputs.get('x')!) expect(v >= -0.5 && v <= 2).toBe(true);
    for (const v of r.outputs.get('y')!) expect(v >= 10 && v <= 50).toBe(true);
  });
});

describe('parallel evaluation', () => {
  it('gives exactly the numbers of a single thread, summaries and errors included', async () => {
    const { runEstimateParallel } = await import('../../src/estimate/threads/run-parallel.js');
    const src = loadModel('smuggling-2024').source;
    const req = {
      model: 'm',
      source: src,
      samples: 4 * CHUNK_SIZE + 123,
      seed: 5,
      thresholds: { smuggled: [1e5] },
      sensitivity: true,
    };
    const one = runEstimate(req);
    const two = await runEstimateParallel({ ...req, threads: 3 });
    expect(two.result).toEqual(one.result);
    for (const [name, values] of one.evaluation.outputs)
      expect(Buffer.from(two.evaluation.outputs.get(name)!.buffer).equals(Buffer.from(values.buffer))).toBe(true);
    await expect(
      runEstimateParallel({
        model: 'm',
        source: 'x = normal(0, 1)\ny = log(x)\n{y}',
        samples: 4 * CHUNK_SIZE,
        threads: 2,
      }),
    ).rejects.toThrow(/y has [\d,]+ NaN or infinite samples out of 262,144/);
  }, 60_000);
});

describe('mixtures of numbers', () => {
  // Number components once read their constant from a table that the component entries overwrote.
  it('draws each number with its weight, with and without WebAssembly', () => {
    for (const useWasm of [true, false]) {
      const model = compile('x = mx(1, 2, 5, 1 to 2, [3, 1, 1, 1])\n{x}');
      const x = evaluate(model, { samples: 60_000, seed: 2, useWasm }).outputs.get('x')!;
      const share = (v: number) => x.filter((s) => s === v).length / x.length;
      expect(share(1)).toBeCloseTo(0.5, 1);
      expect(share(2)).toBeCloseTo(1 / 6, 1);
      expect(share(5)).toBeCloseTo(1 / 6, 1);
      expect(x.filter((s) => s > 1 && s !== 2 && s !== 5).length / x.length).toBeGreaterThan(0.1);
    }
  });
});
