import { describe, expect, it } from 'vitest';
import { terminalTornado, tornadoSvg } from '../../../src/estimate/render/index.js';
import { colour } from '../../../src/estimate/render/svg.js';
import { countPixels, near, rasterise } from './pixels.js';

const rows = [
  { input: 'price_usd', spearman: 0.45, varianceShare: 0.12 },
  { input: 'chips_per_server', spearman: -0.82, varianceShare: 0.41 },
  { input: 'detect_rate', spearman: -0.2, varianceShare: 0.04 },
  { input: 'noise', spearman: 0.004, varianceShare: 0.0001 },
];

describe('terminalTornado', () => {
  const out = terminalTornado(rows);
  const lines = out.split('\n');

  it('orders by |rho| and prints rho and the variance share', () => {
    const body = lines.slice(1, 5);
    expect(body.map((l) => l.split(' ')[0])).toEqual(['chips_per_server', 'price_usd', 'detect_rate', 'noise']);
    expect(body[0]).toMatch(/-0\.82\s+41%$/);
    expect(body[1]).toMatch(/\+0\.45\s+12%$/);
    expect(body[3]).toMatch(/\s0\.00\s+0\.01%$/);
  });

  it('draws negative bars left of the centre and positive bars right, in proportion', () => {
    const centre = lines[1].indexOf('│');
    expect(centre).toBeGreaterThan(0);
    for (const l of lines.slice(1, 5)) expect(l.indexOf('│')).toBe(centre);
    const left = (l: string): number => (l.slice(0, centre).match(/█/g) ?? []).length;
    const right = (l: string): number => (l.slice(centre).match(/█/g) ?? []).length;
    expect(left(lines[1])).toBeGreaterThan(0);
    expect(right(lines[1])).toBe(0);
    expect(right(lines[2])).toBeGreaterThan(0);
    expect(left(lines[2])).toBe(0);
    // -0.82 vs +0.45 on the same scale.
    expect(left(lines[1]) / right(lines[2])).toBeCloseTo(0.82 / 0.45, 0);
    expect(left(lines[4]) + right(lines[4])).toBe(0);
  });

  it('fits the requested width and handles no rows', () => {
    for (const w of [50, 80, 120]) {
      for (const l of terminalTornado(rows, { width: w }).split('\n')) expect([...l].length).toBeLessThanOrEqual(w);
    }
    expect(terminalTornado([])).toBe('sensitivity: no inputs');
  });
});

describe('tornadoSvg', () => {
  it('draws bars on the correct side of zero and escapes names', () => {
    const svg = tornadoSvg([...rows, { input: 'a<b>&"c"', spearman: 0.3, varianceShare: 0.05 }], { title: 'S & T' });
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&quot;');
    expect(svg).toContain('<title>S &amp; T</title>');
    const bars = svg.match(/<rect class="bar"[^>]*>/g) ?? [];
    expect(bars).toHaveLength(5); // rho 0.004 still gets a (thin) bar
    const num = (el: string, a: string): number => Number(new RegExp(`\\s${a}="([^"]*)"`).exec(el)![1]);
    const first = bars[0]!; // chips_per_server, negative
    const second = bars[1]!; // price_usd, positive
    expect(num(first, 'x') + num(first, 'width')).toBeCloseTo(num(second, 'x'), 1);
    expect(num(first, 'width') / num(second, 'width')).toBeCloseTo(0.82 / 0.45, 1);
    const img = rasterise(svg);
    expect(countPixels(img, 0, 0, img.width, img.height, near(colour(1), 20))).toBeGreaterThan(500);
    expect(countPixels(img, 0, 0, img.width, img.height, near(colour(0), 20))).toBeGreaterThan(500);
  });
});
