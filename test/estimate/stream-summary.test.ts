// Streamed summaries (no samples kept) must equal summaries over the stored samples exactly, for any
// shape of distribution, and must say so when the pilot chunk misled them.
import { describe, it, expect } from 'vitest';
import { StreamingSummary, summarizeStored } from '../../src/estimate/analysis/stream-summary.js';
import { summarize } from '../../src/estimate/analysis/summary.js';
import { CHUNK_SIZE } from '../../src/estimate/dist/chunk-size.js';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { Rng } from '../../src/estimate/dist/rng.js';
import { Arena } from '../../src/estimate/wasm/arena.js';

function streamed(all: Float64Array, thresholds: number[] = []) {
  const s = new StreamingSummary(all.length, thresholds);
  for (let i = 0; i < all.length; i += CHUNK_SIZE) s.add(all.slice(i, Math.min(all.length, i + CHUNK_SIZE)));
  return s.finish();
}

function sample(n: number, f: (u: () => number) => number): Float64Array {
  const rng = new Rng(7, 'stream-test');
  const u = () => rng.uniform();
  return Float64Array.from({ length: n }, () => f(u));
}

describe('streaming summary', () => {
  const n = 5 * CHUNK_SIZE + 1234;
  const shapes: [string, (u: () => number) => number][] = [
    ['wide lognormal', (u) => Math.exp(4 * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u()))],
    ['normal around 0 (negative values)', (u) => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())],
    ['narrow uniform (few buckets)', (u) => 1000 + u() * 1e-3],
    ['point mass (all ties)', () => 42],
    ['a few discrete values (ties at the quantiles)', (u) => Math.floor(u() * 4)],
    ['heavy tail', (u) => 1 / u()],
  ];
  for (const [name, f] of shapes) {
    it(`equals summarize() exactly: ${name}`, () => {
      const all = sample(n, f);
      expect(streamed(all, [0, 1000])).toEqual(summarize(all, [0, 1000]));
    });
  }

  it('reports a missed bracket instead of a wrong quantile when the first chunk is not typical', () => {
    const all = new Float64Array(4 * CHUNK_SIZE);
    for (let i = 0; i < all.length; i++) all[i] = i < CHUNK_SIZE ? i : 1e6 + i; // later chunks all far above
    expect(streamed(all)).toBeUndefined();
  });

  // 40 chunks: the kept intervals are narrowed after 2, 8 and 32 chunks.
  for (const [name, f] of [shapes[0], shapes[4]]) {
    it(`narrows what it keeps as samples arrive, and still equals summarize() exactly: ${name}`, () => {
      const big = sample(40 * CHUNK_SIZE, f);
      const arena = Arena.create(64 << 20)!;
      for (const where of ['JavaScript', 'WebAssembly'] as const) {
        const s = new StreamingSummary(big.length, [1], where === 'WebAssembly' ? arena : undefined);
        for (let i = 0; i < big.length; i += CHUNK_SIZE) {
          const chunk = where === 'WebAssembly' ? arena.alloc(CHUNK_SIZE)! : new Float64Array(CHUNK_SIZE);
          chunk.set(big.subarray(i, i + CHUNK_SIZE));
          s.add(chunk);
        }
        const kept = s.part().kept.reduce((t, k) => t + k.length, 0);
        expect(s.finish(), where).toEqual(summarize(big, [1]));
        // The pilot's brackets alone keep ~9% of a continuous distribution.
        if (name === 'wide lognormal') expect(kept / big.length, where).toBeLessThan(0.03);
      }
    });
  }

  it("summarizes stored samples by streaming them, with summarize()'s very numbers", () => {
    for (const [name, f] of shapes) {
      for (const len of [1, 2, 1000, CHUNK_SIZE, 3 * CHUNK_SIZE + 17]) {
        const all = sample(len, f);
        const want = summarize(all, [0, 1000]);
        expect(summarizeStored(all, [0, 1000]), `${name}, ${len}`).toEqual(want);
        expect(summarizeStored(all, [0, 1000], false), `${name}, ${len}, JavaScript`).toEqual(want);
      }
    }
  });

  it('counts NaN and infinite samples', () => {
    const s = new StreamingSummary(CHUNK_SIZE);
    const a = new Float64Array(CHUNK_SIZE).fill(1);
    a[3] = NaN;
    a[4] = Infinity;
    a[5] = -Infinity;
    s.add(a);
    expect(s.nonFiniteCount).toBe(3);
  });

  it('gives runEstimate the same result with and without stored samples, keeping none', () => {
    const source = 'a = 10 to 1000\nb = normal(-5, 20)\nc = mx(a, b, pointMass(3), [0.5, 0.3, 0.2])\n{a, b, c}';
    const req = { model: 'm', source, samples: 300_000, seed: 11, thresholds: { c: [0, 100] } };
    const streamedRun = runEstimate({ ...req, keepSamples: false });
    expect(streamedRun.evaluation.outputs.size).toBe(0);
    expect(streamedRun.result).toEqual(runEstimate(req).result);
  });
});
