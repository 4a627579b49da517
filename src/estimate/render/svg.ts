// Small helpers shared by the SVG charts: document frame, escaped text, number rounding, palette.

import { escapeXml } from './format.js';

export const FONT = "'DejaVu Sans', Verdana, Arial, sans-serif";

/** Colour-blind-friendly qualitative palette (Okabe–Ito, darkened yellow for contrast on white). */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000', '#B8A200'];

export function colour(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** Coordinates with two decimals: compact files, sub-pixel precision. */
export function n2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/** Rough text width for layout (DejaVu Sans averages ~0.6 em per character). */
export function textWidth(text: string, size: number): number {
  return [...text].length * size * 0.6;
}

export function svgDoc(width: number, height: number, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="${FONT}">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

export interface TextOpts {
  size?: number;
  anchor?: 'start' | 'middle' | 'end';
  fill?: string;
  weight?: 'normal' | 'bold';
  cls?: string;
  rotate?: number;
}

/** A <text> element; `content` is escaped here, so callers pass raw user strings. */
export function text(x: number, y: number, content: string, o: TextOpts = {}): string {
  const attrs = [`x="${n2(x)}"`, `y="${n2(y)}"`, `font-size="${o.size ?? 12}"`];
  if (o.anchor && o.anchor !== 'start') attrs.push(`text-anchor="${o.anchor}"`);
  attrs.push(`fill="${o.fill ?? '#333333'}"`);
  if (o.weight === 'bold') attrs.push('font-weight="bold"');
  if (o.cls) attrs.push(`class="${o.cls}"`);
  if (o.rotate) attrs.push(`transform="rotate(${o.rotate} ${n2(x)} ${n2(y)})"`);
  return `<text ${attrs.join(' ')}>${escapeXml(content)}</text>`;
}
