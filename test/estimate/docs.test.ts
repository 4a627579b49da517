// Every model example in docs/estimate.md runs (as squiggle-lang tests its documented examples).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEstimate } from '../../src/estimate/engine/run.js';

const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'estimate.md'), 'utf8');
const examples = [...doc.matchAll(/```sq\n([\s\S]*?)```/g)].map((m) => m[1]);

describe('docs/estimate.md examples', () => {
  it('has examples', () => expect(examples.length).toBeGreaterThanOrEqual(3));
  examples.forEach((src, i) => {
    it(`example ${i + 1} runs and yields finite outputs`, () => {
      const { result } = runEstimate({ model: 'doc', source: src, samples: 5000 });
      for (const s of Object.values(result.outputs)) expect(Number.isFinite(s.mean)).toBe(true);
    });
  });
});
