// PNG output through resvg (Rust, no browser), and the one file writer the plot commands use.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname } from 'node:path';
import type { Resvg as ResvgClass } from '@resvg/resvg-js';
import { ValidationError } from '../../errors.js';

/**
 * resvg, loaded on the first PNG: it is a native addon (~60 ms and 1,300 fresh pages to load), and
 * everything else that imports this module — SVG plots, the terminal — never needs it.
 */
let resvg: typeof ResvgClass | undefined;
const loadResvg = () =>
  (resvg ??= (createRequire(import.meta.url)('@resvg/resvg-js') as { Resvg: typeof ResvgClass }).Resvg);

/** Rasterises an SVG; `width` scales it (default: the SVG's own size). System fonts (DejaVu) are used. */
export function svgToPng(svg: string, opts: { width?: number } = {}): Buffer {
  const width = opts.width === undefined ? undefined : Math.round(opts.width);
  if (width !== undefined && !(width >= 1 && width <= 16384)) {
    throw new ValidationError(`PNG width must be 1..16384 pixels, got ${opts.width}`, { field: 'width' });
  }
  const Resvg = loadResvg();
  const r = new Resvg(svg, {
    fitTo: width === undefined ? { mode: 'original' } : { mode: 'width', value: width },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  return r.render().asPng();
}

/** Writes a chart as SVG or PNG depending on the file extension (PNG at twice the size, for sharpness). */
export function writePlot(file: string, svg: string): void {
  const ext = extname(file).toLowerCase();
  if (ext === '.svg') {
    writeFileSync(file, svg);
  } else if (ext === '.png') {
    const m = /viewBox="0 0 ([\d.]+) [\d.]+"/.exec(svg);
    const width = m ? Math.round(Number(m[1]) * 2) : undefined;
    writeFileSync(file, svgToPng(svg, width ? { width } : {}));
  } else {
    throw new ValidationError('plot file must end in .svg or .png', { field: 'plot' });
  }
}
