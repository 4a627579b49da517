// Squiggle programs give the same quantiles in chipwatch and in Squiggle (@quri/squiggle-lang).
// Tolerance: each engine's quantile has standard error sqrt(p(1-p)/n)/f(q); the difference of two
// independent estimates has √2 times that. We allow 5 such errors, with f estimated from our samples.
import { describe, expect, it } from 'vitest';
import { run as squiggleRun } from '@quri/squiggle-lang';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { quantiles } from '../../src/estimate/analysis/summary.js';
import { loadModel } from '../../src/estimate/models.js';

const N = 100_000;
const PS = [0.05, 0.5, 0.95];

async function squiggleQuantiles(code: string, name: string): Promise<number[]> {
  const env = { sampleCount: N, xyPointLength: 1000, seed: 'chipwatch' };
  const out = await squiggleRun(code, { environment: env });
  if (!out.result.ok) throw new Error(out.result.value.toString());
  const dict = out.result.value.result as unknown as {
    value: { get(k: string): { value: { inv(e: typeof env, p: number): { ok: boolean; value: number } } } };
  };
  return PS.map((p) => {
    const r = dict.value.get(name).value.inv(env, p);
    if (!r.ok) throw new Error('squiggle inv failed');
    return r.value;
  });
}

function tolerance(samples: Float64Array, p: number, q: number): number {
  const d = 0.01;
  const [lo, hi] = quantiles(samples, [Math.max(0.001, p - d), Math.min(0.999, p + d)]);
  const density = (Math.min(0.999, p + d) - Math.max(0.001, p - d)) / (hi - lo);
  return (5 * Math.SQRT2 * Math.sqrt((p * (1 - p)) / N)) / density + 1e-9 * Math.abs(q);
}

const programs: [string, string, string][] = [
  [
    'products and sums of lognormal, normal and uniform',
    'a = 10 to 100\nb = normal(50, 10)\nc = a * b + uniform(1, 5)\n{c: c}',
    'c',
  ],
  [
    'beta, triangular and lognormal({p5, p95})',
    'x = beta(2, 5) * triangular(1, 2, 6) + lognormal({p5: 1, p95: 100})\n{x: x}',
    'x',
  ],
  ['truncate and a weighted mixture', 'y = mx(truncate(normal(0, 1), -1, 2), 5 to 10, [0.3, 0.7])\n{y: y}', 'y'],
  [
    'exponent, division and functions',
    'z = ((2 to 20) ^ 2 / uniform(1, 2)) ^ 0.5 + exp(normal(0, 0.5)) - 3\n{z: z}',
    'z',
  ],
];

describe('same quantiles as Squiggle', () => {
  for (const [title, code, name] of programs) {
    it(title, async () => {
      const ours = runEstimate({ model: 't', source: code, samples: N, seed: 9 });
      const theirs = await squiggleQuantiles(code, name);
      const samples = ours.evaluation.outputs.get(name)!;
      const q = quantiles(samples, PS);
      PS.forEach((p, i) => {
        expect(Math.abs(q[i] - theirs[i])).toBeLessThan(tolerance(samples, p, q[i]));
      });
    }, 60_000);
  }
  it('the bundled smuggling-2024 model runs unchanged in Squiggle and agrees on the median', async () => {
    const src = loadModel('smuggling-2024').source;
    const ours = runEstimate({ model: 's', source: src, samples: N, seed: 9 });
    const theirs = await squiggleQuantiles(src, 'smuggled');
    const samples = ours.evaluation.outputs.get('smuggled')!;
    const q = quantiles(samples, [0.5]);
    expect(Math.abs(q[0] - theirs[1])).toBeLessThan(tolerance(samples, 0.5, q[0]));
  }, 60_000);
});
