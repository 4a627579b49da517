// Reads back what resvg drew, so tests check pixels rather than trusting the SVG text.
import { Resvg } from '@resvg/resvg-js';

export interface Raster {
  width: number;
  height: number;
  pixels: Buffer;
}

export function rasterise(svg: string): Raster {
  const img = new Resvg(svg, {
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  }).render();
  return { width: img.width, height: img.height, pixels: img.pixels };
}

/** Pixels in the rectangle [x0, x1) × [y0, y1) matching `pred(r, g, b)`. */
export function countPixels(
  img: Raster,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  pred: (r: number, g: number, b: number) => boolean,
): number {
  let n = 0;
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x1); x++) {
      const i = (y * img.width + x) * 4;
      if (pred(img.pixels[i], img.pixels[i + 1], img.pixels[i + 2])) n++;
    }
  }
  return n;
}

/** Close to an RGB colour given as #rrggbb. */
export function near(hex: string, tol = 40): (r: number, g: number, b: number) => boolean {
  const c = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return (r, g, b) => Math.abs(r - c[0]) + Math.abs(g - c[1]) + Math.abs(b - c[2]) <= tol;
}

export const dark = (r: number, g: number, b: number): boolean => r + g + b < 300;
