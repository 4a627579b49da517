// The bundled models reproduce the paper's published figures (acceptance ranges from the issue).
import { describe, expect, it } from 'vitest';
import { runEstimate } from '../../src/estimate/engine/run.js';
import { listModels, loadModel } from '../../src/estimate/models.js';

describe('smuggling-2024 (CNAS 2025, Appendix A)', () => {
  // 1M samples, seed 1, as the acceptance criteria specify.
  const { result } = runEstimate({
    model: 'smuggling-2024',
    source: loadModel('smuggling-2024').source,
    samples: 1_000_000,
    seed: 1,
    thresholds: { smuggled: [100_000] },
  });
  const s = result.outputs.smuggled;

  it('median smuggled is 125,000–155,000 (paper: ~140,000)', () => {
    expect(s.p50).toBeGreaterThanOrEqual(125_000);
    expect(s.p50).toBeLessThanOrEqual(155_000);
  });
  it('P(smuggled > 100,000) is 0.55–0.65 (paper: > 0.5)', () => {
    expect(s.pAbove!['100000']).toBeGreaterThanOrEqual(0.55);
    expect(s.pAbove!['100000']).toBeLessThanOrEqual(0.65);
  });
  it('p5 is 8,000–25,000 and p95 300,000–1,500,000 (paper: 10,000 to several hundred thousand)', () => {
    expect(s.p5).toBeGreaterThanOrEqual(8_000);
    expect(s.p5).toBeLessThanOrEqual(25_000);
    expect(s.p95).toBeGreaterThanOrEqual(300_000);
    expect(s.p95).toBeLessThanOrEqual(1_500_000);
  });
  it('median training share is 9–11.5% and inference share 5.5–7.5% (paper: 10% and 6%)', () => {
    expect(result.outputs.trainingShare.p50).toBeGreaterThanOrEqual(0.09);
    expect(result.outputs.trainingShare.p50).toBeLessThanOrEqual(0.115);
    expect(result.outputs.inferenceShare.p50).toBeGreaterThanOrEqual(0.055);
    expect(result.outputs.inferenceShare.p50).toBeLessThanOrEqual(0.075);
  });
  it('has the five outputs, with smuggled = pathway1 (+ pathway2) in most samples', () => {
    expect(Object.keys(result.outputs)).toEqual([
      'smuggled',
      'pathway1',
      'pathway2',
      'trainingShare',
      'inferenceShare',
    ]);
    expect(s.p50).toBeGreaterThan(result.outputs.pathway1.p50);
  });
});

describe('enforcement-2026', () => {
  const { result } = runEstimate({
    model: 'enforcement-2026',
    source: loadModel('enforcement-2026').source,
    samples: 200_000,
    seed: 1,
    thresholds: { fundedShare: [1] },
  });
  it('needs ~2,100 penalised chips a year to fund the $122M increase (paper)', () => {
    // Median penalty per chip ≈ $54.8k → 122M / 54.8k ≈ 2,230; MC error on the median is < 1%.
    expect(result.outputs.chipsToFundIncrease.p50).toBeGreaterThan(1_900);
    expect(result.outputs.chipsToFundIncrease.p50).toBeLessThan(2_500);
  });
  it('reported smugglers’ profit exceeds the enforcement budget (paper: ~$150M vs ~$55M)', () => {
    expect(result.outputs.profitToEnforcementBudget.p5).toBeGreaterThan(1);
    expect(result.outputs.profitToEnforcementBudget.p50).toBeCloseTo(150 / 55, 1);
  });
  it('reports the probability that penalties fund the increase', () => {
    const p = result.outputs.fundedShare.pAbove!['1'];
    expect(p).toBeGreaterThan(0.2);
    expect(p).toBeLessThan(0.8);
  });
});

describe('model catalogue', () => {
  it('lists every bundled model with a title and a source', () => {
    const models = listModels();
    expect(models.map((m) => m.name)).toEqual(expect.arrayContaining(['smuggling-2024', 'enforcement-2026']));
    for (const m of models) {
      expect(m.title.length).toBeGreaterThan(10);
      expect(m.source).toMatch(/CNAS|Grunewald/);
    }
  });
  it('refuses paths disguised as model names', () => {
    expect(() => loadModel('../package')).toThrow(/no bundled model or file/);
  });
});
