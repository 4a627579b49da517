import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/errors.js';
import { densitySvg, svgToPng, writePlot } from '../../../src/estimate/render/index.js';
import { normals } from './samples.js';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const dir = mkdtempSync(join(tmpdir(), 'render-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const svg = densitySvg([{ name: 'n', samples: normals(5000, 0, 1, 40), p5: -1.64, p50: 0, p95: 1.64 }]);

/** Width and height from the IHDR chunk, which always follows the 8-byte signature. */
function size(png: Buffer): [number, number] {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return [png.readUInt32BE(16), png.readUInt32BE(20)];
}

describe('svgToPng', () => {
  it('produces a PNG of the natural or requested size', () => {
    const png = svgToPng(svg);
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(size(png)).toEqual([760, 440]);
    expect(size(svgToPng(svg, { width: 380 }))).toEqual([380, 220]);
  });

  it('rejects an unreasonable width', () => {
    expect(() => svgToPng(svg, { width: 0 })).toThrow(ValidationError);
  });
});

describe('writePlot', () => {
  it('writes SVG or PNG by extension, case-insensitively', () => {
    writePlot(join(dir, 'a.svg'), svg);
    expect(readFileSync(join(dir, 'a.svg'), 'utf8')).toBe(svg);
    writePlot(join(dir, 'b.SVG'), svg);
    expect(readFileSync(join(dir, 'b.SVG'), 'utf8')).toBe(svg);
    writePlot(join(dir, 'c.PNG'), svg);
    const png = readFileSync(join(dir, 'c.PNG'));
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(size(png)).toEqual([1520, 880]); // twice the SVG size, for sharp text
  });

  it('refuses other extensions with a ValidationError', () => {
    for (const f of ['plot.jpg', 'plot', 'plot.svg.txt', 'png']) {
      let err: unknown;
      try {
        writePlot(join(dir, f), svg);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toBe('plot file must end in .svg or .png');
    }
  });
});
