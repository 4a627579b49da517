// The WebAssembly loops (src/estimate/wasm/engine.wat) must give exactly the numbers of the JavaScript
// reference implementations: same samples, same moments, same streamed summaries, same runs.
import { describe, expect, it } from 'vitest';
import { Arena, arenaOf, wasmAvailable } from '../../src/estimate/wasm/arena.js';
import { Rng } from '../../src/estimate/dist/rng.js';
import { sampleInto, type DistSpec } from '../../src/estimate/dist/samplers.js';
import { Moments } from '../../src/estimate/analysis/moments.js';
import { StreamingSummary } from '../../src/estimate/analysis/stream-summary.js';
import { summarize } from '../../src/estimate/analysis/summary.js';
import { CHUNK_SIZE } from '../../src/estimate/dist/chunk-size.js';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { valuesAtRanks } from '../../src/estimate/analysis/select.js';
import fc from 'fast-check';
import { compile } from '../../src/estimate/engine/compile.js';
import { compileKernels } from '../../src/estimate/engine/fusion.js';
import { loadModel } from '../../src/estimate/models.js';

const bits = (a: Float64Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, 2 * a.length));

describe('WebAssembly engine', () => {
  it('is built and loads (npm run build assembles engine.wat)', () => {
    expect(wasmAvailable()).toBe(true);
  });

  const specs: DistSpec[] = [
    { type: 'normal', mean: 3, sd: 2 },
    { type: 'normal', mean: -1e6, sd: 1e-3 },
    { type: 'lognormal', mu: 2, sigma: 1.5 },
    { type: 'lognormal', mu: -700, sigma: 20 }, // exp's slow path (underflow) included
    { type: 'uniform', lo: -5, hi: 7 },
  ];
  for (const d of specs) {
    it(`samples ${JSON.stringify(d)} bit for bit as JavaScript does, over unaligned ranges`, () => {
      const arena = Arena.create(1 << 20)!;
      for (const [seed, from, to] of [
        [1, 0, 10_000],
        [2, 17, 9_001],
        [3, 4095, 4097],
        [4, 0, 1],
      ] as const) {
        const a = arena.alloc(10_000)!;
        const b = new Float64Array(10_000);
        expect(arenaOf(a)).toBe(arena);
        expect(arenaOf(b)).toBeUndefined();
        const ra = new Rng(seed, 'site', 3);
        const rb = new Rng(seed, 'site', 3);
        sampleInto(d, ra, a, from, to);
        sampleInto(d, rb, b, from, to);
        expect(bits(a)).toEqual(bits(b));
        expect(Array.from(ra.s)).toEqual(Array.from(rb.s)); // the generator state moved on alike
      }
    });
  }

  it('computes block moments bit for bit as JavaScript does', () => {
    const arena = Arena.create(1 << 20)!;
    const a = arena.alloc(CHUNK_SIZE)!;
    sampleInto({ type: 'lognormal', mu: 0, sigma: 3 }, new Rng(9), a);
    const [w, j] = [new Moments(), new Moments()];
    w.addBlock(a, 5, 60_000);
    j.addBlock(a.slice(), 5, 60_000);
    w.addBlock(a);
    j.addBlock(a.slice());
    expect([w.sum, w.m2, w.n]).toEqual([j.sum, j.m2, j.n]);
  });

  it('selects the same order statistics as JavaScript, ties and tiny ranges included', () => {
    const arena = Arena.create(4 << 20)!;
    const rng = new Rng(8);
    for (const [len, values] of [
      [100_000, 1e9],
      [5_000, 3],
      [17, 1e9],
      [1, 1],
    ] as const) {
      const js = Float64Array.from({ length: len }, () => Math.floor(rng.uniform() * values));
      const a = arena.alloc(len)!;
      a.set(js);
      const ranks = [...new Set([0, Math.floor(len / 3), Math.floor(len / 2), len - 1])].sort((x, y) => x - y);
      expect(valuesAtRanks(a, ranks)).toEqual(valuesAtRanks(js, ranks));
      expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from(js).sort((x, y) => x - y)); // a permutation
    }
  });

  it('selection ends on arrays with NaN (such runs are reported as errors, but must not hang)', () => {
    const arena = Arena.create(1 << 20)!;
    const a = arena.alloc(1000)!;
    for (let i = 0; i < a.length; i++) a[i] = i % 3 === 0 ? NaN : i % 7;
    expect(valuesAtRanks(a, [0, 500, 999])).toHaveLength(3);
    a.fill(NaN);
    expect(valuesAtRanks(a, [0, 500, 999])).toHaveLength(3);
  });

  const n = 5 * CHUNK_SIZE + 1234;
  const shapes: [string, (r: Rng) => number][] = [
    [
      'wide lognormal',
      (r) => Math.exp(4 * Math.sqrt(-2 * Math.log(r.uniform())) * Math.cos(2 * Math.PI * r.uniform())),
    ],
    ['normal around 0', (r) => Math.sqrt(-2 * Math.log(r.uniform())) * Math.cos(2 * Math.PI * r.uniform())],
    ['point mass (all ties: one interval holds every sample)', () => 42],
    ['a few discrete values', (r) => Math.floor(r.uniform() * 4)],
    // The two-lane minimum and maximum must still give the first of equal values, as a scalar loop does.
    ['zeros of both signs as min and max', (r) => (r.uniform() < 0.5 ? -0 : 0)],
    [
      'zeros of both signs below positive values',
      (r) => (r.uniform() < 0.3 ? (r.uniform() < 0.5 ? -0 : 0) : r.uniform()),
    ],
  ];
  for (const [name, f] of shapes) {
    it(`streams a summary equal to summarize(): ${name}`, () => {
      const rng = new Rng(5, name);
      const all = Float64Array.from({ length: n }, () => f(rng));
      const arena = Arena.create(64 << 20)!;
      const s = new StreamingSummary(n, [0, 1], arena);
      for (let i = 0; i < n; i += CHUNK_SIZE) {
        const chunk = arena.alloc(Math.min(CHUNK_SIZE, n - i))!;
        chunk.set(all.subarray(i, i + chunk.length));
        s.add(chunk);
      }
      const streamed = s.finish()!;
      expect(streamed).toEqual(summarize(all, [0, 1]));
      const js = new StreamingSummary(n, [0, 1]); // no arena: the JavaScript loop
      for (let i = 0; i < n; i += CHUNK_SIZE) js.add(all.slice(i, i + CHUNK_SIZE));
      const reference = js.finish()!;
      expect(streamed).toEqual(reference);
      expect([streamed.min, streamed.max].some((v) => Object.is(v, -0))).toBe(false); // a zero is reported as 0
    });
  }

  it('falls back to JavaScript, with the same summary, when the arena has no room for the kept samples', () => {
    const rng = new Rng(6);
    const all = Float64Array.from({ length: n }, () => rng.uniform());
    const arena = Arena.create(n * 8 + 4096)!; // the chunks fit, the kept buffers do not
    const s = new StreamingSummary(n, [], arena);
    const chunks = [];
    for (let i = 0; i < n; i += CHUNK_SIZE) chunks.push(arena.alloc(Math.min(CHUNK_SIZE, n - i))!);
    expect(chunks.every((c) => c !== undefined)).toBe(true);
    chunks.forEach((c, k) => {
      c.set(all.subarray(k * CHUNK_SIZE, k * CHUNK_SIZE + c.length));
      s.add(c);
    });
    expect(arena.alloc(1 << 20)).toBeUndefined();
    expect(s.finish()).toEqual(summarize(all));
  });

  it('counts NaN and infinite samples in the WebAssembly pass', () => {
    const arena = Arena.create(8 << 20)!;
    const s = new StreamingSummary(CHUNK_SIZE, [], arena);
    const a = arena.alloc(CHUNK_SIZE)!.fill(1);
    a[3] = NaN;
    a[4] = Infinity;
    a[5] = -Infinity;
    s.add(a);
    expect(s.nonFiniteCount).toBe(3);
  });

  it('gives whole runs identical to the JavaScript engine, stored and streamed', () => {
    const source = [
      'a = 10 to 1000',
      'b = normal(-5, 20)',
      'u = uniform(0, 1)',
      't = truncate(normal(0, 1), -1, 2)',
      'correlate([a, b], [[1, 0.6], [0.6, 1]])',
      'c = mx(a, b * u, pointMass(3), 1 to 1M, [0.4, 0.3, 0.1, 0.2])',
      'd = sqrt(abs(c)) + exp(t) - min(a, 100) ^ 0.5',
      '{c, d, t}',
    ].join('\n');
    const req = { model: 'm', source, samples: 300_000, seed: 11, thresholds: { c: [0, 100] } };
    const wasm = [runEstimate(req).result, runEstimate({ ...req, keepSamples: false }).result];
    const js = [
      runEstimate({ ...req, useWasm: false }).result,
      runEstimate({ ...req, keepSamples: false, useWasm: false }).result,
    ];
    expect(wasm).toEqual(js);
    expect(wasm[1]).toEqual(wasm[0]);
  });

  it('chooses mixture components as JavaScript does, for any number of them and zero weights', () => {
    const weights = ['[1, 2]', '[0.5, 0, 0.5]', '[1, 1, 1, 1, 1]', '[3, 1, 0, 2, 5, 1, 1]', '[1, 0]'];
    for (const w of weights) {
      const k = w.split(',').length;
      // Constants, and parametric components (drawn as often as chosen: the counts must be right too).
      const comps = Array.from({ length: k }, (_, j) => (j % 2 ? `pointMass(${j})` : `normal(${j}, 0.1)`)).join(', ');
      const req = {
        model: 'm',
        source: `c = mx(${comps}, normal(0, 1) * 0 + 10, ${w.replace(/\]$/, ', 1]')})\n{c}`,
        samples: 200_003,
        seed: 4,
        thresholds: { c: [0.5, 1.5, 2.5, 3.5, 4.5, 5.5] },
      };
      const wasm = runEstimate(req).result;
      const js = runEstimate({ ...req, useWasm: false }).result;
      expect(wasm, w).toEqual(js);
    }
  });

  it("compiles a model's kernels into one module, one function each", () => {
    const model = compile(loadModel('smuggling-2024').source);
    const kernels = [...compileKernels(model).values()];
    expect(kernels.length).toBeGreaterThanOrEqual(5);
    const refs = kernels.map((k) => k.wasm()!);
    expect(new Set(refs.map((r) => r.module)).size).toBe(1);
    expect(new Set(refs.map((r) => r.name)).size).toBe(kernels.length);
  });

  it('gives identical runs for odd sample counts (the two-lane kernels finish with one scalar sample)', () => {
    const source =
      'a = 1 to 9\nb = uniform(-1, 1)\nc = max(a * b - 3, -a) / (abs(b) + 0.5) + sqrt(a)\nd = c ^ 2 + log(a)\n{c, d}';
    for (const samples of [1, 3, 4097, 262_145]) {
      const req = { model: 'm', source, samples, seed: 5 };
      const wasm = [runEstimate(req).result, runEstimate({ ...req, keepSamples: false }).result];
      const js = [
        runEstimate({ ...req, useWasm: false }).result,
        runEstimate({ ...req, keepSamples: false, useWasm: false }).result,
      ];
      expect(wasm).toEqual(js);
    }
  });

  it('counts NaN samples of a kernel the same way (the error names the same count)', () => {
    const req = {
      model: 'm',
      source: 'a = normal(0, 1)\nb = sqrt(a) * 2 + a\n{b}',
      samples: 300_001,
      seed: 3,
      keepSamples: false,
    };
    const message = (useWasm: boolean) => {
      try {
        runEstimate({ ...req, useWasm });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    const wasm = message(true);
    expect(message(false)).toBe(wasm);
    expect(wasm).toMatch(/^b has 1[45]\d,\d{3} NaN or infinite samples out of 300,001/);
  });

  // Random arithmetic over distributions and numbers: whatever the kernel encoder emits (two lanes or
  // one, imported Math calls, nested min/max, unary minus), runs must equal the JavaScript engine's.
  it('gives the JavaScript numbers for random kernels (property test)', () => {
    const leaf = fc.oneof(
      fc.constantFrom('a', 'b', 'c', 'k'),
      fc.double({ min: -50, max: 50, noNaN: true }).map((x) => `(${x.toPrecision(6)})`),
    );
    const { expr } = fc.letrec((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc
          .tuple(tie('expr'), fc.constantFrom('+', '-', '*', '/', '^'), tie('expr'))
          .map(([x, op, y]) => `(${x} ${op} ${y})`),
        fc.tuple(fc.constantFrom('exp', 'log', 'log10', 'sqrt', 'abs'), tie('expr')).map(([f, x]) => `${f}(${x})`),
        fc
          .tuple(fc.constantFrom('min', 'max'), fc.array(tie('expr'), { minLength: 1, maxLength: 3 }))
          .map(([f, xs]) => `${f}(${xs.join(', ')})`),
        tie('expr').map((x) => `-${x}`),
      ),
    }));
    const run = (source: string, useWasm: boolean) => {
      try {
        return runEstimate({ model: 'p', source, samples: 4097, seed: 13, useWasm }).result;
      } catch (e) {
        return (e as Error).message; // NaN or ∞ samples: the same message, the same count
      }
    };
    fc.assert(
      fc.property(expr, (e) => {
        const source = `a = normal(0, 2)\nb = 1 to 10\nc = uniform(-3, 3)\nk = 7\nd = ${e}\n{d}`;
        const wasm = run(source, true);
        const js = run(source, false);
        expect(wasm).toEqual(js);
      }),
      { numRuns: 60 },
    );
  });
});
