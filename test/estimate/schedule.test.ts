// Statements run in demand order (lang/schedule.ts): the same numbers as source order, fewer arrays
// alive at once, and errors still name the first bad statement of the source.
import { describe, expect, it } from 'vitest';
import { compile, parse } from '../../src/estimate/engine/compile.js';
import { analyze } from '../../src/estimate/lang/analyze.js';
import { schedule } from '../../src/estimate/lang/schedule.js';
import { ModelError } from '../../src/estimate/lang/errors.js';
import { evaluate, evaluateSummaries } from '../../src/estimate/engine/evaluate.js';
import { loadModel } from '../../src/estimate/models.js';
import { Arena } from '../../src/estimate/wasm/arena.js';

const names = (src: string) => compile(src).stmts.map((s) => (s.type === 'let' ? s.name : 'correlate'));

describe('evaluation order', () => {
  it('places each binding just before the first statement that needs it, outputs in order', () => {
    const src = 'a = 1 to 10\nb = 2 to 20\nunused = normal(0, 1)\nc = a * 2\nd = b + c\n{c, d}';
    expect(names(src)).toEqual(['a', 'c', 'b', 'd', 'unused']);
  });

  it('keeps the source order of models with correlate (it rearranges its inputs in place)', () => {
    const src =
      'a = 1 to 10\nb = 2 to 20\nx = normal(0, 1)\ncorrelate([a, b], [[1, 0.5], [0.5, 1]])\nc = a * b\n{c, x}';
    expect(names(src)).toEqual(['a', 'b', 'x', 'correlate', 'c']);
  });

  it('orders a chain of thousands of bindings without recursion', () => {
    const n = 20_000;
    const lines = ['b0 = 1 to 2', ...Array.from({ length: n }, (_, i) => `b${i + 1} = b${i} + 1`), `{b${n}}`];
    expect(names(lines.join('\n'))).toHaveLength(n + 1);
  });

  for (const model of ['smuggling-2024', 'enforcement-2026']) {
    it(`gives ${model} the same samples as source order, bit for bit`, () => {
      const source = loadModel(model).source;
      const checked = analyze(parse(source));
      const scheduled = schedule(checked);
      const opts = { samples: 70_000, seed: 3 };
      const [a, b] = [evaluate(checked, opts), evaluate(scheduled, opts)];
      for (const [name, values] of a.outputs)
        expect(Buffer.from(b.outputs.get(name)!.buffer).equals(Buffer.from(values.buffer)), name).toBe(true);
    });
  }

  it('holds fewer chunk arrays at once in smuggling-2024 (six instead of seven)', () => {
    const checked = analyze(parse(loadModel('smuggling-2024').source));
    const arenaBytes = (model: typeof checked) => {
      const arena = Arena.create(64 << 20)!;
      const before = arena.alloc(1)!.byteOffset;
      const create = Arena.create;
      Arena.create = () => arena; // the run's arena: what it allocates shows in its bump pointer
      try {
        evaluateSummaries(model, { samples: 65_536 * 4, seed: 1 });
      } finally {
        Arena.create = create;
      }
      return arena.alloc(1)!.byteOffset - before;
    };
    const saved = arenaBytes(checked) - arenaBytes(schedule(checked));
    expect(saved).toBe(65_536 * 8);
  });

  it('reports NaN samples of the first bad statement in the source, whatever ran first', () => {
    const src = 'a = sqrt(normal(0, 1))\nb = log(normal(0, 1))\n{b, a}';
    expect(names(src)).toEqual(['b', 'a']); // b runs first: the first output reads it
    let error: unknown;
    try {
      evaluate(compile(src), { samples: 10_000, seed: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).message).toMatch(/^a has [\d,]+ NaN or infinite samples/);
  });
});
